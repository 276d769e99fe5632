package bulk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

func targets(n int) []Target {
	ts := make([]Target, n)
	for i := range ts {
		ts[i] = Target{ID: int64(1000 + i)}
	}
	return ts
}

// TestDoKeepsOrder: outcomes come back in the targets' order whatever order
// the work finishes in, failures included.
func TestDoKeepsOrder(t *testing.T) {
	ts := targets(40)
	outs := Do(context.Background(), ts, 8, "cancelled", func(_ context.Context, id int64) error {
		// Later targets finish first.
		time.Sleep(time.Duration(1040-id) * 50 * time.Microsecond)
		if id%7 == 0 {
			return fmt.Errorf("run %d is already completed", id)
		}
		return nil
	})
	if len(outs) != len(ts) {
		t.Fatalf("got %d outcomes for %d targets", len(outs), len(ts))
	}
	for i, o := range outs {
		if o.ID != ts[i].ID {
			t.Fatalf("outcome %d is for run %d, want %d", i, o.ID, ts[i].ID)
		}
		switch {
		case o.ID%7 == 0 && (o.Result != "failed" || o.Err == nil || o.Err.Error() != fmt.Sprintf("run %d is already completed", o.ID)):
			t.Errorf("run %d: got %q, %v; want failed with its error", o.ID, o.Result, o.Err)
		case o.ID%7 != 0 && (o.Result != "cancelled" || o.Err != nil):
			t.Errorf("run %d: got %q, %v; want cancelled", o.ID, o.Result, o.Err)
		}
	}
	if got, want := Failed(outs), 6; got != want { // 1001, 1008, ..., 1036
		t.Errorf("Failed = %d, want %d", got, want)
	}
}

// TestDoBoundsWorkers measures how many acts run at once.
func TestDoBoundsWorkers(t *testing.T) {
	for _, tc := range []struct{ workers, targets, want int }{
		{3, 30, 3},
		{8, 2, 2},  // no more workers than targets
		{0, 5, 1},  // at least one
		{-4, 5, 1}, // at least one
	} {
		t.Run(fmt.Sprintf("%d workers for %d", tc.workers, tc.targets), func(t *testing.T) {
			var inFlight, peak, calls atomic.Int64
			outs := Do(context.Background(), targets(tc.targets), tc.workers, "done", func(context.Context, int64) error {
				calls.Add(1)
				n := inFlight.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(3 * time.Millisecond)
				inFlight.Add(-1)
				return nil
			})
			if int(calls.Load()) != tc.targets || Failed(outs) != 0 {
				t.Errorf("act called %d times, %d failed; want %d calls, none failed", calls.Load(), Failed(outs), tc.targets)
			}
			if int(peak.Load()) > tc.want {
				t.Errorf("%d acts in flight at once, want at most %d", peak.Load(), tc.want)
			}
			if tc.targets >= 10 && tc.want > 1 && peak.Load() < 2 {
				t.Errorf("acts ran one at a time with %d workers", tc.workers)
			}
		})
	}
}

// TestDoInterrupted: once the context is done, no target starts; those left
// are reported as not attempted, and the ones done keep their outcome.
func TestDoInterrupted(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var started atomic.Int64
			var seen []int64
			seenc := make(chan int64, 100)
			outs := Do(ctx, targets(50), workers, "rerun requested", func(ctx context.Context, id int64) error {
				seenc <- id
				if started.Add(1) == 5 {
					cancel()
					// A request in flight goes on: its context is not done.
					return ctx.Err()
				}
				return nil
			})
			close(seenc)
			for id := range seenc {
				seen = append(seen, id)
			}
			if int(started.Load()) > 5+workers-1 {
				t.Errorf("%d acts started; after the cancel at the 5th none should start (%d workers)", started.Load(), workers)
			}
			attempted, notAttempted := 0, 0
			for i, o := range outs {
				if o.ID != int64(1000+i) {
					t.Fatalf("outcome %d is for run %d", i, o.ID)
				}
				switch {
				case errors.Is(o.Err, ErrNotAttempted):
					notAttempted++
					if o.Result != "not attempted" {
						t.Errorf("run %d: result %q, want not attempted", o.ID, o.Result)
					}
					if slices.Contains(seen, o.ID) {
						t.Errorf("run %d was acted on, yet reported not attempted", o.ID)
					}
				default:
					attempted++
					if !slices.Contains(seen, o.ID) {
						t.Errorf("run %d reported %q without being acted on", o.ID, o.Result)
					}
				}
			}
			if attempted != len(seen) || notAttempted != 50-len(seen) {
				t.Errorf("%d attempted and %d not attempted; act saw %d runs", attempted, notAttempted, len(seen))
			}
			if Failed(outs) != 50-len(seen) {
				t.Errorf("Failed = %d, want the %d not attempted: the one in flight finished", Failed(outs), 50-len(seen))
			}
		})
	}
}

// TestDoNoTargets returns nothing and calls nothing.
func TestDoNoTargets(t *testing.T) {
	outs := Do(context.Background(), nil, 8, "done", func(context.Context, int64) error {
		t.Error("act called with no targets")
		return nil
	})
	if len(outs) != 0 {
		t.Errorf("got %d outcomes", len(outs))
	}
}

func TestTargets(t *testing.T) {
	ts := FromRuns([]api.Run{{ID: 42, DisplayTitle: "Fix the build", Name: "CI"}, {ID: 43, DisplayTitle: "Nightly"}})
	if got := ts[0].Describe(); got != "run 42 (CI: Fix the build)" {
		t.Errorf("Describe = %q", got)
	}
	if got := ts[1].Describe(); got != "run 43 (Nightly)" {
		t.Errorf("Describe = %q", got)
	}
	if got := FromIDs([]int64{7, 8}); len(got) != 2 || got[1].Describe() != "run 8" {
		t.Errorf("FromIDs = %+v", got)
	}
}

// TestDoGraceEnds: requests in flight at an interruption get InFlightGrace,
// then their context ends too.
func TestDoGraceEnds(t *testing.T) {
	defer func(g time.Duration) { InFlightGrace = g }(InFlightGrace)
	InFlightGrace = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	outs := Do(ctx, targets(1), 1, "cancelled", func(work context.Context, id int64) error {
		cancel()
		<-work.Done() // a request that would never end by itself
		return work.Err()
	})
	if !errors.Is(outs[0].Err, context.Canceled) {
		t.Errorf("outcome %+v, want the request ended after the grace", outs[0])
	}
}
