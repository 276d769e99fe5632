package view

import (
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

type choose int

func (c choose) Select(_, _ string, options []string) (int, error) { return int(c), nil }

// TestViewPicksRunOnTerminal: with no run ID on a terminal, view offers the
// recent runs and shows the one chosen.
func TestViewPicksRunOnTerminal(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Now = time.Now
	ios, _, out, _ := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	env.Prompter = choose(2) // the third most recent run: 7000000111
	if err := cmdtest.Exec(env, NewCmd(env, nil)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Run ID:   7000000111") {
		t.Errorf("viewed:\n%s", out.String())
	}
}
