package watch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// flaky is a transport whose connections fail while down is set, as when
// the network goes away for a while.
type flaky struct {
	down atomic.Bool
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.down.Load() {
		return nil, errors.New("connection reset by peer")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// flakyFake is fake's client over a flaky transport, whose retries do not
// wait.
func flakyFake(t *testing.T) (*fakegh.Server, *api.Client, *flaky) {
	t.Helper()
	s, _ := fake(t)
	f := &flaky{}
	c, err := api.New(api.Options{BaseURL: s.URL, Token: cmdtest.Token, UserAgent: "ghruns/test", Concurrency: 4,
		CacheDir: t.TempDir(), Transport: f, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	return s, c, f
}

// TestWatchRidesOutFailedPolls: a poll that fails (after the client's own
// retries) is a warning, and watching goes on; on a terminal the next
// redraw clears the warning too.
func TestWatchRidesOutFailedPolls(t *testing.T) {
	s, c, link := flakyFake(t)
	clk := newClock()
	clk.after = func(n int, elapsed time.Duration) bool {
		switch n {
		case 1:
			link.down.Store(true)
		case 2:
			link.down.Store(false)
			finish(s, "success")(3, elapsed)
		}
		return true
	}
	stdout, stderr, err := runWatch(t, c, clk, true, cmdtest.Arg(fakegh.InProgressRun), "--exit-status")
	if err != nil {
		t.Fatalf("error = %v", err)
	}
	// Both requests failed; the run's error is the one told.
	want := "warning: run 7000000113: GET " + s.URL +
		"/repos/octo/hello/actions/runs/7000000113?exclude_pull_requests=true: connection reset by peer; trying again in 2s\n"
	if stderr != want {
		t.Errorf("stderr = %q\nwant %q", stderr, want)
	}
	// The first frame is 10 lines, and the warning one more.
	if !strings.Contains(stdout, "\x1b[11A\x1b[J✓ Add retry to the upload step") {
		t.Errorf("the redraw does not move up over the frame and the warning:\n%q", stdout)
	}
}

// TestWatchGivesUp: three failed polls in a row end the watch with the error.
func TestWatchGivesUp(t *testing.T) {
	_, c, link := flakyFake(t)
	clk := newClock()
	clk.after = func(n int, _ time.Duration) bool {
		link.down.Store(true)
		return true
	}
	_, stderr, err := runWatch(t, c, clk, false, cmdtest.Arg(fakegh.InProgressRun))
	if err == nil || !strings.Contains(err.Error(), "connection reset by peer") {
		t.Errorf("error = %v", err)
	}
	if n := strings.Count(stderr, "warning: "); n != 2 || len(clk.sleeps) != 3 {
		t.Errorf("%d warnings and %d sleeps, want 2 and 3:\n%s", n, len(clk.sleeps), stderr)
	}
}
