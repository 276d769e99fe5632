package watch

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
	"github.com/ghruns/gh-runs/internal/runquery"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// acrossInterval is the wait between sweeps of many repositories unless
// --interval says otherwise. Unchanged repositories answer 304, which
// costs no rate limit, but each is still a request GitHub serves.
const acrossInterval = 15 * time.Second

// acrossLimit is how many of each repository's newest runs a sweep reads:
// one page, which a repository with runs that start while watching fills
// from the top.
const acrossLimit = 30

// Across are watch's settings for many repositories.
type Across struct {
	Select reposet.Selection
	Repos  []cmdutil.Repository
	Branch string
	Commit string
}

// prepareAcross checks the selection before any request, then lists the
// repositories.
func prepareAcross(ctx context.Context, env *cmdutil.Env, opts *Options) error {
	plan, err := opts.Across.Select.Prepare(env)
	if err != nil {
		return err
	}
	opts.Client, opts.Across.Repos, err = plan.Open(ctx, env)
	return err
}

// runAcross prints one line per state change of any run in the
// repositories: first the runs not completed, then every run that starts
// or moves. With --exit-status it ends once every run it has seen going
// has completed, with exit 1 if any of them did not succeed.
func runAcross(ctx context.Context, opts *Options) error {
	a := opts.Across
	f := runquery.Filter{Branch: a.Branch, Commit: a.Commit, Limit: acrossLimit}
	if err := sweep.CheckBudget(ctx, opts.IO, opts.Client, len(a.Repos), f, a.Select.Yes); err != nil {
		return err
	}
	wait := acrossInterval
	if opts.Interval > 0 {
		wait = opts.Interval
	}
	states := map[int64]string{}
	// watched are the runs reported, and whether each has completed.
	watched := map[int64]bool{}
	failed := false
	for first := true; ; first = false {
		res, err := sweep.List(ctx, opts.IO, opts.Client, a.Repos, f)
		if res == nil {
			return err
		}
		// A repository skipped once (Actions disabled, no access) would
		// answer 404 again, and a 404 costs a request each time.
		a.Repos = slices.DeleteFunc(a.Repos, func(r cmdutil.Repository) bool { return slices.Contains(res.Skipped, r) })
		if len(a.Repos) == 0 {
			return fmt.Errorf("no repository left to watch")
		}
		at := opts.Now().UTC().Format(time.RFC3339)
		// Oldest first, so that lines read in the order things happened.
		for i := len(res.Runs) - 1; i >= 0; i-- {
			r := res.Runs[i]
			is := output.State(r.Status, r.Conclusion)
			was, seen := states[r.ID]
			states[r.ID] = is
			if seen && was == is || !seen && first && r.Completed() {
				// Unchanged, or history from before the watch.
				continue
			}
			watched[r.ID] = r.Completed()
			failed = failed || r.Completed() && r.Conclusion.IsFailure()
			state := is
			if seen {
				state = was + " -> " + is
			}
			fmt.Fprintf(opts.IO.Out, "%s\t%s\trun %d %s\t%s\n", at, r.Repo, r.ID, output.OneLine(r.Name), state)
		}
		if opts.ExitStatus && allDone(watched) {
			if len(watched) == 0 {
				fmt.Fprintln(opts.IO.ErrOut, "no runs going in the selected repositories")
			}
			if failed {
				return cmdutil.ErrSilent
			}
			return nil
		}
		if err := opts.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// allDone reports whether every run watched has completed.
func allDone(watched map[int64]bool) bool {
	for _, done := range watched {
		if !done {
			return false
		}
	}
	return true
}
