// Package usage implements `ghruns usage`: billable time of runs, by runner
// OS, with totals per workflow and per OS over runs selected by filter.
package usage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
	"github.com/ghruns/gh-runs/internal/runquery"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// OSes are the runner systems GitHub bills, in report order.
var OSes = []string{"UBUNTU", "MACOS", "WINDOWS"}

// Fields are usage's --json fields: a run's, plus its billable time.
var Fields = append(slices.Clone(output.RunFields), "billable", "runDurationMs", "billableSource", "estimatedCost")

// Groupings of --by.
var groupings = []string{"workflow", "os", "branch", "actor", "repo"}

// Options are usage's dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Repos, when more than one, are reported across instead of Repo.
	Repos    []cmdutil.Repository
	Select   reposet.Selection
	IDs      []int64
	Filter   runquery.Filter
	Exporter *output.Exporter
	// By groups the totals: workflow, os, branch or actor.
	By string
	// ByAsked is set when --by was given: runs named by ID then get
	// totals too, which they otherwise go without.
	ByAsked bool
	// Prices are the prices of a minute on each runner OS, for the estimated cost.
	Prices map[string]float64
	// Source is where billable time comes from: "jobs" (the run's jobs) or
	// "timing" (GitHub's timing endpoint, where it says anything).
	Source string
	// Now ends the runs still going.
	Now time.Time
}

// Sources of --source.
var sources = []string{sourceJobs, sourceTiming}

