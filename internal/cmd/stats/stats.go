// Package stats implements `ghruns stats`: how the workflows of one
// repository or many are doing over runs selected by filter (success rate,
// failures, durations, queue times), per workflow, per job or per week,
// with flaky jobs marked and the slowest and most failing steps named.
package stats

import (
	"context"
	"fmt"
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

// DefaultWindow is how far back stats looks when no time filter is given.
const DefaultWindow = 30 * 24 * time.Hour

// noteAbove is the number of requests above which stats says, before
// making them, how many it will make.
const noteAbove = 50

// Fields are stats' --json fields: those of a workflow's row (--by
// workflow), of a job's (--by job) and of a week's (--by week); each row
// has the fields of its kind.
var Fields = []string{
	"repository", "workflow", "workflowDatabaseId", "path", "job", "week", "weekStart",
	"runs", "successes", "failures", "cancelled", "flaky", "successRate",
	"durationP50Ms", "durationP90Ms", "durationMaxMs", "queueP50Ms", "queueP90Ms", "steps",
}

// Groupings of --by.
var groupings = []string{"workflow", "job", "week"}

// Options are stats' dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Repos, when more than one, are reported across instead of Repo.
	Repos    []cmdutil.Repository
	Select   reposet.Selection
	Filter   runquery.Filter
	Exporter *output.Exporter
	// By groups the figures: workflow, job or week.
	By string
	// NoteAbove is the number of requests above which the command says
	// how many it will make.
	NoteAbove int
	// Now ends the runs still going.
	Now time.Time
}

// NewCmd builds the stats command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: env.IO, NoteAbove: noteAbove}
	cmd := &cobra.Command{
		Use:   "stats [filters]",
		Short: "Report how workflows are doing: success rate, durations, flaky jobs, slow steps",
		Long: `Report, for the runs the filters select (by default those created in the
last 30 days, counted from the start of the hour), per workflow: the number of runs, the success rate (OK%:
successful runs out of completed ones), failures (FAIL) and cancellations
(CANCEL), the duration p50, p90 and max, and the queue time p50 and p90.

--by job reports per job (by workflow and job name, over every attempt of
each run): job runs, failures, flaky count and duration p50, p90 and max,
slowest first, and names the slowest and the most often failing job.

--by week shows the trend: per workflow, one row per ISO week (from Monday,
00:00 UTC) in which runs were created, oldest first: runs, success rate,
duration p50 and p90 and queue time p50. Every week of the window has its
row, with 0 runs when none ran, so that the trend has no holes (when -L
cut the runs read, the weeks start at the oldest run read). Weeks are per
workflow, not overall, because durations of different workflows do not
mix: a median over a 2-minute CI and an hour-long nightly build describes
neither. -w picks one workflow's trend.

Steps: on a terminal, after the figures of workflows or jobs, the 5 slowest
steps (by p90) and the 5 most often failing, each as workflow / job / step
with the times it ran, its failures and its duration p50 and p90; in JSON,
each workflow's row carries all its steps (the steps field), slowest first.
They come from the jobs already read, at no extra request.

--owner, --repos or -R given more than once report across repositories:
the rows are per repository (REPO, first in a pipe; repository in JSON),
since workflows of one name in two repositories are not the same.

A run's duration is from its start to its last job's end; its queue time is
from its creation to its start, for first attempts only (a rerun's start is
that of the rerun). Skipped jobs did not run and are not counted. A
percentile is the nearest-rank one: p90 of 10 durations is the 9th shortest.

A job is flaky on a commit when it failed and then succeeded on the same
commit: in a later attempt of the same run, or in a later run of the same
workflow. FLAKY counts the commits on which that happened.

The figures come from each run's jobs, one request per attempt of each run;
over a large window the command says how many requests it will make
first, and -L caps the runs read. When they do not fit GitHub's rate limit
left, it says how many runs fit and stops, unless --yes.`,
		Example: fmt.Sprintf(`  %[1]s
  %[1]s --workflow CI --newer-than 7d
  %[1]s --by job --branch main
  %[1]s --by week -w CI --newer-than 8w
  %[1]s --json workflow,steps -q '.[].steps[:3][] | [.job, .step, .durationP90Ms] | @tsv'
  %[1]s --owner my-org --newer-than 7d
  %[1]s --created 2026-11-01..2026-11-30 -L 200 --json workflow,runs,successRate`, env.Command("stats")),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			defaulted := opts.Filter.Created == "" && opts.Filter.NewerThan == 0 && opts.Filter.OlderThan == 0
			if defaulted {
				opts.Filter.NewerThan = DefaultWindow
			}
			if opts.Filter.Relative() {
				opts.Filter.Now = env.Clock()
			}
			if defaulted {
				// The default window starts on an hour: the listing's URL,
				// which holds the window's start, then stays the same for
				// an hour, so that stats again (--by job after --by
				// workflow, say) revalidates the cached listing, at no cost
				// to the rate limit, instead of listing anew. Up to an hour
				// more of runs, 30 days back, moves no figure a person reads.
				opts.Filter.Now = opts.Filter.Now.Truncate(time.Hour)
			}
			if err := cmdutil.ValidateFilter(opts.Filter); err != nil {
				return err
			}
			if err := opts.Exporter.Validate(); err != nil {
				return cmdutil.FlagErrorf("%s", err)
			}
			if !slices.Contains(groupings, opts.By) {
				return cmdutil.FlagErrorf("invalid --by %q: want workflow, job or week", opts.By)
			}
			opts.Now = env.Clock()
			if opts.Select.Multi(env) {
				return across(cmd.Context(), env, opts, runF)
			}
			var err error
			if opts.Repo, err = env.Repo(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Client, err = env.Client(opts.Repo, false); err != nil {
				return err
			}
			return run(cmd.Context(), opts)
		},
	}
	cmdutil.AddFilterFlags(cmd, &opts.Filter, 0)
	reposet.AddFlags(cmd, &opts.Select)
	cmd.Flags().Lookup("yes").Usage = "Go on when the requests do not fit the rate limit left"
	cmd.Flags().StringVar(&opts.By, "by", "workflow", "Group figures by `key`: workflow, job or week")
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

