package watch

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// testJob is the job of fakegh.InProgressRun still running: its step 2.
const testJob = "test"

// golden is cmdtest.Golden with escape characters written as \e, so that
// the cursor movements of a redraw can be read in testdata/NAME.golden.
func golden(t *testing.T, name, stdout, stderr string) {
	t.Helper()
	esc := strings.NewReplacer("\x1b", `\e`)
	cmdtest.Golden(t, name, esc.Replace(stdout), esc.Replace(stderr))
}

// fake is cmdtest.Serve on the real clock, with a client for the fake that
// keeps an ETag cache, as the real client does.
func fake(t *testing.T) (*fakegh.Server, *api.Client) {
	t.Helper()
	s := cmdtest.Serve(t)
	s.Now = time.Now
	c, err := api.New(api.Options{BaseURL: s.URL, Token: cmdtest.Token, UserAgent: "ghruns/test",
		Concurrency: 4, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// clock is a simulated clock: Sleep returns at once, moving the time on.
// After the nth sleep (from 1) it calls after(n, elapsed), which may change
// the fake as time passes, or return false to stop the watch as Ctrl-C does.
type clock struct {
	start, now time.Time
	sleeps     []time.Duration
	after      func(n int, elapsed time.Duration) bool
	cancel     context.CancelFunc
}

func newClock() *clock { return &clock{start: cmdtest.Now, now: cmdtest.Now} }

func (c *clock) Now() time.Time { return c.now }

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	if c.after != nil && !c.after(len(c.sleeps), c.now.Sub(c.start)) {
		c.cancel()
		return ctx.Err()
	}
	if len(c.sleeps) > 10000 {
		panic("watch did not stop")
	}
	return nil
}

// runWatch runs watch's argv against the fake through the command, with
// the simulated clock and no colour, and returns what it printed.
func runWatch(t *testing.T, c *api.Client, clk *clock, tty bool, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Setenv("NO_COLOR", "1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk.cancel = cancel
	return cmdtest.Run(tty, "", func(env *cmdutil.Env) *cobra.Command {
		cmd := NewCmd(env, func(ctx context.Context, o *Options) error {
			o.Client, o.Now, o.Sleep = c, clk.Now, clk.Sleep
			return run(ctx, o)
		})
		cmd.SetContext(ctx)
		return cmd
	}, args...)
}

func jobOf(id int64, status string) api.Job {
	j := api.Job{ID: id, Name: "job", Status: api.Status(status)}
	if j.Completed() {
		j.Conclusion = api.ConclusionSuccess
	}
	return j
}

// finish plays the end of the seeded run in progress on the fake: one
// unchanged poll, then test's step 2 ends and step 3 starts, then the job
// and the run end with conclusion.
func finish(s *fakegh.Server, conclusion string) func(int, time.Duration) bool {
	return func(n int, elapsed time.Duration) bool {
		at := cmdtest.Now.Add(elapsed)
		s.UpdateRun(fakegh.InProgressRun, func(r *fakegh.Run) {
			j := r.Job(testJob)
			switch n {
			case 2:
				st := j.Step(2)
				st.Status, st.Conclusion, st.CompletedAt = "completed", conclusion, at
				st = j.Step(3)
				st.Status, st.StartedAt = "in_progress", at
			case 3:
				st := j.Step(3)
				st.Status, st.Conclusion, st.CompletedAt = "completed", "success", at
				j.Status, j.Conclusion, j.CompletedAt = "completed", conclusion, at
				r.Status, r.Conclusion, r.UpdatedAt = "completed", conclusion, at.Add(time.Second)
			}
		})
		return true
	}
}

func TestWatchGolden(t *testing.T) {
	for _, conclusion := range []string{"success", "failure"} {
		for _, tty := range []bool{true, false} {
			name := conclusion + map[bool]string{true: "-tty", false: "-notty"}[tty]
			t.Run(name, func(t *testing.T) {
				s, c := fake(t)
				clk := newClock()
				clk.after = finish(s, conclusion)
				stdout, stderr, err := runWatch(t, c, clk, tty, cmdtest.Arg(fakegh.InProgressRun), "--exit-status")
				if wantFail := conclusion != "success"; errors.Is(err, cmdutil.ErrSilent) != wantFail || (!wantFail && err != nil) {
					t.Fatalf("error = %v, want ErrSilent: %v", err, wantFail)
				}
				// Fast after a change, slower while unchanged.
				if want := []time.Duration{2 * time.Second, 4 * time.Second, 2 * time.Second}; !slices.Equal(clk.sleeps, want) {
					t.Errorf("sleeps = %v, want %v", clk.sleeps, want)
				}
				golden(t, "watch-"+name, stdout, stderr)
			})
		}
	}
}

// TestWatchUnchangedHourIsFree watches the run in progress for an hour of
// simulated time while nothing changes: every poll after the first is
// answered 304 from the ETag cache, so GitHub's rate limit does not move,
// and nothing is printed again.
func TestWatchUnchangedHourIsFree(t *testing.T) {
	start := time.Now()
	s, c := fake(t)
	clk := newClock()
	clk.after = func(_ int, elapsed time.Duration) bool { return elapsed < time.Hour }
	stdout, stderr, err := runWatch(t, c, clk, false, cmdtest.Arg(fakegh.InProgressRun))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	first, _, _ := runWatch(t, c, &clock{now: cmdtest.Now, after: func(int, time.Duration) bool { return false }}, false, cmdtest.Arg(fakegh.InProgressRun))
	if stdout != first || stderr != "" {
		t.Errorf("an unchanged run printed more than its first poll:\n%s\nstderr %q", stdout, stderr)
	}
	// The second watch above polled once more: requests come in pairs.
	s.ResetRequests()

	remaining, _, ok := c.RateLimit()
	if !ok || remaining != 4998 {
		t.Errorf("rate limit remaining = %d (known %v), want 4998: only the first poll's two requests count", remaining, ok)
	}
	polls := len(clk.sleeps)
	var total time.Duration
	for _, d := range clk.sleeps {
		total += d
		if d > slowInterval {
			t.Errorf("slept %s, longer than %s", d, slowInterval)
		}
	}
	// 2+4+8 seconds, then every 15: about 240 polls in the hour.
	if total < time.Hour || polls < 235 || polls > 245 {
		t.Errorf("%d polls over %s", polls, total)
	}
	t.Logf("%d polls, %s simulated, in %s", polls, total, time.Since(start).Round(time.Millisecond))
}

// TestWatchConditionalRequests checks the requests themselves: the first
// poll asks plainly, every later one with the ETag it got.
func TestWatchConditionalRequests(t *testing.T) {
	s, c := fake(t)
	clk := newClock()
	clk.after = func(n int, _ time.Duration) bool { return n < 5 }
	if _, _, err := runWatch(t, c, clk, false, cmdtest.Arg(fakegh.InProgressRun)); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v", err)
	}
	reqs := s.Requests()
	if len(reqs) != 10 {
		t.Fatalf("%d requests, want 10 (5 polls of run and jobs)", len(reqs))
	}
	for i, r := range reqs {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/repos/octo/hello/actions/runs/7000000113") {
			t.Errorf("request %d: %s %s", i, r.Method, r.Path)
		}
		if inm := r.Header.Get("If-None-Match"); (i >= 2) != (inm != "") {
			t.Errorf("request %d %s: If-None-Match %q", i, r.Path, inm)
		}
	}
	if remaining, _, _ := c.RateLimit(); remaining != 4998 {
		t.Errorf("rate limit remaining = %d, want 4998", remaining)
	}
}

// TestWatchSeesChangeAfterUnchanged checks that the cache never hides a
// change: after 304s, a changed run is fetched again and reported.
func TestWatchSeesChangeAfterUnchanged(t *testing.T) {
	s, c := fake(t)
	clk := newClock()
	clk.after = func(n int, elapsed time.Duration) bool {
		if n == 20 {
			s.UpdateRun(fakegh.InProgressRun, func(r *fakegh.Run) {
				r.Status, r.Conclusion = "completed", "cancelled"
				j := r.Job(testJob)
				j.Status, j.Conclusion = "completed", "cancelled"
			})
		}
		return true
	}
	stdout, _, err := runWatch(t, c, clk, false, cmdtest.Arg(fakegh.InProgressRun), "--exit-status")
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Errorf("error = %v, want ErrSilent for a cancelled run", err)
	}
	if len(clk.sleeps) != 20 {
		t.Errorf("%d sleeps, want 20", len(clk.sleeps))
	}
	want := "\tjob test\tin_progress -> completed (cancelled)\n" +
		"2026-11-20T13:04:29Z\trun 7000000113\tin_progress -> completed (cancelled)\n"
	if !strings.HasSuffix(stdout, want) {
		t.Errorf("stdout does not end with the change:\n%s", stdout)
	}
	if remaining, _, _ := c.RateLimit(); remaining != 4996 {
		t.Errorf("rate limit remaining = %d, want 4996: the first poll and the changed one", remaining)
	}
}

