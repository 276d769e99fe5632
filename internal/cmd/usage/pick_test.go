package usage

import (
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// pickFirst is a prompter that records the options and picks the first.
type pickFirst struct{ options []string }

func (p *pickFirst) Select(_, _ string, options []string) (int, error) {
	p.options = options
	return 0, nil
}

// TestUsagePicksRunOnTerminal: with neither run IDs nor filters on a
// terminal, usage offers the recent runs and reports the one chosen.
func TestUsagePicksRunOnTerminal(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Setenv("NO_COLOR", "1")
	ios, _, out, _ := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	p := &pickFirst{}
	env.Prompter = p
	if err := cmdtest.Exec(env, NewCmd(env, nil), "--json", "databaseId"); err != nil {
		t.Fatal(err)
	}
	if len(p.options) == 0 || !strings.HasSuffix(p.options[0], "(ID 7000000113)") {
		t.Errorf("offered %q, want the recent runs, 7000000113 first", p.options)
	}
	if got := strings.Join(strings.Fields(out.String()), ""); got != `[{"databaseId":7000000113}]` {
		t.Errorf("reported %s, want the run picked", out.String())
	}
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/timing") && !strings.Contains(r.Path, "/7000000113/") {
			t.Errorf("asked for the timing of another run: %s", r.Path)
		}
	}
}
