package list

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestListFitsTerminal: on terminals of 80 and 120 columns no row of the
// table wraps, even with long titles, branches and workflow names and a
// workflow_dispatch event; run IDs are never cut, and ages are compact.
func TestListFitsTerminal(t *testing.T) {
	for _, width := range cmdtest.Widths {
		cmdtest.Isolate(t)
		s, c := cmdtest.Fake(t, 8)
		s.UpdateRun(7000000110, func(r *fakegh.Run) {
			r.DisplayTitle = strings.Repeat("Fix the flaky cache test again ", 4)
			r.HeadBranch = "dependabot/github_actions/actions/checkout-5"
			r.Name = "Continuous integration for every platform"
			r.Event = "workflow_dispatch"
		})
		stdout, _, err := cmdtest.RunAtWidth(width, func(env *cmdutil.Env) *cobra.Command {
			return NewCmd(env, func(ctx context.Context, o *Options) error {
				o.Client, o.Now = c, cmdtest.Now
				return run(ctx, o)
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		cmdtest.CheckFits(t, stdout, width)
		plain := cmdtest.StripANSI(stdout)
		for _, id := range []string{"7000000113", "7000000110", "7000000101"} {
			if !strings.Contains(plain, id) {
				t.Errorf("%d columns: run ID %s missing or cut:\n%s", width, id, plain)
			}
		}
		if strings.Contains(plain, "ago") || !strings.Contains(plain, " 2h\n") {
			t.Errorf("%d columns: want compact ages (2h):\n%s", width, plain)
		}
	}
}