func TestWatchCompletedRun(t *testing.T) {
	tests := []struct {
		id         string
		exitStatus bool
		wantErr    error
	}{
		{cmdtest.Arg(fakegh.SuccessfulRun), true, nil},                   // success
		{cmdtest.Arg(fakegh.ReleaseRun), true, nil},                      // success, three jobs
		{cmdtest.Arg(fakegh.FailedRun), true, cmdutil.ErrSilent},         // failure
		{cmdtest.Arg(fakegh.FailedRun), false, nil},                      // failure, without --exit-status
		{cmdtest.Arg(fakegh.CancelledRun), true, cmdutil.ErrSilent},      // cancelled
		{cmdtest.Arg(fakegh.SkippedRun), true, cmdutil.ErrSilent},        // skipped
		{cmdtest.Arg(fakegh.TimedOutRun), true, cmdutil.ErrSilent},       // timed_out
		{cmdtest.Arg(fakegh.StartupFailureRun), true, cmdutil.ErrSilent}, // startup_failure, no jobs
	}
	_, c := fake(t)
	for _, tt := range tests {
		clk := newClock()
		args := []string{tt.id}
		if tt.exitStatus {
			args = append(args, "--exit-status")
		}
		stdout, stderr, err := runWatch(t, c, clk, false, args...)
		if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
			t.Errorf("%v: error = %v, want %v", args, err, tt.wantErr)
		}
		if len(clk.sleeps) != 0 {
			t.Errorf("%v: slept %v on a completed run", args, clk.sleeps)
		}
		if !strings.HasPrefix(stdout, "2026-11-20T13:00:00Z\trun "+tt.id+"\tcompleted (") || stderr != "" {
			t.Errorf("%v: stdout %q, stderr %q", args, stdout, stderr)
		}
	}
}

