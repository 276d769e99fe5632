package view

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestViewFitsTerminal: on terminals of 80 and 120 columns no line of a
// failed run's view wraps (the link aside), with long title, branch,
// workflow, job and step names; IDs stay whole.
func TestViewFitsTerminal(t *testing.T) {
	for _, width := range cmdtest.Widths {
		cmdtest.Isolate(t)
		s, c := cmdtest.Fake(t, 8)
		long := strings.Repeat("very long name ", 10)
		s.UpdateRun(7000000110, func(r *fakegh.Run) {
			r.DisplayTitle = "Title: " + long
			r.HeadBranch = "branch/" + long
			r.Name = "Workflow " + long
			for i := range r.Jobs {
				r.Jobs[i].Name += " " + long
				for k := range r.Jobs[i].Steps {
					r.Jobs[i].Steps[k].Name += " " + long
				}
			}
		})
		stdout, _, err := cmdtest.RunAtWidth(width, func(env *cmdutil.Env) *cobra.Command {
			return NewCmd(env, func(ctx context.Context, o *Options) error {
				o.Client, o.Now = c, cmdtest.Now
				o.Browse = func(string) error { t.Error("a browser was opened"); return nil }
				return run(ctx, o)
			})
		}, "7000000110", "-v")
		if err != nil {
			t.Fatal(err)
		}
		cmdtest.CheckFits(t, stdout, width)
		plain := cmdtest.StripANSI(stdout)
		for _, want := range []string{"(ID 8000001106)", "(ID 8000001107)", "Run ID:   7000000110", "Title: very", "actions/runs/7000000110"} {
			if !strings.Contains(plain, want) {
				t.Errorf("%d columns: %q missing or cut:\n%s", width, want, plain)
			}
		}
	}
}
