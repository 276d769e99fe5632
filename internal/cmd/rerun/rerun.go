// Package rerun implements `ghruns rerun`: rerun runs by ID or by filter.
package rerun

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/output"
)

// Options are rerun's dependencies and flag values.
type Options struct {
	bulk.Request
	Failed bool
	Debug  bool
	// Job is a job to rerun on its own, with those that depend on it; 0 for none.
	Job int64
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
			if cmd.Flags().Changed("job") {
				return prepareJob(env, cmd, args, opts, runF)
			}
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
	cmd.Flags().Int64VarP(&opts.Job, "job", "j", 0, "Rerun this `job ID` and the jobs that depend on it, as gh does")
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

// prepareJob checks `rerun --job`: one job, named by ID, with no run IDs or
// filters, then reruns it.
func prepareJob(env *cmdutil.Env, cmd *cobra.Command, args []string, opts *Options, runF func(context.Context, *Options) error) error {
	if opts.Job <= 0 {
		return cmdutil.FlagErrorf("invalid --job %d: pass a job ID, as `view -v` shows", opts.Job)
	}
	if len(args) > 0 {
		return cmdutil.FlagErrorf("specify either run IDs or --job, not both")
	}
	var other string
	cmd.Flags().Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "job", "debug", "dry-run", "repo":
		default:
			other = f.Name
		}
	})
	if other != "" {
		return cmdutil.FlagErrorf("--%s cannot be used with --job", other)
	}
	var err error
	if opts.Repo, err = env.Repo(); err != nil {
		return err
	}
	opts.IO = env.IO
	if opts.Client, err = env.Client(opts.Repo, !opts.DryRun); err != nil {
		return err
	}
	if runF != nil {
		return runF(cmd.Context(), opts)
	}
	return runJob(cmd.Context(), opts)
}

func runJob(ctx context.Context, opts *Options) error {
	ios := opts.IO
	result := "rerun requested"
	if opts.DryRun {
		result = "would rerun"
	} else if err := opts.Client.RerunJob(ctx, opts.Repo.API(), opts.Job, opts.Debug); err != nil {
		return fmt.Errorf("rerun job %d in %s: %w", opts.Job, opts.Repo, err)
	}
	if !ios.IsStdoutTTY() {
		fmt.Fprintf(ios.Out, "%d\t%s\n", opts.Job, result)
		return nil
	}
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	mark := cs.Green("✓")
	if opts.DryRun {
		mark = cs.Gray("-")
	}
	fmt.Fprintf(ios.Out, "%s job %d in %s: %s\n", mark, opts.Job, opts.Repo, result)
	return nil
}