// runJobs is one run with the jobs of each of its attempts, oldest first.
type runJobs struct {
	Repo     cmdutil.Repository
	Run      api.Run
	Attempts [][]api.Job
	Err      error
}

// latest is the jobs of the run's latest attempt.
func (r runJobs) latest() []api.Job {
	if len(r.Attempts) == 0 {
		return nil
	}
	return r.Attempts[len(r.Attempts)-1]
}

func run(ctx context.Context, opts *Options) error {
	runs, listFailed, err := listRuns(ctx, opts)
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		if opts.IO.IsStdoutTTY() && !opts.Exporter.Enabled() {
			fmt.Fprintln(opts.IO.ErrOut, "no runs found")
		}
		if err := report(opts, nil); err != nil || !listFailed {
			return err
		}
		return cmdutil.ErrSilent
	}
	requests := 0
	perRun := make([]int, len(runs))
	for i, r := range runs {
		perRun[i] = max(r.Run.RunAttempt, 1)
		requests += perRun[i]
	}
	if err := sweep.CheckJobs(ctx, opts.IO, opts.Client, "jobs", perRun, max(len(opts.Repos), 1), opts.Filter, opts.Select.Yes); err != nil {
		return err
	}
	if requests > opts.NoteAbove {
		fmt.Fprintf(opts.IO.ErrOut, "reading the jobs of %s: %s (-L caps the runs read)\n",
			output.Plural(len(runs), "run"), output.Plural(requests, "request"))
	}
	results := fetch(ctx, opts, runs)
	var ok []runJobs
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			errs = append(errs, r.Err)
			fmt.Fprintln(opts.IO.ErrOut, output.Lines(r.Err.Error()))
			continue
		}
		ok = append(ok, r)
	}
	if err := report(opts, ok); err != nil {
		return err
	}
	if len(errs) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "could not read the jobs of %s of %d\n", output.Plural(len(errs), "run"), len(results))
		return cmdutil.Reported(errs...)
	}
	if listFailed {
		return cmdutil.ErrSilent
	}
	return nil
}

// listRuns lists the runs the filters select, newest first, in the one
// repository or, across several, after checking the rate limit left
// (sweep.CheckedList). listFailed is set when some repository's listing
// failed: that was reported, and the others' runs are there.
func listRuns(ctx context.Context, opts *Options) (runs []runJobs, listFailed bool, err error) {
	if len(opts.Repos) > 1 {
		res, err := sweep.CheckedList(ctx, opts.IO, opts.Client, opts.Repos, opts.Filter, opts.Select.Yes)
		if res == nil {
			return nil, false, err
		}
		for _, r := range res.Runs {
			runs = append(runs, runJobs{Repo: r.Repo, Run: r.Run})
		}
		return runs, err != nil, nil
	}
	list, err := cmdutil.ListRuns(ctx, opts.IO, opts.Client, opts.Repo, opts.Filter)
	if err != nil {
		return nil, false, err
	}
	for _, r := range list.Runs {
		runs = append(runs, runJobs{Repo: opts.Repo, Run: r})
	}
	return runs, false, nil
}

// fetch reads the jobs of every attempt of every run, one request per
// attempt, over the client's bounded pool of workers, keeping the runs'
// order. Run IDs are unique across GitHub, so they key the work across
// repositories too.
func fetch(ctx context.Context, opts *Options, runs []runJobs) []runJobs {
	c := opts.Client
	out := slices.Clone(runs)
	index := make(map[int64]int, len(runs))
	list := make([]api.Run, len(runs))
	for i, r := range runs {
		index[r.Run.ID] = i
		list[i] = r.Run
	}
	var mu sync.Mutex
	bulk.Do(ctx, bulk.FromRuns(list), c.Concurrency(), "", func(ctx context.Context, id int64) error {
		i := index[id]
		r := out[i].Run
		repo := out[i].Repo.API()
		var attempts [][]api.Job
		for a := 1; a <= max(r.RunAttempt, 1); a++ {
			jobs, err := c.ListJobs(ctx, repo, id, a)
			if err != nil {
				mu.Lock()
				out[i].Err = cmdutil.RunError("jobs of", repo, id, err)
				mu.Unlock()
				return err
			}
			attempts = append(attempts, jobs)
		}
		mu.Lock()
		out[i].Attempts = attempts
		mu.Unlock()
		return nil
	})
	for i := range out {
		if out[i].Attempts == nil && out[i].Err == nil {
			out[i].Err = fmt.Errorf("jobs of run %d: %w", out[i].Run.ID, bulk.ErrNotAttempted)
		}
	}
	return out
}
