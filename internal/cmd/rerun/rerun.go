// Package rerun implements `ghruns rerun`: rerun runs by ID or by filter.
package rerun

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// Options are rerun's dependencies and flag values.
type Options struct {
	bulk.Request
	Failed bool
	Debug  bool
}

// NewCmd builds the rerun command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "rerun [<run-id>...]",
		Short: "Rerun workflow runs",
		Long: `Start a new attempt of runs named by ID, or of every completed run that
matches filters: all jobs, or with --failed only the failed jobs and those
that depend on them.`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s 123456 --failed --debug
  %[1]s --workflow CI --status failure --created '>=2026-11-24' --yes`, env.Command("rerun")),
		ValidArgsFunction: env.CompleteRunIDs(api.Run.Completed),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := bulk.Prepare(env, cmd, args, &opts.Request, api.Run.Completed, "Select a run to rerun"); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	bulk.AddFlags(cmd, &opts.Request)
	cmd.Flags().BoolVar(&opts.Failed, "failed", false, "Rerun only the failed jobs and their dependents")
	cmd.Flags().BoolVarP(&opts.Debug, "debug", "d", false, "Rerun with debug logging")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	return bulk.Run(ctx, opts.Request, bulk.Action{
		Verb:       "rerun",
		Done:       "rerun requested",
		Eligible:   api.Run.Completed,
		Ineligible: "not completed yet",
		Act: func(ctx context.Context, t bulk.Target) error {
			repo := opts.RepoOf(t)
			if err := opts.Client.Rerun(ctx, repo, t.ID, t.Attempt, opts.Failed, opts.Debug); err != nil {
				return cmdutil.RunError("rerun", repo, t.ID, err)
			}
			return nil
		},
	})
}
