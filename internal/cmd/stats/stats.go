// Package stats implements `ghruns stats`: how the workflows of a
// repository are doing over runs selected by filter (success rate,
// failures, durations, queue times), per workflow or per job, with flaky
// jobs marked.
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
	"github.com/ghruns/gh-runs/internal/runquery"
)

// DefaultWindow is how far back stats looks when no time filter is given.
const DefaultWindow = 30 * 24 * time.Hour

// noteAbove is the number of requests above which stats says, before
// making them, how many it will make.
const noteAbove = 50

// Fields are stats' --json fields: those of a workflow's row (--by
// workflow) and of a job's (--by job); each row has the fields of its kind.
var Fields = []string{
	"workflow", "workflowDatabaseId", "path", "job",
	"runs", "successes", "failures", "cancelled", "flaky", "successRate",
	"durationP50Ms", "durationP90Ms", "durationMaxMs", "queueP50Ms", "queueP90Ms",
}

// Groupings of --by.
var groupings = []string{"workflow", "job"}

// Options are stats' dependencies and flag values.
type Options struct {
	IO       *iostreams.IOStreams
	Client   *api.Client
	Repo     cmdutil.Repository
	Filter   runquery.Filter
	Exporter *output.Exporter
	// By groups the figures: workflow or job.
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
		Short: "Report how workflows are doing: success rate, durations, flaky jobs",
		Long: `Report, for the runs the filters select (by default those created in the
last 30 days), per workflow: the number of runs, the success rate (OK%:
successful runs out of completed ones), failures (FAIL) and cancellations
(CANCEL), the duration p50, p90 and max, and the queue time p50 and p90.

--by job reports per job (by workflow and job name, over every attempt of
each run): job runs, failures, flaky count and duration p50, p90 and max,
slowest first, and names the slowest and the most often failing job.

A run's duration is from its start to its last job's end; its queue time is
from its creation to its start, for first attempts only (a rerun's start is
that of the rerun). Skipped jobs did not run and are not counted. A
percentile is the nearest-rank one: p90 of 10 durations is the 9th shortest.

A job is flaky on a commit when it failed and then succeeded on the same
commit: in a later attempt of the same run, or in a later run of the same
workflow. FLAKY counts the commits on which that happened.

The figures come from each run's jobs, one request per attempt of each run;
over a large window the command says how many requests it will make
first, and -L caps the runs read.`,
		Example: fmt.Sprintf(`  %[1]s
  %[1]s --workflow CI --newer-than 7d
  %[1]s --by job --branch main
  %[1]s --created 2026-11-01..2026-11-30 -L 200 --json workflow,runs,successRate`, env.Command("stats")),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Filter.Created == "" && opts.Filter.NewerThan == 0 && opts.Filter.OlderThan == 0 {
				opts.Filter.NewerThan = DefaultWindow
			}
			if opts.Filter.Relative() {
				opts.Filter.Now = env.Clock()
			}
			if err := cmdutil.ValidateFilter(opts.Filter); err != nil {
				return err
			}
			if err := opts.Exporter.Validate(); err != nil {
				return cmdutil.FlagErrorf("%s", err)
			}
			if !slices.Contains(groupings, opts.By) {
				return cmdutil.FlagErrorf("invalid --by %q: want workflow or job", opts.By)
			}
			opts.Now = env.Clock()
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
	cmd.Flags().StringVar(&opts.By, "by", "workflow", "Group figures by `key`: workflow or job")
	_ = cmd.RegisterFlagCompletionFunc("by", cobra.FixedCompletions(groupings, cobra.ShellCompDirectiveNoFileComp))
	opts.Exporter = output.AddJSONFlags(cmd, Fields)
	return cmd
}

// runJobs is one run with the jobs of each of its attempts, oldest first.
type runJobs struct {
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
	list, err := cmdutil.ListRuns(ctx, opts.IO, opts.Client, opts.Repo, opts.Filter)
	if err != nil {
		return err
	}
	if len(list.Runs) == 0 {
		if opts.IO.IsStdoutTTY() && !opts.Exporter.Enabled() {
			fmt.Fprintln(opts.IO.ErrOut, "no runs found")
		}
		return report(opts, nil)
	}
	requests := 0
	for _, r := range list.Runs {
		requests += max(r.RunAttempt, 1)
	}
	if requests > opts.NoteAbove {
		fmt.Fprintf(opts.IO.ErrOut, "reading the jobs of %s: %s (-L caps the runs read)\n",
			output.Plural(len(list.Runs), "run"), output.Plural(requests, "request"))
	}
	results := fetch(ctx, opts, list.Runs)
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
	return nil
}

// fetch reads the jobs of every attempt of every run, one request per
// attempt, over the client's bounded pool of workers, keeping the runs' order.
func fetch(ctx context.Context, opts *Options, runs []api.Run) []runJobs {
	c := opts.Client
	repo := opts.Repo.API()
	out := make([]runJobs, len(runs))
	index := make(map[int64]int, len(runs))
	for i, r := range runs {
		index[r.ID] = i
		out[i].Run = r
	}
	var mu sync.Mutex
	bulk.Do(ctx, bulk.FromRuns(runs), c.Concurrency(), "", func(ctx context.Context, id int64) error {
		i := index[id]
		r := out[i].Run
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