func TestWatchCompletedGolden(t *testing.T) {
	for _, tty := range []bool{true, false} {
		name := "completed-failure" + map[bool]string{true: "-tty", false: "-notty"}[tty]
		t.Run(name, func(t *testing.T) {
			_, c := fake(t)
			stdout, stderr, err := runWatch(t, c, newClock(), tty, cmdtest.Arg(fakegh.FailedRun), "--exit-status")
			if !errors.Is(err, cmdutil.ErrSilent) {
				t.Errorf("error = %v, want ErrSilent", err)
			}
			golden(t, "watch-"+name, stdout, stderr)
		})
	}
}

// TestWatchQueued follows the queued run until its job starts: slow while
// it waits for a runner, fast once it moves.
func TestWatchQueued(t *testing.T) {
	s, c := fake(t)
	clk := newClock()
	clk.after = func(n int, elapsed time.Duration) bool {
		at := cmdtest.Now.Add(elapsed)
		switch n {
		case 3:
			s.UpdateRun(fakegh.QueuedRun, func(r *fakegh.Run) {
				r.Status = "in_progress"
				j := r.Job("build")
				j.Status, j.StartedAt, j.RunnerName = "in_progress", at, "GitHub Actions 7"
				j.Steps = []fakegh.Step{
					{Name: "Set up job", Number: 1, Status: "in_progress", StartedAt: at},
					{Name: "Run build", Number: 2, Status: "queued"},
				}
			})
		case 4:
			return false
		}
		return true
	}
	stdout, _, err := runWatch(t, c, clk, false, cmdtest.Arg(fakegh.QueuedRun))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v", err)
	}
	if want := []time.Duration{10 * time.Second, 15 * time.Second, 15 * time.Second, 2 * time.Second}; !slices.Equal(clk.sleeps, want) {
		t.Errorf("sleeps = %v, want %v", clk.sleeps, want)
	}
	want := "2026-11-20T13:00:00Z\trun 7000000112\tqueued\n" +
		"2026-11-20T13:00:00Z\tjob build\tqueued\n" +
		"2026-11-20T13:00:40Z\trun 7000000112\tqueued -> in_progress\n" +
		"2026-11-20T13:00:40Z\tjob build\tqueued -> in_progress\n" +
		"2026-11-20T13:00:40Z\tstep build / Set up job\tin_progress\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestWatchInterval(t *testing.T) {
	_, c := fake(t)
	clk := newClock()
	clk.after = func(n int, _ time.Duration) bool { return n < 4 }
	if _, _, err := runWatch(t, c, clk, false, cmdtest.Arg(fakegh.QueuedRun), "-i", "3"); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v", err)
	}
	if want := []time.Duration{3 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}; !slices.Equal(clk.sleeps, want) {
		t.Errorf("sleeps = %v, want %v", clk.sleeps, want)
	}
}

