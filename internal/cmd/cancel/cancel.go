// Package cancel implements `ghruns cancel`: cancel runs by ID or by filter.
package cancel

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// Options are cancel's dependencies and flag values.
type Options struct {
	bulk.Request
	Force bool
}

// NewCmd builds the cancel command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "cancel [<run-id>...]",
		Short: "Cancel workflow runs",
		Long: `Cancel runs named by ID, or every run that matches filters.

Runs selected by filters are listed first and must be confirmed, on a
terminal, or approved with --yes; completed runs among them are left alone.
--force bypasses always() conditions, for runs that do not respond.`,
		Example: fmt.Sprintf(`  %[1]s 123456 123457
  %[1]s --branch main --status queued --yes
  %[1]s --workflow CI --dry-run`, env.Command("cancel")),
		ValidArgsFunction: env.CompleteRunIDs(notCompleted),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := bulk.Prepare(env, cmd, args, &opts.Request, notCompleted, "Select a run to cancel"); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	bulk.AddFlags(cmd, &opts.Request)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "Force-cancel, bypassing always() conditions")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	verb := "cancel"
	if opts.Force {
		verb = "force-cancel"
	}
	return bulk.Run(ctx, opts.Request, bulk.Action{
		Verb:       verb,
		Done:       verb + "led",
		Eligible:   notCompleted,
		Ineligible: "already completed",
		Act: func(ctx context.Context, t bulk.Target) error {
			repo := opts.RepoOf(t)
			err := opts.Client.Cancel(ctx, repo, t.ID, opts.Force)
			var httpErr *api.HTTPError
			switch {
			case errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusConflict && t.Listed:
				// Listed as not completed, it completed before the
				// cancel came: nothing is left to do.
				return &bulk.Skip{Reason: "already completed"}
			case errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusConflict:
				return fmt.Errorf("run %d is already completed", t.ID)
			case err != nil:
				return cmdutil.RunError(verb, repo, t.ID, err)
			}
			return nil
		},
	})
}

// notCompleted says which runs the command applies to.
func notCompleted(r api.Run) bool { return !r.Completed() }
