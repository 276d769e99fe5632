// Package bulk acts on many runs: it selects them by ID or by filter,
// confirms, runs the action over a bounded pool of workers, and reports
// every run's outcome in a stable order.
package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/pace"
)

// Target is a run to act on; runs named by ID carry only their ID.
type Target struct {
	ID       int64
	Title    string
	Workflow string
}

// Outcome is what happened to one target.
type Outcome struct {
	Target
	// Result is the past-tense action ("cancelled") or, on failure, "failed".
	Result string
	Err    error
}

// InFlightGrace is how long requests already sent may go on after an
// interruption: GitHub may act on a request it has received, so the report
// should say what it answered rather than guess.
var InFlightGrace = 10 * time.Second

// Do applies act to every target with at most workers in flight, and
// returns the outcomes in the targets' order. Once ctx is done, targets not
// yet started are reported as not attempted, and those in flight get
// InFlightGrace to finish.
func Do(ctx context.Context, targets []Target, workers int, done string, act func(ctx context.Context, id int64) error) []Outcome {
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(InFlightGrace, stopWork) })
	defer stopGrace()
	out := make([]Outcome, len(targets))
	workers = max(1, min(workers, len(targets)))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				// The feeder's select may hand out a target after ctx is
				// done, when both cases were ready: do not start it.
				if ctx.Err() != nil {
					out[i] = notAttempted(targets[i])
					continue
				}
				out[i] = outcome(targets[i], done, act(work, targets[i].ID))
			}
		}()
	}
	i := 0
feed:
	for ; i < len(targets); i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for ; i < len(targets); i++ {
		out[i] = notAttempted(targets[i])
	}
	return out
}

func notAttempted(t Target) Outcome {
	return Outcome{Target: t, Result: "not attempted", Err: ErrNotAttempted}
}

// ErrNotAttempted marks targets left alone after an interruption.
var ErrNotAttempted = errors.New("not attempted: interrupted")

// AlreadyDone is what Act returns when the run was already as asked (a
// run deleted meanwhile): the outcome is Result, not a failure.
type AlreadyDone struct{ Result string }

func (d *AlreadyDone) Error() string { return d.Result }

func outcome(t Target, done string, err error) Outcome {
	var already *AlreadyDone
	switch {
	case errors.As(err, &already):
		return Outcome{Target: t, Result: already.Result}
	case errors.Is(err, pace.ErrHalted):
		// Held by the pace when the job was stopped: never sent.
		return notAttempted(t)
	case err != nil:
		return Outcome{Target: t, Result: "failed", Err: err}
	}
	return Outcome{Target: t, Result: done}
}

// Failed counts the outcomes with an error.
func Failed(outs []Outcome) int {
	n := 0
	for _, o := range outs {
		if o.Err != nil {
			n++
		}
	}
	return n
}

// FromRuns makes targets of listed runs.
func FromRuns(runs []api.Run) []Target {
	ts := make([]Target, len(runs))
	for i, r := range runs {
		ts[i] = Target{ID: r.ID, Title: r.DisplayTitle, Workflow: r.Name}
	}
	return ts
}

// FromIDs makes targets of run IDs.
func FromIDs(ids []int64) []Target {
	ts := make([]Target, len(ids))
	for i, id := range ids {
		ts[i] = Target{ID: id}
	}
	return ts
}

// Describe names a target for a person: "run 42 (CI: Fix the build)".
func (t Target) Describe() string {
	switch {
	case t.Workflow != "" && t.Title != "":
		return fmt.Sprintf("run %d (%s: %s)", t.ID, t.Workflow, t.Title)
	case t.Title != "":
		return fmt.Sprintf("run %d (%s)", t.ID, t.Title)
	}
	return fmt.Sprintf("run %d", t.ID)
}
