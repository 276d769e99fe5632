package stats

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

// percentile is the nearest-rank p-th percentile of sorted durations:
// the smallest value at or above p percent of them; 0 for none.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[max(rank, 1)-1]
}

// spread is the p50, p90 and max of some durations.
type spread struct {
	P50, P90, Max time.Duration
}

func spreadOf(ds []time.Duration) spread {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return spread{}
	}
	return spread{percentile(s, 50), percentile(s, 90), s[len(s)-1]}
}

// workflowStats are the figures of one workflow.
type workflowStats struct {
	// Repo is the workflow's repository, OWNER/NAME.
	Repo      string
	ID        int64
	Name      string
	Path      string
	Runs      int
	Completed int
	Successes int
	Failures  int
	Cancelled int
	durations []time.Duration
	queues    []time.Duration
	Duration  spread
	Queue     spread
}

// SuccessRate is the share of completed runs that succeeded, 0 to 1.
func (w *workflowStats) SuccessRate() float64 {
	if w.Completed == 0 {
		return 0
	}
	return float64(w.Successes) / float64(w.Completed)
}

// workflowKey tells workflows apart: GitHub's workflow IDs are its own
// database's, but nothing says two repositories' cannot be the same.
type workflowKey struct {
	repo string
	id   int64
}

func keyOf(rj runJobs) workflowKey { return workflowKey{rj.Repo.String(), rj.Run.WorkflowID} }

func newWorkflowStats(rj runJobs) *workflowStats {
	return &workflowStats{Repo: rj.Repo.String(), ID: rj.Run.WorkflowID, Name: rj.Run.Name, Path: rj.Run.Path}
}

// add counts one run.
func (w *workflowStats) add(rj runJobs, now time.Time) {
	r := rj.Run
	w.Runs++
	if r.Completed() {
		w.Completed++
		switch {
		case r.Conclusion == api.ConclusionSuccess:
			w.Successes++
		case r.Conclusion == api.ConclusionCancelled:
			w.Cancelled++
		case r.Conclusion.IsFailure():
			w.Failures++
		}
		// A run in which no job ran (skipped, startup failure) has no duration.
		if ran(rj.latest()) {
			if d, ok := api.RunElapsed(r, rj.latest(), now); ok {
				w.durations = append(w.durations, d)
			}
		}
	}
	// A run still waiting has no queue time yet, and a rerun's start is
	// that of the rerun, long after the run's creation.
	started := r.Completed() || r.Status == api.StatusInProgress
	if started && max(r.RunAttempt, 1) == 1 && !r.RunStartedAt.IsZero() && !r.CreatedAt.IsZero() {
		w.queues = append(w.queues, max(r.RunStartedAt.Sub(r.CreatedAt), 0))
	}
}

func (w *workflowStats) settle() {
	w.Duration, w.Queue = spreadOf(w.durations), spreadOf(w.queues)
}

// byWorkflow computes each workflow's figures, in the order the workflows
// first appear in runs (newest first).
func byWorkflow(runs []runJobs, now time.Time) []*workflowStats {
	index := map[workflowKey]*workflowStats{}
	var order []*workflowStats
	for _, rj := range runs {
		w := index[keyOf(rj)]
		if w == nil {
			w = newWorkflowStats(rj)
			index[keyOf(rj)] = w
			order = append(order, w)
		}
		w.add(rj, now)
	}
	for _, w := range order {
		w.settle()
	}
	return order
}

// weekStats are a workflow's figures over the runs created in one week.
type weekStats struct {
	workflowStats
	// Week is the week's first instant: Monday, 00:00 UTC.
	Week time.Time
}

// Label is the ISO week, as 2026-W47.
func (w *weekStats) Label() string {
	y, n := w.Week.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, n)
}

// weekOf is the start of t's ISO week: Monday, 00:00 UTC.
func weekOf(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
}

