package watch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/output"
)

// Target is what a watch of many runs in one repository follows: the runs
// of a branch's head commit (and of pushes to it while watching), of a
// commit, or of a pull request's head commit. One of Branch, Commit and
// PRArg is set.
type Target struct {
	Branch string
	Commit string
	// PR is a pull request's number; PRArg is --pr as given, parsed into PR.
	PR    int
	PRArg string
}

// set reports whether any of -b, -c or --pr was given.
func (t Target) set() bool { return t.Branch != "" || t.Commit != "" || t.PRArg != "" }

// fullSHA is a whole commit SHA: GitHub's head_sha filter matches nothing
// for an abbreviated one. It is compiled on first use, not at every start
// of ghruns.
var fullSHA = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-fA-F]{40}$`) })

// validate checks the target before any request; runArgs are the
// positional arguments.
func (t *Target) validate(runArgs []string) error {
	n := 0
	for _, given := range []bool{t.Branch != "", t.Commit != "", t.PRArg != ""} {
		if given {
			n++
		}
	}
	switch {
	case len(runArgs) > 0:
		return cmdutil.FlagErrorf("specify a run ID or one of -b, -c and --pr, not both")
	case n > 1:
		return cmdutil.FlagErrorf("specify only one of -b, -c and --pr")
	case t.Commit != "" && !fullSHA().MatchString(t.Commit):
		return cmdutil.FlagErrorf("invalid -c %q: want the whole 40-character commit SHA, which GitHub matches runs by\nhint: -c $(git rev-parse %s)", t.Commit, t.Commit)
	}
	// GitHub's SHAs are lower case, and the filter matches them exactly.
	t.Commit = strings.ToLower(t.Commit)
	if t.PRArg != "" {
		pr, err := strconv.Atoi(t.PRArg)
		if err != nil || pr < 1 {
			return cmdutil.FlagErrorf("invalid --pr %q: want a pull request number, 1 or more", t.PRArg)
		}
		t.PR = pr
	}
	return nil
}

// Watching many runs: the listing that finds them is one page, and a
// commit with no run yet is waited for a while.
const (
	// manyLimit is how many of the newest runs of the commit or branch
	// each poll reads: one page of GitHub's largest size.
	manyLimit = 100
	// firstRunWait is how long a watch waits for the commit's first run
	// to appear: GitHub starts a push's runs within seconds, a busy
	// queue's within minutes.
	firstRunWait = 5 * time.Minute
	// Failed log tails printed at the end of a watch where a run failed.
	tailSteps = 5
	tailLines = 20
)

// tracked is one run a watch of many follows.
type tracked struct {
	prev, cur *snapshot
	// done is set once the run's jobs were read after it completed.
	done bool
	// fresh is set when the last poll read the run.
	fresh bool
}

// many is the state of a watch of many runs.
type many struct {
	opts *Options
	// sha is the commit watched; for -b it is the branch's head when the
	// watch started, "" until the branch has a run.
	sha     string
	runs    map[int64]*tracked
	ignored map[int64]bool // runs of the branch's earlier commits
	polled  bool           // a listing has been read
	next    time.Duration
}

// runMany watches every run of opts.Target in opts.Repo until all complete.
func runMany(ctx context.Context, opts *Options) error {
	m := &many{opts: opts, sha: opts.Target.Commit, runs: map[int64]*tracked{}, ignored: map[int64]bool{}}
	if pr := opts.Target.PR; pr > 0 {
		var err error
		if m.sha, err = prHead(ctx, opts, pr); err != nil {
			return err
		}
	}
	b := newBoard(opts, m)
	start := opts.Now()
	toldWaiting := false
	failures := 0
	for {
		changed, err := m.poll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures++
			if !m.polled || !transient(err) || failures >= maxPollFailures {
				return err
			}
			fmt.Fprintf(opts.IO.ErrOut, "warning: %s; trying again in %s\n", output.OneLine(err.Error()), m.next)
			b.warned()
		} else {
			failures = 0
			m.next = m.interval(changed)
			if len(m.runs) == 0 {
				if opts.Now().Sub(start) >= firstRunWait {
					return fmt.Errorf("no runs for %s after %s", m.subject(), output.Duration(firstRunWait))
				}
				if !toldWaiting {
					fmt.Fprintf(opts.IO.ErrOut, "no runs for %s yet; waiting up to %s\n", m.subject(), output.Duration(firstRunWait))
					toldWaiting = true
				}
			} else if m.allDone() {
				break
			} else {
				b.show()
			}
		}
		if err := opts.Sleep(ctx, m.next); err != nil {
			return err
		}
	}
	b.end()
	failed := m.failed()
	if len(failed) > 0 {
		m.printTails(ctx, failed)
	}
	if opts.ExitStatus && len(failed) > 0 {
		return cmdutil.ErrSilent
	}
	return nil
}

// prHead is the SHA of pull request pr's head commit.
func prHead(ctx context.Context, opts *Options, pr int) (string, error) {
	p, err := opts.Client.GetPullRequest(ctx, opts.Repo.API(), pr)
	if api.IsNotFound(err) {
		return "", fmt.Errorf("pull request %d not found in %s (HTTP 404)", pr, opts.Repo)
	} else if err != nil {
		return "", fmt.Errorf("pull request %d: %w", pr, err)
	}
	return p.Head.SHA, nil
}

// subject names what is watched, for messages: "commit 5e1f0c3 in octo/hello".
func (m *many) subject() string {
	t := m.opts.Target
	switch {
	case t.PR > 0:
		return fmt.Sprintf("pull request %d (commit %s) in %s", t.PR, short(m.sha), m.opts.Repo)
	case t.Branch != "" && m.sha != "":
		return fmt.Sprintf("branch %s (commit %s) in %s", output.OneLine(t.Branch), short(m.sha), m.opts.Repo)
	case t.Branch != "":
		return fmt.Sprintf("branch %s in %s", output.OneLine(t.Branch), m.opts.Repo)
	}
	return fmt.Sprintf("commit %s in %s", short(m.sha), m.opts.Repo)
}

// short is a commit SHA as git abbreviates it.
func short(sha string) string { return output.OneLine(sha[:min(len(sha), 7)]) }

// poll lists the runs of the commit or branch, then reads the jobs of each
// run followed that is not done, all at once. It reports whether anything
// moved. Unchanged listings and job lists are answered 304 from the
// client's ETag cache, at no cost to the rate limit.
func (m *many) poll(ctx context.Context) (bool, error) {
	f := api.RunFilter{HeadSHA: m.sha}
	if m.opts.Target.Branch != "" {
		f = api.RunFilter{Branch: m.opts.Target.Branch}
	}
	list, err := m.opts.Client.ListRuns(ctx, m.opts.Repo.API(), f, manyLimit)
	if err != nil {
		return false, fmt.Errorf("listing the runs of %s: %w", m.subject(), err)
	}
	first := !m.polled
	if first && m.sha == "" && len(list.Runs) > 0 {
		m.sha = list.Runs[0].HeadSHA // newest first: the branch's head
	}
	m.polled = true
	// Runs a listing does not show cannot be followed: a watch that went on
	// with the newest would call them all done, and miss a failure.
	if m.opts.Target.Branch == "" && list.TotalCount > manyLimit {
		return false, fmt.Errorf("%s has %d runs, more than the %d a watch follows", m.subject(), list.TotalCount, manyLimit)
	}
	at := m.opts.Now()
	todo, runs, err := m.follow(list.Runs, first)
	if err != nil {
		return false, err
	}
	jobs, err := m.readJobs(ctx, runs)
	if err != nil {
		return false, err
	}
	changed := false
	for i, t := range todo {
		cur := &snapshot{run: runs[i], jobs: jobs[i], at: at}
		t.prev, t.cur = t.cur, cur
		changed = changed || t.prev == nil || cur.changedSince(t.prev)
		t.done, t.fresh = cur.run.Completed(), true
	}
	return changed, nil
}

// follow picks, from a listing, the runs to read the jobs of: those
// followed and not done, and those to follow from now on. todo[i] tracks
// runs[i].
func (m *many) follow(listed []api.Run, first bool) (todo []*tracked, runs []api.Run, err error) {
	for _, t := range m.runs {
		t.fresh = false
	}
	for _, r := range listed {
		t := m.runs[r.ID]
		if t == nil {
			if m.ignored[r.ID] {
				continue
			}
			// A run of the branch that starts while watching is a newer
			// push's, followed too; those of earlier commits are not.
			if r.HeadSHA != m.sha && (first || m.opts.Target.Branch == "") {
				m.ignored[r.ID] = true
				continue
			}
			if len(m.runs) == manyLimit {
				return nil, nil, fmt.Errorf("%s has more than the %d runs a watch follows", m.subject(), manyLimit)
			}
			t = &tracked{}
			m.runs[r.ID] = t
		}
		if t.done {
			continue
		}
		todo = append(todo, t)
		runs = append(runs, r)
	}
	return todo, runs, nil
}

// readJobs lists the jobs of each run, all at once (the client bounds the
// requests in flight); jobs[i] are runs[i]'s.
func (m *many) readJobs(ctx context.Context, runs []api.Run) ([][]api.Job, error) {
	jobs := make([][]api.Job, len(runs))
	errs := make([]error, len(runs))
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jobs[i], errs[i] = m.opts.Client.ListJobs(ctx, m.opts.Repo.API(), r.ID, 0)
		}()
	}
	wg.Wait()
	return jobs, errors.Join(errs...)
}

// interval is the wait after a poll, as for one run (adapt): never fast
// while every run not done waits for a runner (or none exists yet).
func (m *many) interval(changed bool) time.Duration {
	waiting := true
	for _, t := range m.runs {
		if !t.done && !t.cur.waiting() {
			waiting = false
		}
	}
	return adapt(m.opts.Interval, m.next, changed, waiting)
}

// allDone reports whether every run followed has completed and its jobs
// were read after.
func (m *many) allDone() bool {
	for _, t := range m.runs {
		if !t.done {
			return false
		}
	}
	return true
}

// ordered are the runs followed, oldest first, so that they read in the
// order they started.
func (m *many) ordered() []*snapshot {
	var out []*snapshot
	for _, t := range m.runs {
		out = append(out, t.cur)
	}
	slices.SortFunc(out, func(a, b *snapshot) int {
		if c := a.run.CreatedAt.Compare(b.run.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.run.ID, b.run.ID)
	})
	return out
}

// failed are the runs that concluded in failure, oldest first.
func (m *many) failed() []*snapshot {
	var out []*snapshot
	for _, s := range m.ordered() {
		if s.run.Conclusion.IsFailure() {
			out = append(out, s)
		}
	}
	return out
}
