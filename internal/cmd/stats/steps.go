package stats

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

// topSteps is how many steps each of the terminal's step lists shows.
const topSteps = 5

// stepStats are the figures of one step: a step name in one job of one
// workflow, over every attempt of every run.
type stepStats struct {
	Repo       string
	WorkflowID int64
	Workflow   string
	Path       string
	Job        string
	Name       string
	Runs       int
	Failures   int
	durations  []time.Duration
	Duration   spread
}

// bySteps computes each step's figures from the steps of the jobs already
// read, slowest (by p90, then max) first. A step that did not run (skipped,
// or not finished) is not counted.
func bySteps(runs []runJobs) []*stepStats {
	type key struct {
		workflowKey
		job, step string
	}
	index := map[key]*stepStats{}
	var order []*stepStats
	for _, rj := range runs {
		r := rj.Run
		for _, jobs := range rj.Attempts {
			for _, j := range jobs {
				for _, st := range j.Steps {
					if st.Status != api.StatusCompleted || st.Conclusion == api.ConclusionSkipped {
						continue
					}
					k := key{keyOf(rj), j.Name, st.Name}
					s := index[k]
					if s == nil {
						s = &stepStats{Repo: rj.Repo.String(), WorkflowID: r.WorkflowID, Workflow: r.Name, Path: r.Path, Job: j.Name, Name: st.Name}
						index[k] = s
						order = append(order, s)
					}
					s.Runs++
					if st.Conclusion.IsFailure() {
						s.Failures++
					}
					if !st.StartedAt.IsZero() && !st.CompletedAt.IsZero() {
						s.durations = append(s.durations, max(st.CompletedAt.Sub(st.StartedAt), 0))
					}
				}
			}
		}
	}
	for _, s := range order {
		s.Duration = spreadOf(s.durations)
	}
	slices.SortStableFunc(order, func(a, b *stepStats) int {
		return cmp.Or(cmp.Compare(b.Duration.P90, a.Duration.P90), cmp.Compare(b.Duration.Max, a.Duration.Max), a.compare(b))
	})
	return order
}

// compare orders steps by their names, for a stable order among equals.
func (s *stepStats) compare(o *stepStats) int {
	return cmp.Or(strings.Compare(s.Repo, o.Repo), strings.Compare(s.Workflow, o.Workflow), cmp.Compare(s.WorkflowID, o.WorkflowID),
		strings.Compare(s.Job, o.Job), strings.Compare(s.Name, o.Name))
}

// failing are the steps that failed at least once, most failures first,
// then the slower (p90) of equals.
func failing(steps []*stepStats) []*stepStats {
	var out []*stepStats
	for _, s := range steps {
		if s.Failures > 0 {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b *stepStats) int {
		return cmp.Or(cmp.Compare(b.Failures, a.Failures), cmp.Compare(b.Duration.P90, a.Duration.P90), a.compare(b))
	})
	return out
}

// ofWorkflow are the steps of one workflow, in the order given.
func ofWorkflow(steps []*stepStats, w workflowKey) []*stepStats {
	var out []*stepStats
	for _, s := range steps {
		if s.Repo == w.repo && s.WorkflowID == w.id {
			out = append(out, s)
		}
	}
	return out
}
