// Package watch implements `ghruns watch`: follow a run until it completes,
// showing its jobs and steps as they change.
package watch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// Poll intervals. Polls of an unchanged run are answered 304 from the
// client's ETag cache and cost no rate limit, but they still cost GitHub a
// request, so the interval grows while nothing happens.
const (
	// fastInterval follows a run whose jobs or steps just moved.
	fastInterval = 2 * time.Second
	// queuedInterval is the least wait while the run waits for a runner.
	queuedInterval = 10 * time.Second
	// slowInterval is the longest wait, reached after a few unchanged polls.
	slowInterval = 15 * time.Second
	// maxPollFailures is how many polls in a row may fail (after the
	// client's own retries) before watch gives up.
	maxPollFailures = 3
)

// Options are watch's dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Now is the clock, for change times and elapsed times.
	Now func() time.Time
	// Sleep waits d or until ctx is done, returning ctx's error then.
	Sleep func(ctx context.Context, d time.Duration) error

	RunID int64
	// Interval, when above 0, replaces the adaptive interval.
	Interval   time.Duration
	ExitStatus bool
	// Across, with --owner, --repos or several -R, watches every run of
	// those repositories instead of RunID.
	Across Across
	// Target, with -b, -c or --pr in one repository, watches every run of
	// a commit instead of RunID.
	Target Target
	// ViewCommand is how the user calls view ("ghruns view"), for the hint
	// that names --log-failed.
	ViewCommand string
}

