package watch

import (
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// offered is a prompter that records the options and picks the first,
// calling then when set.
type offered struct {
	options []string
	then    func()
}

func (o *offered) Select(_, _ string, options []string) (int, error) {
	o.options = options
	if o.then != nil {
		o.then()
	}
	return 0, nil
}

// TestWatchPicksRunOnTerminal: with no run ID on a terminal, watch offers
// the recent runs that are not completed, and watches the one chosen (which
// completes as it is chosen, so that the real command does not wait).
func TestWatchPicksRunOnTerminal(t *testing.T) {
	s, _ := fake(t)
	t.Setenv("NO_COLOR", "1")
	ios, _, out, errOut := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	p := &offered{then: func() {
		s.UpdateRun(fakegh.InProgressRun, func(r *fakegh.Run) {
			r.Status, r.Conclusion = "completed", "success"
			j := r.Job(testJob)
			j.Status, j.Conclusion = "completed", "success"
		})
	}}
	env.Prompter = p
	if err := cmdtest.Exec(env, NewCmd(env, nil), "--exit-status"); err != nil {
		t.Fatalf("error = %v; stderr %s", err, errOut)
	}
	if len(p.options) != 2 || !strings.HasSuffix(p.options[0], "(ID 7000000113)") || !strings.HasSuffix(p.options[1], "(ID 7000000112)") {
		t.Errorf("offered %q, want the runs in progress and queued", p.options)
	}
	if !strings.HasPrefix(out.String(), "✓ Add retry to the upload step · CI #57 · 7000000113\n") ||
		!strings.HasSuffix(out.String(), "\n✓ Run CI (7000000113) completed with 'success'\n") {
		t.Errorf("watched:\n%s", out.String())
	}
}
