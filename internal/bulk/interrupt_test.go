//go:build unix

package bulk

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// TestSecondInterruptEndsGrace: after the interruption that ends ctx, a
// second Ctrl-C ends the requests in flight at once rather than after the
// 10 s grace.
func TestSecondInterruptEndsGrace(t *testing.T) {
	// Keep stray signals from ending the test process.
	guard := make(chan os.Signal, 16)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)

	ctx, cancel := context.WithCancel(context.Background())
	inFlight := make(chan struct{})
	done := make(chan []Outcome)
	start := time.Now()
	go func() {
		done <- Do(ctx, targets(1), 1, "cancelled", func(work context.Context, id int64) error {
			close(inFlight)
			<-work.Done() // a request that would never end by itself
			return work.Err()
		})
	}()
	<-inFlight
	cancel() // the first Ctrl-C
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case outs := <-done:
			if took := time.Since(start); took > InFlightGrace/2 {
				t.Errorf("Do returned after %s, want well within the %s grace", took, InFlightGrace)
			}
			if !errors.Is(outs[0].Err, context.Canceled) {
				t.Errorf("outcome %+v, want the request ended", outs[0])
			}
			return
		case <-tick.C:
			syscall.Kill(os.Getpid(), syscall.SIGINT) // Ctrl-C again
		case <-time.After(2 * InFlightGrace):
			t.Fatal("Do did not return")
		}
	}
}