// NewCmd builds the watch command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: env.IO, ViewCommand: env.Command("view")}
	var seconds int
	cmd := &cobra.Command{
		Use:   "watch [<run-id> | -b <branch> | -c <sha> | --pr <number>]",
		Short: "Watch a workflow run, or every run of a commit, until it completes",
		Long: `Follow a run until it completes, showing its jobs and steps as they change.

On a terminal the view is redrawn in place. Otherwise one line is printed
per change: the time, what changed ("run ID", "job NAME" or "step JOB / STEP")
and its state, tab-separated.

The run is checked every 2 seconds while its steps move, less often (up to
every 15 seconds) while it is queued or unchanged; --interval fixes the
interval. Checks of an unchanged run are answered from GitHub's conditional
requests and do not count against the rate limit.

With no run ID on a terminal, pick one of the recent runs not completed.

With -c SHA, --pr NUMBER or -b BRANCH, every run of a commit is watched:
that commit (its whole 40-character SHA), the pull request's head commit,
or the branch's head commit, taken from the newest run on the branch when
the watch starts. Runs that start while watching are picked up; with -b,
so are those of a newer push to the branch, since a push supersedes the
head that was watched and the branch is then done only when they are.
Runs completed before the watch are shown once, as completed. The watch
ends when every run has completed; --exit-status then exits 1 if any run
failed. A commit with no runs yet is waited for, up to 5 minutes. On a
terminal each run is a block (its state, workflow, title, ID and time, then
its jobs); otherwise one line is printed per change: the time, "run ID
WORKFLOW", what changed ("run", "job NAME" or "step JOB / STEP") and its
state, tab-separated. If a run failed, the last 20 lines of its failed
steps' logs follow (5 steps at most), as "view --log-failed" prints them.
Each poll reads one listing of the commit's runs and the jobs of the runs
going; unchanged answers cost no rate limit.

With --owner, --repos or -R more than once (optionally -b BRANCH or
-c SHA), every run of those repositories is watched: one line per state
change (time, repository, run, state), the first sweep showing the runs not
completed, until interrupted or, with --exit-status, until every run seen
going has completed. Each repository's newest 30 runs are read every 15
seconds (--interval); unchanged repositories answer 304, at no cost to the
rate limit.`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s 123456 --exit-status && echo passed
  %[1]s 123456 --interval 30 > run.log
  %[1]s --pr 42 --exit-status
  %[1]s -b main
  %[1]s -c "$(git rev-parse HEAD)" > runs.log
  %[1]s --owner my-org -b main --exit-status`, env.Command("watch")),
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Across.Select.Multi(env) {
				return cmdutil.NoArgs(cmd, args)
			}
			for _, name := range []string{"branch", "commit", "pr"} {
				if f := cmd.Flags().Lookup(name); f.Changed && f.Value.String() == "" {
					return cmdutil.FlagErrorf("--%s needs a value", name)
				}
			}
			if opts.Target.set() {
				// Checked in RunE, with the flags' values.
				return nil
			}
			return cmdutil.RunIDArg(env.IO.CanPrompt)(cmd, args)
		},
		ValidArgsFunction: env.CompleteRunIDs(notCompleted),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Target.set() && !opts.Across.Select.Multi(env) {
				if err := opts.Target.validate(args); err != nil {
					return err
				}
			}
			var err error
			if opts.RunID, err = cmdutil.ParseRunArg(args); err != nil {
				return err
			}
			if cmd.Flags().Changed("interval") {
				// Bounded before the conversion to a duration, which
				// would wrap a large count of seconds to a tiny interval.
				if seconds < 1 || seconds > maxIntervalSeconds {
					return cmdutil.FlagErrorf("invalid --interval %d: must be from 1 to %d seconds", seconds, maxIntervalSeconds)
				}
				opts.Interval = time.Duration(seconds) * time.Second
			}
			if opts.Across.Select.Multi(env) {
				opts.Now, opts.Sleep = env.Clock, api.Sleep
				if opts.Target.PRArg != "" {
					return cmdutil.FlagErrorf("--pr watches one repository: it cannot be used with --owner, --repos or several -R")
				}
				opts.Across.Branch, opts.Across.Commit = opts.Target.Branch, opts.Target.Commit
				if err := (runquery.Filter{Branch: opts.Across.Branch, Commit: opts.Across.Commit}).Validate(); err != nil {
					return &cmdutil.FlagError{Err: err}
				}
				if runF != nil {
					return runF(cmd.Context(), opts)
				}
				if err := prepareAcross(cmd.Context(), env, opts); err != nil {
					return err
				}
				return runAcross(cmd.Context(), opts)
			}
			if opts.Repo, err = env.Repo(); err != nil {
				return err
			}
			opts.Now = env.Clock
			opts.Sleep = api.Sleep
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Target.set() {
				if opts.Client, err = env.Client(opts.Repo, false); err != nil {
					return err
				}
				return runMany(cmd.Context(), opts)
			}
			if opts.Client, opts.RunID, err = env.ResolveRun(cmd.Context(), opts.Repo, opts.RunID, "Select a run to watch", notCompleted); err != nil {
				return err
			}
			return run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&seconds, "interval", "i", 0, "Wait this many `seconds` between checks, 1 to 3600 (default: 2 to 15, adapting to the run)")
	f.BoolVar(&opts.ExitStatus, "exit-status", false, "Exit with status 1 unless the run concludes with success (with -b, -c or --pr: if any run failed)")
	f.StringVarP(&opts.Target.Branch, "branch", "b", "", "Watch the runs of `branch`'s head commit (with --owner, --repos or several -R: only runs of branch)")
	f.StringVarP(&opts.Target.Commit, "commit", "c", "", "Watch the runs of the commit `SHA` (with --owner, --repos or several -R: only its runs)")
	f.StringVar(&opts.Target.PRArg, "pr", "", "Watch the runs of pull request `number`'s head commit")
	reposet.AddFlags(cmd, &opts.Across.Select)
	return cmd
}

// maxIntervalSeconds bounds --interval at an hour: a longer wait is
// better had with a scheduler than a watch.
const maxIntervalSeconds = 3600

func notCompleted(r api.Run) bool { return !r.Completed() }

func run(ctx context.Context, opts *Options) error {
	w := newWriter(opts)
	var prev *snapshot
	wait := time.Duration(0)
	failures := 0
	for {
		cur, err := fetch(ctx, opts)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures++
			if prev == nil || !transient(err) || failures >= maxPollFailures {
				return err
			}
			fmt.Fprintf(opts.IO.ErrOut, "warning: %s; trying again in %s\n", output.OneLine(err.Error()), wait)
			w.warned()
		} else {
			failures = 0
			wait = nextInterval(opts.Interval, wait, prev, cur)
			w.show(prev, cur, wait)
			prev = cur
			if cur.run.Completed() {
				break
			}
		}
		if err := opts.Sleep(ctx, wait); err != nil {
			return err
		}
	}
	if opts.ExitStatus && prev.run.Conclusion != api.ConclusionSuccess {
		return cmdutil.ErrSilent
	}
	return nil
}

// nextInterval is how long to wait after the poll that saw cur: fixed when
// the user said so; else fast while anything moves, then doubling while
// nothing does, and never fast while the run waits for a runner.
func nextInterval(fixed, last time.Duration, prev, cur *snapshot) time.Duration {
	return adapt(fixed, last, prev == nil || cur.changedSince(prev), cur.waiting())
}

// adapt is the wait after a poll, given the last wait, whether the poll saw
// anything move, and whether everything not done waits (for a runner, an
// approval, or a job it needs): the one rule for one run and for many.
func adapt(fixed, last time.Duration, changed, waiting bool) time.Duration {
	if fixed > 0 {
		return fixed
	}
	d := fastInterval
	if !changed {
		d = min(max(2*last, fastInterval), slowInterval)
	}
	if waiting {
		d = max(d, queuedInterval)
	}
	return d
}

// fetch gets the run and its jobs, both at once.
func fetch(ctx context.Context, opts *Options) (*snapshot, error) {
	repo := opts.Repo.API()
	var jobs []api.Job
	jobsErr := make(chan error, 1)
	go func() {
		var err error
		jobs, err = opts.Client.ListJobs(ctx, repo, opts.RunID, 0)
		jobsErr <- err
	}()
	r, err := opts.Client.GetRun(ctx, repo, opts.RunID, 0)
	jerr := <-jobsErr
	if err != nil {
		return nil, cmdutil.RunError("", repo, opts.RunID, err)
	}
	if jerr != nil {
		return nil, fmt.Errorf("listing the jobs of run %d: %w", opts.RunID, jerr)
	}
	return &snapshot{run: *r, jobs: jobs, at: opts.Now()}, nil
}

// transient reports whether a failed poll may work next time: anything
// but GitHub refusing the request (a 4xx, a used-up rate limit included).
func transient(err error) bool {
	var he *api.HTTPError
	return !errors.As(err, &he) || he.StatusCode >= http.StatusInternalServerError
}