// NewCmd builds the usage command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: env.IO}
	cmd := &cobra.Command{
		Use:   "usage [<run-id>...]",
		Short: "Report the billable time of workflow runs",
		Long: `Report billable time per runner OS (UBUNTU, MACOS, WINDOWS), job counts
and wall-clock duration of runs named by ID, or of every run that matches
filters, with totals (per workflow, or --by os, branch, actor or repo) and
per OS, and an estimated cost in US dollars. Runs named by ID get totals
when --by is given. --owner, --repos or -R given more than once report
across repositories.

Figures are computed from each run's jobs as GitHub bills them, one request
per run: each job on a GitHub-hosted runner, rounded up to the whole minute,
its system from its labels. Runs of public repositories are not billed on
GitHub's standard runners: only their jobs on larger runners count, and
SOURCE says "public". --source timing asks GitHub's run timing endpoint
instead (which GitHub is closing down), falling back to the jobs where it
reports no billable time. The SOURCE column (billableSource in JSON) says
which. With filters, when those requests do not fit GitHub's rate limit
left, usage says how many runs fit and stops, unless --yes.

The cost is minutes times the price of a minute on each system:
price_per_minute (Linux, default 0.006), price_per_minute_windows (0.010)
and price_per_minute_macos (0.062) in the config file or
GHRUNS_PRICE_PER_MINUTE[_WINDOWS|_MACOS], in USD; the defaults are GitHub's
list prices since 1 January 2026.`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s --workflow CI --created 2026-11-01..2026-11-30
  %[1]s --created '>=2026-11-01' --by actor
  %[1]s --branch main -L 100 --json databaseId,billable,estimatedCost
  %[1]s --owner my-org --created 2026-11-01..2026-11-30 --by repo`, env.Command("usage")),
		ValidArgsFunction: env.CompleteRunIDs(nil),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, filtered, err := env.SelectRuns(cmd, args, &opts.Filter, "--workflow or --created")
			if err != nil {
				return err
			}
			opts.IDs = ids
			opts.ByAsked = cmd.Flags().Changed("by")
			if err := opts.Exporter.Validate(); err != nil {
				return cmdutil.FlagErrorf("%s", err)
			}
			if !slices.Contains(groupings, opts.By) {
				return cmdutil.FlagErrorf("invalid --by %q: want workflow, os, branch, actor or repo", opts.By)
			}
			multi := opts.Select.Multi(env)
			if multi && len(ids) > 0 {
				return cmdutil.FlagErrorf("run IDs belong to one repository: use filters with --owner, --repos or several -R")
			}
			cfg, err := env.Config()
			if err != nil {
				return err
			}
			if !slices.Contains(sources, opts.Source) {
				return cmdutil.FlagErrorf("invalid --source %q: want jobs or timing", opts.Source)
			}
			opts.Prices = map[string]float64{"UBUNTU": cfg.PricePerMinute, "WINDOWS": cfg.PricePerMinuteWindows, "MACOS": cfg.PricePerMinuteMacOS}
			opts.Now = env.Clock()
			if multi {
				return across(cmd.Context(), env, opts, runF)
			}
			if opts.Repo, err = env.Repo(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if len(ids) == 0 && !filtered {
				// Neither run IDs nor filters: one run, picked at the terminal.
				var id int64
				if opts.Client, id, err = env.ResolveRun(cmd.Context(), opts.Repo, 0, "Select a run to report the usage of", nil); err != nil {
					return err
				}
				opts.IDs = []int64{id}
			} else if opts.Client, err = env.Client(opts.Repo, false); err != nil {
				return err
			}
			return run(cmd.Context(), opts)
		},
	}
	cmdutil.AddFilterFlags(cmd, &opts.Filter, 0)
	reposet.AddFlags(cmd, &opts.Select)
	cmd.Flags().Lookup("yes").Usage = "Go on when the requests do not fit the rate limit left"
	cmd.Flags().StringVar(&opts.By, "by", "workflow", "Group totals by `key`: workflow, os, branch, actor or repo")
	cmd.Flags().StringVar(&opts.Source, "source", sourceJobs, "Take billable time from `where`: jobs, or GitHub's timing endpoint")
	_ = cmd.RegisterFlagCompletionFunc("source", cobra.FixedCompletions(sources, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("by", cobra.FixedCompletions(groupings, cobra.ShellCompDirectiveNoFileComp))
	opts.Exporter = output.AddJSONFlags(cmd, Fields)
	return cmd
}

// across selects the repositories (checked before any request) and
// reports the runs the filters select in each.
func across(ctx context.Context, env *cmdutil.Env, opts *Options, runF func(context.Context, *Options) error) error {
	plan, err := opts.Select.Prepare(env)
	if err != nil {
		return err
	}
	opts.Repos = plan.Named
	if runF != nil {
		return runF(ctx, opts)
	}
	if opts.Client, opts.Repos, err = plan.Open(ctx, env); err != nil {
		return err
	}
	opts.Repo = opts.Repos[0]
	return run(ctx, opts)
}

// runUsage is one run with its billable time.
type runUsage struct {
	Repo   api.Repo
	Run    api.Run
	Usage  *api.Usage
	Source string // sourceTiming or sourceJobs
	Err    error
}

func run(ctx context.Context, opts *Options) error {
	repo := opts.Repo.API()
	var runs []api.Run
	var repos []api.Repo
	var listFailed error
	if len(opts.Repos) > 1 {
		res, err := sweep.CheckedList(ctx, opts.IO, opts.Client, opts.Repos, opts.Filter, opts.Select.Yes)
		if res == nil {
			return err
		}
		listFailed = err
		for _, r := range res.Runs {
			runs = append(runs, r.Run)
			repos = append(repos, r.Repo.API())
		}
		if len(runs) == 0 {
			if opts.IO.IsStdoutTTY() && !opts.Exporter.Enabled() {
				fmt.Fprintln(opts.IO.ErrOut, "no runs found")
			}
			if err := report(opts, nil, false); err != nil || listFailed == nil {
				return err
			}
			return cmdutil.ErrSilent
		}
	} else if len(opts.IDs) == 0 {
		list, err := cmdutil.ListRuns(ctx, opts.IO, opts.Client, opts.Repo, opts.Filter)
		if err != nil {
			return err
		}
		if len(list.Runs) == 0 {
			// As list does: a note for a person, nothing for scripts.
			if opts.IO.IsStdoutTTY() && !opts.Exporter.Enabled() {
				fmt.Fprintln(opts.IO.ErrOut, "no runs found")
			}
			return report(opts, nil, false)
		}
		runs = list.Runs
	} else {
		runs = make([]api.Run, len(opts.IDs))
		for i, id := range opts.IDs {
			runs[i] = api.Run{ID: id}
		}
	}
	if repos == nil {
		repos = make([]api.Repo, len(runs))
		for i := range repos {
			repos[i] = repo
		}
	}
	if len(opts.IDs) == 0 {
		if err := checkReads(ctx, opts, len(runs)); err != nil {
			return err
		}
	}
	results := fetchEach(ctx, opts, repos, runs, len(opts.IDs) > 0)
	failed := 0
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			failed++
			errs = append(errs, r.Err)
			fmt.Fprintln(opts.IO.ErrOut, output.Lines(r.Err.Error()))
		}
	}
	if err := report(opts, results, len(opts.IDs) == 0 || opts.ByAsked); err != nil {
		return err
	}
	if failed > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "could not get the usage of %s of %d\n", output.Plural(failed, "run"), len(results))
		return cmdutil.Reported(errs...)
	}
	if listFailed != nil {
		return cmdutil.ErrSilent
	}
	return nil
}

// checkReads checks, before anything is read of the runs listed, that
// those reads fit the rate limit left: one jobs listing per run, and with
// --source timing the timing endpoint before it.
func checkReads(ctx context.Context, opts *Options, runs int) error {
	what, each := "jobs", 1
	if opts.Source == sourceTiming {
		what, each = "usage", 2
	}
	perRun := make([]int, runs)
	for i := range perRun {
		perRun[i] = each
	}
	return sweep.CheckJobs(ctx, opts.IO, opts.Client, what, perRun, max(len(opts.Repos), 1), opts.Filter, opts.Select.Yes)
}

// fetch gets every run's billable time, and for runs named by ID the run
// itself, over the client's bounded pool of workers, keeping the runs' order.
func fetch(ctx context.Context, opts *Options, repo api.Repo, runs []api.Run, needRun bool) []runUsage {
	repos := make([]api.Repo, len(runs))
	for i := range repos {
		repos[i] = repo
	}
	return fetchEach(ctx, opts, repos, runs, needRun)
}

// fetchEach is fetch for runs each in its own repository, repos[i] for
// runs[i]. Run IDs are unique across GitHub, so they key the work.
func fetchEach(ctx context.Context, opts *Options, repos []api.Repo, runs []api.Run, needRun bool) []runUsage {
	c := opts.Client
	out := make([]runUsage, len(runs))
	index := make(map[int64]int, len(runs))
	for i, r := range runs {
		index[r.ID] = i
		out[i].Run, out[i].Repo = r, repos[i]
	}
	var mu sync.Mutex
	bulk.Do(ctx, bulk.FromRuns(runs), c.Concurrency(), "", func(ctx context.Context, id int64) error {
		i := index[id]
		repo := out[i].Repo
		r, u, source, err := runUsageOf(ctx, opts, repo, out[i].Run, needRun)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			out[i].Err = cmdutil.RunError("usage of", repo, id, err)
			return err
		}
		out[i].Run, out[i].Usage, out[i].Source = r, u, source
		return nil
	})
	for i := range out {
		if out[i].Usage == nil && out[i].Err == nil {
			out[i].Err = fmt.Errorf("usage of run %d: %w", out[i].Run.ID, bulk.ErrNotAttempted)
		}
	}
	return out
}

// runUsageOf gets one run's billable time. Its jobs come from the attempt
// listed (GitHub's per-attempt listing), or for a run named by ID from its
// latest attempt, fetched alongside the run. With --source timing GitHub's
// timing endpoint goes first, and the jobs only where it has nothing.
func runUsageOf(ctx context.Context, opts *Options, repo api.Repo, r api.Run, needRun bool) (api.Run, *api.Usage, string, error) {
	c := opts.Client
	if opts.Source == sourceTiming {
		u, err := c.Usage(ctx, repo, r.ID)
		var httpErr *api.HTTPError
		switch {
		case err == nil && !empty(u):
			if needRun {
				full, err := c.GetRun(ctx, repo, r.ID, 0)
				if err != nil {
					return r, nil, "", err
				}
				r = *full
			}
			return r, u, sourceTiming, nil
		case err != nil && !(errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusNotFound):
			// GitHub Enterprise Server has no timing endpoint (404): the jobs tell.
			return r, nil, "", err
		}
	}
	var jobs []api.Job
	var jobsErr error
	if needRun {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			jobs, jobsErr = c.ListJobs(ctx, repo, r.ID, 0)
		}()
		full, err := c.GetRun(ctx, repo, r.ID, 0)
		wg.Wait()
		if err != nil {
			return r, nil, "", err
		}
		r = *full
	} else {
		jobs, jobsErr = c.ListJobs(ctx, repo, r.ID, r.RunAttempt)
	}
	if jobsErr != nil {
		return r, nil, "", jobsErr
	}
	public := r.Repository != nil && !r.Repository.Private
	source := sourceJobs
	if public {
		source = sourcePublic
	}
	return r, fromJobs(r, jobs, public, opts.Now), source, nil
}
