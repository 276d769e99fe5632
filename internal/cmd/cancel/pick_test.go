package cancel

import (
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

type pick struct{ offered []string }

func (p *pick) Select(_, _ string, options []string) (int, error) {
	p.offered = options
	return 0, nil
}

// TestCancelPicksRunOnTerminal: with neither IDs nor filters on a terminal,
// cancel offers only runs that can be cancelled, and cancels the choice.
func TestCancelPicksRunOnTerminal(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Now = time.Now
	ios, _, out, _ := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	p := &pick{}
	env.Prompter = p
	if err := cmdtest.Exec(env, NewCmd(env, nil)); err != nil {
		t.Fatal(err)
	}
	if len(p.offered) != 2 || !strings.Contains(p.offered[0], "(ID 7000000113)") {
		t.Errorf("offered %q; want the two runs not completed", p.offered)
	}
	if r, _ := s.Run(fakegh.InProgressRun); r.Conclusion != "cancelled" {
		t.Errorf("run 7000000113 is %s/%s", r.Status, r.Conclusion)
	}
	if !strings.Contains(out.String(), "run 7000000113: cancelled") {
		t.Errorf("stdout %q", out.String())
	}
}