// TestWatchInterrupt stops a watch as Ctrl-C does: the context ends during
// a wait, the frame on screen is left whole, and the error is the
// context's, which the CLI reports as "interrupted".
func TestWatchInterrupt(t *testing.T) {
	_, c := fake(t)
	clk := newClock()
	clk.after = func(n int, _ time.Duration) bool { return n < 2 }
	stdout, stderr, err := runWatch(t, c, clk, true, cmdtest.Arg(fakegh.InProgressRun))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if !strings.HasSuffix(stdout, "Checking every 4s; press Ctrl-C to stop.\n") || stderr != "" {
		t.Errorf("stdout %q\nstderr %q", stdout, stderr)
	}
	// A request under way when Ctrl-C comes ends too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, _, _, _ := cmdtest.Streams(false)
	err = run(ctx, &Options{IO: ios, Client: c, Repo: cmdtest.Repo, RunID: fakegh.InProgressRun, Now: clk.Now, Sleep: clk.Sleep})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestWatchNotFound(t *testing.T) {
	for _, tty := range []bool{true, false} {
		_, c := fake(t)
		clk := newClock()
		stdout, stderr, err := runWatch(t, c, clk, tty, "42")
		if err == nil || err.Error() != "run 42 not found in octo/hello (HTTP 404)" {
			t.Errorf("error = %v", err)
		}
		if stdout != "" || stderr != "" || len(clk.sleeps) != 0 {
			t.Errorf("stdout %q, stderr %q, sleeps %v", stdout, stderr, clk.sleeps)
		}
	}
}

func TestTransient(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{errors.New("connection reset"), true},
		{&api.HTTPError{StatusCode: 502}, true},
		{&api.HTTPError{StatusCode: 404}, false},
		{&api.HTTPError{StatusCode: 403, Message: "API rate limit exceeded"}, false},
		{&api.HTTPError{StatusCode: 401}, false},
	} {
		if got := transient(tt.err); got != tt.want {
			t.Errorf("transient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
