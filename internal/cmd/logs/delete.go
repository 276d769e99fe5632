package logs

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// DeleteOptions are logs delete's dependencies and flag values.
type DeleteOptions struct {
	bulk.Request
	// Keep is --keep: the newest runs of each workflow whose logs stay.
	Keep int
}

// NewDeleteCmd builds the logs delete command; runF replaces the work in tests.
func NewDeleteCmd(env *cmdutil.Env, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{}
	cmd := &cobra.Command{
		Use:   "delete [<run-id>...]",
		Short: "Delete the logs of workflow runs",
		Long: `Delete every log of runs named by ID, or of every completed run that
matches filters. This cannot be undone.`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s --workflow Nightly --created '<2026-10-01' --dry-run
  %[1]s --workflow Nightly --created '<2026-10-01' --yes`, env.Command("logs delete")),
		ValidArgsFunction: env.CompleteRunIDs(api.Run.Completed),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Keep < 0 {
				return cmdutil.FlagErrorf("invalid --keep %d: must be 0 or more", opts.Keep)
			}
			if err := bulk.Prepare(env, cmd, args, &opts.Request, api.Run.Completed, "Select a run to delete the logs of"); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDelete(cmd.Context(), opts)
		},
	}
	bulk.AddFlags(cmd, &opts.Request)
	cmd.Flags().IntVar(&opts.Keep, "keep", 0, "Keep the logs of the newest `n` runs of each workflow among those selected")
	return cmd
}

func runDelete(ctx context.Context, opts *DeleteOptions) error {
	// With --keep, the newest runs count whatever their age: the listing
	// takes every age, and --older-than applies after the count.
	var cut time.Time
	if f := &opts.Filter; opts.Keep > 0 && f.OlderThan > 0 {
		cut = f.Now.Add(-f.OlderThan)
		f.OlderThan = 0
	}
	var choose func(context.Context, api.Repo, []api.Run) ([]api.Run, error)
	if opts.Keep > 0 {
		// Across repositories, once per repository: the newest of each
		// workflow in each.
		choose = func(_ context.Context, _ api.Repo, runs []api.Run) ([]api.Run, error) {
			var gone []api.Run
			for _, g := range runquery.Retain(runs, opts.Keep, cut) {
				gone = append(gone, g.Go...)
			}
			return gone, nil
		}
	}
	return bulk.Run(ctx, opts.Request, bulk.Action{
		Choose:     choose,
		Verb:       "delete the logs of",
		Done:       "logs deleted",
		Would:      "would delete logs",
		Eligible:   api.Run.Completed,
		Ineligible: "not completed yet",
		Act: func(ctx context.Context, t bulk.Target) error {
			repo := opts.RepoOf(t)
			if err := opts.Client.DeleteLogs(ctx, repo, t.ID); err != nil {
				return cmdutil.RunError("delete logs of", repo, t.ID, err)
			}
			return nil
		},
	})
}
