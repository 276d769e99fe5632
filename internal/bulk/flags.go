package bulk

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"

	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/config"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
)

// prepareAcross is PrepareAcross for runs, which across repositories are
// selected by filters only: a run ID names a run of one repository.
func prepareAcross(ctx context.Context, env *cmdutil.Env, req *Request, unfiltered bool) error {
	if unfiltered {
		return cmdutil.FlagErrorf("with --owner, --repos or several -R, select runs with filters such as --status or --branch, not run IDs")
	}
	return PrepareAcross(ctx, env, req)
}

// PrepareAcross checks req.Select before any request, then gets a client
// (a paced one unless a dry run) and lists the repositories into
// req.Repos, the first of them in req.Repo.
func PrepareAcross(ctx context.Context, env *cmdutil.Env, req *Request) error {
	plan, err := req.Select.Prepare(env)
	if err != nil {
		return err
	}
	// Writes across repositories spend from the same pace as in one.
	if req.Client, req.Pace, err = env.PacedClient(cmdutil.Repository{Host: plan.Host}, !req.DryRun, req.WriteRate); err != nil {
		return err
	}
	if req.Repos, err = plan.Resolve(ctx, req.Client, env.IO.ErrOut); err != nil {
		return err
	}
	req.Repo = req.Repos[0]
	return nil
}

// AddFlags registers what every bulk command takes: the run filters
// (with -L defaulting to every match), --yes, --dry-run and the JSON flags.
func AddFlags(cmd *cobra.Command, req *Request) {
	cmdutil.AddFilterFlags(cmd, &req.Filter, 0)
	cmd.Flags().BoolVarP(&req.Yes, "yes", "y", false, "Act on the runs selected by filters without asking")
	cmd.Flags().BoolVar(&req.DryRun, "dry-run", false, "Print what would be done and change nothing")
	cmd.Flags().IntVar(&req.WriteRate, "write-rate", 0, "Pace writes at `n` a minute at most (default: the write_rate setting, 160)")
	reposet.AddFlags(cmd, &req.Select)
	req.Exporter = output.AddJSONFlags(cmd, Fields)
}

// Prepare checks the arguments before any request: run IDs or filters, not
// both and not neither; then resolves the repository and a client, which
// needs a token unless this is a dry run. Given neither on a terminal, it
// offers the recent runs that want keeps, asking with prompt.
func Prepare(env *cmdutil.Env, cmd *cobra.Command, args []string, req *Request, want func(api.Run) bool, prompt string) error {
	ids, filtered, err := env.SelectRuns(cmd, args, &req.Filter, "--status or --branch")
	if err != nil {
		return err
	}
	req.IDs = ids
	if err := req.Exporter.Validate(); err != nil {
		return cmdutil.FlagErrorf("%s", err)
	}
	req.IO = env.IO
	if req.WriteRate < 0 || req.WriteRate > config.MaxWriteRate {
		return cmdutil.FlagErrorf("invalid --write-rate %d: must be between 1 and %d writes a minute", req.WriteRate, config.MaxWriteRate)
	}
	if req.Select.Multi(env) {
		return prepareAcross(cmd.Context(), env, req, len(ids) > 0 || !filtered)
	}
	if req.Repo, err = env.Repo(); err != nil {
		return err
	}
	if req.Client, req.Pace, err = env.PacedClient(req.Repo, !req.DryRun, req.WriteRate); err != nil {
		return err
	}
	if len(ids) == 0 && !filtered {
		id, err := env.PickRun(cmd.Context(), req.Client, req.Repo, prompt, want)
		if err != nil {
			return err
		}
		req.IDs = []int64{id}
	}
	return nil
}
