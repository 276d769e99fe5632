// Package bulk acts on many runs: it selects them by ID or by filter,
// confirms, runs the action over a bounded pool of workers, and reports
// every run's outcome in a stable order.
package bulk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/pace"
)

// Target is a run to act on; runs named by ID carry only their ID.
type Target struct {
	ID       int64
	Title    string
	Workflow string
	// Attempt is the run's attempt when it was listed; 0 when unknown.
	Attempt int
	// Listed is set for runs selected by filter rather than named by ID.
	Listed bool
	// Repo is the run's repository when the job spans several; zero otherwise.
	Repo api.Repo
	// Kind names what the target is, "run" when empty: "artifact".
	Kind string
}

// Outcome is what happened to one target.
type Outcome struct {
	Target
	// Result is the past-tense action ("cancelled") or, on failure, "failed".
	Result string
	Err    error
	// Skipped is set when nothing was left to do (Result says why).
	Skipped bool
	// Note says why a dry run would skip the run: "already completed".
	Note string
}

// Skip is what an action returns for a run that needed nothing done after
// all, such as one that completed between listing and acting: it is
// reported with its reason, not as a failure.
type Skip struct{ Reason string }

func (s *Skip) Error() string { return s.Reason }

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
	defer onSecondInterrupt(ctx, stopWork)()
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

// onSecondInterrupt calls stop when an interrupt (Ctrl-C) or SIGTERM comes
// after ctx is done: the first one ended ctx, and a person who presses
// Ctrl-C again does not want to wait out the grace. It returns the function
// that stops listening.
func onSecondInterrupt(ctx context.Context, stop func()) (release func()) {
	// Listening from the start, so that no second signal is missed; the
	// one that ends ctx reaches this channel too, and is dropped below.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-quit:
			return
		}
		// The signal that ended ctx may reach this channel a moment after
		// ctx ends: what comes within the first quarter second is that one.
		settle := time.NewTimer(250 * time.Millisecond)
		defer settle.Stop()
	drop:
		for {
			select {
			case <-sigs:
			case <-settle.C:
				break drop
			case <-quit:
				return
			}
		}
		select {
		case <-sigs:
			stop()
		case <-quit:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(quit)
	}
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
	var skip *Skip
	var already *AlreadyDone
	switch {
	case errors.As(err, &skip):
		return Outcome{Target: t, Result: skip.Reason, Skipped: true}
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
		ts[i] = Target{ID: r.ID, Title: r.DisplayTitle, Workflow: r.Name, Attempt: r.RunAttempt, Listed: true}
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

// Describe names a target for a person: "run 42 (CI: Fix the build)",
// safe to print.
func (t Target) Describe() string {
	if t.Repo.Name != "" {
		return t.Repo.String() + " " + Target{ID: t.ID, Title: t.Title, Workflow: t.Workflow, Kind: t.Kind}.Describe()
	}
	kind := t.Kind
	if kind == "" {
		kind = "run"
	}
	t.Workflow, t.Title = output.OneLine(t.Workflow), output.OneLine(t.Title)
	switch {
	case t.Workflow != "" && t.Title != "":
		return fmt.Sprintf("%s %d (%s: %s)", kind, t.ID, t.Workflow, t.Title)
	case t.Title != "":
		return fmt.Sprintf("%s %d (%s)", kind, t.ID, t.Title)
	}
	return fmt.Sprintf("%s %d", kind, t.ID)
}