// byWeek computes each workflow's figures per week of creation, every week
// from the one of from to the one of to, those without runs too, so that
// a trend has no holes. Workflows come in the order they first appear in
// runs (newest first), each one's weeks oldest first. A zero from starts
// at the oldest run, and no run is left out of the weeks.
func byWeek(runs []runJobs, now, from, to time.Time) []*weekStats {
	if len(runs) == 0 {
		return nil
	}
	for _, rj := range runs {
		if c := rj.Run.CreatedAt; from.IsZero() || c.Before(from) {
			from = c
		}
		if c := rj.Run.CreatedAt; c.After(to) {
			to = c
		}
	}
	var weeks []time.Time
	for w := weekOf(from); !w.After(to); w = w.AddDate(0, 0, 7) {
		weeks = append(weeks, w)
	}
	type key struct {
		workflowKey
		week time.Time
	}
	cells := map[key]*weekStats{}
	var workflows []runJobs
	seen := map[workflowKey]bool{}
	for _, rj := range runs {
		if !seen[keyOf(rj)] {
			seen[keyOf(rj)] = true
			workflows = append(workflows, rj)
		}
		k := key{keyOf(rj), weekOf(rj.Run.CreatedAt)}
		if cells[k] == nil {
			cells[k] = &weekStats{workflowStats: *newWorkflowStats(rj), Week: k.week}
		}
		cells[k].add(rj, now)
	}
	var out []*weekStats
	for _, first := range workflows {
		for _, week := range weeks {
			w := cells[key{keyOf(first), week}]
			if w == nil {
				w = &weekStats{workflowStats: *newWorkflowStats(first), Week: week}
			}
			w.settle()
			out = append(out, w)
		}
	}
	return out
}

// ran reports whether any of the jobs ran: GitHub gives a skipped job
// times too, the same start and end.
func ran(jobs []api.Job) bool {
	return slices.ContainsFunc(jobs, func(j api.Job) bool {
		return j.Conclusion != api.ConclusionSkipped && !j.StartedAt.IsZero() && !j.CompletedAt.IsZero()
	})
}

// jobStats are the figures of one job (a job name in one workflow).
type jobStats struct {
	Repo       string
	WorkflowID int64
	Workflow   string
	Path       string
	Name       string
	Runs       int
	Failures   int
	Flaky      int
	durations  []time.Duration
	Duration   spread
}

// byJob computes each job's figures over every attempt of every run,
// slowest (by p90, then max) first. A job is flaky on a commit when, in the
// order its runs were created and their attempts made, it failed and later
// succeeded there.
func byJob(runs []runJobs) []*jobStats {
	type key struct {
		workflowKey
		name string
	}
	index := map[key]*jobStats{}
	var order []*jobStats
	// outcomes are a job's conclusions on each commit, oldest first.
	type commitKey struct {
		key
		sha string
	}
	outcomes := map[commitKey][]api.Conclusion{}
	var commits []commitKey
	// Oldest run first, so that a commit's outcomes are in time order.
	oldest := slices.Clone(runs)
	slices.SortStableFunc(oldest, func(a, b runJobs) int {
		return cmp.Or(a.Run.CreatedAt.Compare(b.Run.CreatedAt), cmp.Compare(a.Run.ID, b.Run.ID))
	})
	for _, rj := range oldest {
		r := rj.Run
		for _, jobs := range rj.Attempts {
			for _, j := range jobs {
				if !j.Completed() || j.Conclusion == api.ConclusionSkipped {
					continue
				}
				k := key{keyOf(rj), j.Name}
				s := index[k]
				if s == nil {
					s = &jobStats{Repo: rj.Repo.String(), WorkflowID: r.WorkflowID, Workflow: r.Name, Path: r.Path, Name: j.Name}
					index[k] = s
					order = append(order, s)
				}
				s.Runs++
				if j.Conclusion.IsFailure() {
					s.Failures++
				}
				if !j.StartedAt.IsZero() && !j.CompletedAt.IsZero() {
					s.durations = append(s.durations, max(j.CompletedAt.Sub(j.StartedAt), 0))
				}
				if r.HeadSHA != "" {
					ck := commitKey{k, r.HeadSHA}
					if _, seen := outcomes[ck]; !seen {
						commits = append(commits, ck)
					}
					outcomes[ck] = append(outcomes[ck], j.Conclusion)
				}
			}
		}
	}
	for _, ck := range commits {
		if flipped(outcomes[ck]) {
			index[ck.key].Flaky++
		}
	}
	for _, s := range order {
		s.Duration = spreadOf(s.durations)
	}
	slices.SortStableFunc(order, func(a, b *jobStats) int {
		return cmp.Or(cmp.Compare(b.Duration.P90, a.Duration.P90), cmp.Compare(b.Duration.Max, a.Duration.Max))
	})
	return order
}

// flipped reports whether a failure is followed, later, by a success.
func flipped(conclusions []api.Conclusion) bool {
	failed := false
	for _, c := range conclusions {
		switch {
		case c.IsFailure():
			failed = true
		case c == api.ConclusionSuccess && failed:
			return true
		}
	}
	return false
}

// workflowFile names a workflow's file ("lint.yml"), or its ID when GitHub
// gave no path, to tell apart workflows of one name.
func workflowFile(p string, id int64) string {
	if p == "" {
		return fmt.Sprintf("ID %d", id)
	}
	file, _, _ := strings.Cut(path.Base(p), "@")
	return file
}
