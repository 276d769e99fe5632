package usage

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestUsageFitsTerminal: on terminals of 80 and 120 columns no line of
// usage's tables or of its closing note wraps, with a long workflow name;
// run IDs stay whole.
func TestUsageFitsTerminal(t *testing.T) {
	for _, width := range cmdtest.Widths {
		cmdtest.Isolate(t)
		s, c := cmdtest.Fake(t, 8)
		s.UpdateRun(7000000110, func(r *fakegh.Run) { r.Name = strings.Repeat("Continuous integration ", 5) })
		stdout, _, err := cmdtest.RunAtWidth(width, func(env *cmdutil.Env) *cobra.Command {
			return NewCmd(env, func(ctx context.Context, o *Options) error {
				o.Client = c
				return run(ctx, o)
			})
		}, "--created", "2026-11-19..2026-11-20")
		if err != nil {
			t.Fatal(err)
		}
		cmdtest.CheckFits(t, stdout, width)
		if !strings.Contains(stdout, "7000000110") || !strings.Contains(stdout, "invoice") {
			t.Errorf("%d columns: run ID or closing note missing:\n%s", width, stdout)
		}
	}
}
