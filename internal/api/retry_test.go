package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// clock is a fake clock for the fake server and the client: Sleep moves it
// on at once and records what it was asked to wait.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
	// still makes Sleep record without moving the clock.
	still bool
}

func newClock() *clock { return &clock{t: fakegh.SeedBase.Add(time.Hour)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	if !c.still {
		c.t = c.t.Add(d)
	}
	return nil
}

func (c *clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.slept)
}

// syncBuffer is a bytes.Buffer for writers shared by goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// statusCounter is a transport that counts answers by method, path suffix
// and status, e.g. "POST cancel 202".
type statusCounter struct {
	base http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

func (s *statusCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(req)
	if err == nil {
		s.mu.Lock()
		if s.n == nil {
			s.n = map[string]int{}
		}
		s.n[fmt.Sprintf("%s %s %d", req.Method, req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:], resp.StatusCode)]++
		s.mu.Unlock()
	}
	return resp, err
}

func (s *statusCounter) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n[key]
}

// faulty starts a fake GitHub (seeded when seed is set) that fails as f
// says, on clk, and a client for it on the same clock.
func faulty(t *testing.T, seed bool, f fakegh.Faults, opts Options) (*fakegh.Server, *Client, *clock) {
	t.Helper()
	s := fakegh.Start(t)
	s.Token = token
	if seed {
		fakegh.Seed(s)
	}
	clk := newClock()
	s.Now = clk.Now
	s.InjectFaults(f)
	opts.BaseURL, opts.Token, opts.UserAgent = s.URL, token, "ghruns/test"
	opts.Sleep, opts.Now = clk.Sleep, clk.Now
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, clk
}

// TestListingUnderFaults: with every 5th request a 502 and every 7th a
// secondary limit, a listing of 3,000 runs still returns each run once, in
// GitHub's order.
func TestListingUnderFaults(t *testing.T) {
	notice := &syncBuffer{}
	s, c, clk := faulty(t, false, fakegh.Faults{Every502: 5, EverySecondary: 7}, Options{Concurrency: 8, Notice: notice})
	s.AddRuns(fakegh.GenerateRuns(3000, 1, fakegh.SeedBase, nil)...)
	// These pages are checked against the contract in TestRequestsPerListing,
	// and faulted answers in fakegh; checking them again costs seconds.
	s.Unchecked = true
	list, err := c.ListRuns(context.Background(), repo, RunFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int64, 3000)
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(ids(list.Runs), want) {
		t.Errorf("got %d runs, not runs 1..3000 newest first", len(list.Runs))
	}
	if n := len(s.Requests()); n <= 30 {
		t.Errorf("%d requests: the faults did not happen", n)
	}
	if len(clk.Slept()) == 0 || !strings.Contains(notice.String(), "waiting 1s: GitHub's secondary rate limit (Retry-After)\n") {
		t.Errorf("no secondary-limit wait; notices %q", notice.String())
	}
}

// TestCancelUnderFaults: 100 runs cancelled from 8 goroutines through 502s
// and secondary limits are each cancelled once: 100 answers 202, none 409.
func TestCancelUnderFaults(t *testing.T) {
	counter := &statusCounter{base: http.DefaultTransport}
	s, c, _ := faulty(t, false, fakegh.Faults{Every502: 5, EverySecondary: 7}, Options{Concurrency: 8, Transport: counter})
	s.AddRuns(fakegh.GenerateRuns(100, 1, fakegh.SeedBase, func(_ int, r *fakegh.Run) {
		r.Status, r.Conclusion = "in_progress", ""
	})...)
	ids := make(chan int64)
	go func() {
		for id := int64(1); id <= 100; id++ {
			ids <- id
		}
		close(ids)
	}()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for id := range ids {
				if err := c.Cancel(context.Background(), repo, id, false); err != nil {
					t.Errorf("cancel %d: %v", id, err)
				}
			}
		})
	}
	wg.Wait()
	for id := int64(1); id <= 100; id++ {
		if r, _ := s.Run(id); r.Conclusion != "cancelled" {
			t.Errorf("run %d is %s/%s", id, r.Status, r.Conclusion)
		}
	}
	if ok, conflict := counter.count("POST cancel 202"), counter.count("POST cancel 409"); ok != 100 || conflict != 0 {
		t.Errorf("%d cancels answered 202 and %d 409; want 100 and 0", ok, conflict)
	}
	if counter.count("POST cancel 502") == 0 || counter.count("POST cancel 403") == 0 {
		t.Errorf("the faults did not happen: %v", counter.n)
	}
}

// TestRerunLostAnswer: a rerun GitHub carried out but answered 502 is not
// sent again: the run shows the new attempt.
func TestRerunLostAnswer(t *testing.T) {
	s, c, _ := faulty(t, true, fakegh.Faults{FailAfterRerun: true}, Options{Concurrency: 1})
	before, _ := s.Run(fakegh.FailedRun)
	if err := c.Rerun(context.Background(), repo, fakegh.FailedRun, before.Attempt, false, false); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Run(fakegh.FailedRun); after.Attempt != before.Attempt+1 {
		t.Errorf("attempt %d → %d, want one new attempt", before.Attempt, after.Attempt)
	}
	if got := methods(s.Requests()); !slices.Equal(got, []string{"POST rerun", "GET 7000000110"}) {
		t.Errorf("requests %v, want the rerun and one check", got)
	}
}

// TestRerunFailedBeforeActing: a rerun answered 502 before GitHub acted is
// sent again, once the run shows no new attempt.
func TestRerunFailedBeforeActing(t *testing.T) {
	s, c, _ := faulty(t, true, fakegh.Faults{Every502: 1}, Options{Concurrency: 1})
	before, _ := s.Run(fakegh.FailedRun)
	if err := c.Rerun(context.Background(), repo, fakegh.FailedRun, before.Attempt, true, false); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Run(fakegh.FailedRun); after.Attempt != before.Attempt+1 {
		t.Errorf("attempt %d → %d, want one new attempt", before.Attempt, after.Attempt)
	}
	// Every new request fails once: the rerun, then the check.
	want := []string{"POST rerun-failed-jobs", "GET 7000000110", "GET 7000000110", "POST rerun-failed-jobs"}
	if got := methods(s.Requests()); !slices.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
}

func methods(reqs []fakegh.Request) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Method+" "+r.Path[strings.LastIndex(r.Path, "/")+1:])
	}
	return out
}

// TestPrimaryRateLimit: with a budget of 5, the 6th request fails with a
// *RateLimitError naming the reset, unsent, and so do the ones after it.
func TestPrimaryRateLimit(t *testing.T) {
	s, c, clk := faulty(t, true, fakegh.Faults{RateLimit: 5}, Options{Concurrency: 1})
	reset := clk.Now().Add(time.Hour)
	ctx := context.Background()
	for i := 1; i <= 8; i++ {
		_, err := c.GetRun(ctx, repo, fakegh.FailedRun, 0)
		if i <= 5 {
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			continue
		}
		var rl *RateLimitError
		var he *HTTPError
		if !errors.As(err, &rl) || !rl.Reset.Equal(reset) || !errors.As(err, &he) || !he.IsRateLimit() {
			t.Fatalf("request %d: %v, want a *RateLimitError until %v wrapping an *HTTPError", i, err, reset)
		}
		want := "GitHub's rate limit is used up until " + reset.Local().Format("15:04 MST") + " (resets in 1h)"
		if err.Error() != want {
			t.Errorf("request %d: %q, want %q", i, err.Error(), want)
		}
	}
	if n := len(s.Requests()); n != 5 {
		t.Errorf("%d requests sent, want 5", n)
	}
	if left, at, ok := c.RateLimit(); left != 0 || !at.Equal(reset) || !ok {
		t.Errorf("RateLimit() = %d, %v, %v", left, at, ok)
	}

	// Another client of the same token learns it from GitHub's refusal.
	other, _ := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Now: clk.Now})
	_, err := other.GetRun(ctx, repo, fakegh.FailedRun, 0)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Err.StatusCode != http.StatusForbidden || !strings.Contains(rl.Err.Message, "API rate limit exceeded") {
		t.Fatalf("a refused request: %v", err)
	}
	other.GetRun(ctx, repo, fakegh.FailedRun, 0)
	if n := len(s.Requests()); n != 6 {
		t.Errorf("%d requests sent, want 6: the refusal, and nothing after it", n)
	}

	// Once the window has reset, requests go again.
	clk.Advance(time.Hour)
	if _, err := c.GetRun(ctx, repo, fakegh.FailedRun, 0); err != nil {
		t.Errorf("after the reset: %v", err)
	}
}

// TestRetryAfter: a secondary limit is waited out as GitHub says, with one
// notice, and the request goes through.
func TestRetryAfter(t *testing.T) {
	notice := &syncBuffer{}
	s, c, clk := faulty(t, true, fakegh.Faults{EverySecondary: 1}, Options{Concurrency: 1, Notice: notice})
	if _, err := c.GetRun(context.Background(), repo, fakegh.FailedRun, 0); err != nil {
		t.Fatal(err)
	}
	if got := clk.Slept(); !slices.Equal(got, []time.Duration{time.Second}) {
		t.Errorf("slept %v, want [1s]", got)
	}
	if got := notice.String(); got != "waiting 1s: GitHub's secondary rate limit (Retry-After)\n" {
		t.Errorf("notice %q", got)
	}
	if n := len(s.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// secondaryServer answers requests with a secondary limit carrying the
// given headers until it has refused refusals of them (-1: always).
func secondaryServer(t *testing.T, refusals int, header map[string]string) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := int(n.Add(1)); refusals < 0 || i <= refusals {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`))
			return
		}
		w.Write([]byte(`{"id":1,"name":"CI"}`)) // named: no workflows lookup
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestSecondaryWaits: without Retry-After the client waits a minute,
// longer each time, or until the reset when no request is left, and gives
// up after four waits.
func TestSecondaryWaits(t *testing.T) {
	reset := newClock().Now().Add(10 * time.Minute)
	for _, tc := range []struct {
		name     string
		refusals int
		header   map[string]string
		want     []time.Duration
	}{
		{"backoff", -1, map[string]string{"X-RateLimit-Remaining": "4000"}, []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}},
		{"reset", 1, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": fmt.Sprint(reset.Unix())}, []time.Duration{10 * time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			clk.still = true
			srv, n := secondaryServer(t, tc.refusals, tc.header)
			notice := &syncBuffer{}
			c, _ := New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test", Sleep: clk.Sleep, Now: clk.Now, Notice: notice})
			_, err := c.GetRun(context.Background(), repo, 1, 0)
			if tc.refusals < 0 {
				var he *HTTPError
				if !errors.As(err, &he) || he.StatusCode != 403 || n.Load() != 5 {
					t.Errorf("after 4 waits: %v after %d requests, want the 403 after 5", err, n.Load())
				}
			} else if err != nil {
				t.Error(err)
			}
			if got := clk.Slept(); !slices.Equal(got, tc.want) {
				t.Errorf("slept %v, want %v", got, tc.want)
			}
			if lines := strings.Count(notice.String(), "\n"); lines != len(tc.want) {
				t.Errorf("notices %q", notice.String())
			}
		})
	}
}

// TestSecondaryOneNotice: requests limited together wait together, with
// one notice.
func TestSecondaryOneNotice(t *testing.T) {
	var arrived sync.WaitGroup
	arrived.Add(8)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 8 {
			arrived.Done()
			arrived.Wait() // all eight in flight at once
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Write([]byte(`{"id":1,"name":"CI"}`)) // named: no workflows lookup
	}))
	defer srv.Close()
	clk := newClock()
	clk.still = true
	notice := &syncBuffer{}
	c, _ := New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test", Concurrency: 8, Sleep: clk.Sleep, Now: clk.Now, Notice: notice})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.GetRun(context.Background(), repo, 1, 0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := notice.String(); got != "waiting 30s: GitHub's secondary rate limit (Retry-After)\n" {
		t.Errorf("notices %q, want one line", got)
	}
}

// TestSecondaryWaitCancelled: a cancelled context ends a wait at once.
func TestSecondaryWaitCancelled(t *testing.T) {
	srv, _ := secondaryServer(t, -1, map[string]string{"Retry-After": "60"})
	c, _ := New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test"}) // a real timer
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetRun(ctx, repo, 1, 0)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("%v after %s, want context.Canceled at once", err, time.Since(start))
	}
}

// TestInFlightBound: 50 parallel calls on a client of concurrency 4 never
// have more than 4 requests at GitHub at once.
func TestInFlightBound(t *testing.T) {
	s, c := fake(t, 4)
	s.Latency = 5 * time.Millisecond
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := c.GetRun(context.Background(), repo, fakegh.FailedRun, 0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if m := s.MaxInFlight(); m > 4 || m < 2 {
		t.Errorf("at most %d requests in flight, want 4 (at least 2)", m)
	}
}

// TestBackoffFreesSlot: a request waiting to be repeated holds no slot, so
// another goes ahead on a client of concurrency 1.
func TestBackoffFreesSlot(t *testing.T) {
	// Every wait has a deadline: a client that never backs off, or never
	// frees the slot, fails the test instead of hanging it.
	const patience = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 4*patience)
	defer cancel()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Write([]byte(`{"id":1,"name":"CI"}`)) // named: no workflows lookup
	}))
	defer srv.Close()
	waiting, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	sleep := func(ctx context.Context, d time.Duration) error {
		once.Do(func() {
			close(waiting)
			select {
			case <-release:
			case <-ctx.Done():
			}
		})
		return ctx.Err()
	}
	c, _ := New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test", Concurrency: 1, Sleep: sleep})
	first := make(chan error, 1)
	go func() {
		_, err := c.GetRun(ctx, repo, 1, 0)
		first <- err
	}()
	select {
	case <-waiting:
	case err := <-first:
		t.Fatalf("the first request ended without backing off after a 502: %v", err)
	case <-time.After(patience):
		t.Fatal("the first request did not back off after a 502")
	}
	second := make(chan error, 1)
	go func() {
		_, err := c.GetRun(ctx, repo, 1, 0)
		second <- err
	}()
	select {
	case err := <-second:
		if err != nil {
			t.Errorf("a request while another backs off: %v", err)
		}
	case <-time.After(patience):
		t.Error("a request while another backs off did not get a slot")
	}
	close(release)
	select {
	case err := <-first:
		if err != nil {
			t.Errorf("the repeated request: %v", err)
		}
	case <-time.After(patience):
		t.Error("the repeated request did not end")
	}
}

// TestGiveUpAfterFourTries: a request that keeps failing is tried four times
// in all, with growing back-offs; a rerun is checked between its tries.
func TestGiveUpAfterFourTries(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method)
		mu.Unlock()
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/runs/1") && r.URL.Query().Has("exclude_pull_requests") {
			w.Write([]byte(`{"id":1,"status":"completed","run_attempt":1}`))
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func(c *Client) error
		want []string
	}{
		{"get", func(c *Client) error { _, err := c.ListWorkflows(ctx, repo); return err }, []string{"GET", "GET", "GET", "GET"}},
		{"cancel", func(c *Client) error { return c.Cancel(ctx, repo, 1, true) }, []string{"POST", "POST", "POST", "POST"}},
		{"delete logs", func(c *Client) error { return c.DeleteLogs(ctx, repo, 1) }, []string{"DELETE", "DELETE", "DELETE", "DELETE"}},
		{"rerun", func(c *Client) error { return c.Rerun(ctx, repo, 1, 1, false, false) }, []string{"POST", "GET", "POST", "GET", "POST", "GET", "POST"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			clk := newClock()
			c, _ := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Sleep: clk.Sleep, RetryBase: 100 * time.Millisecond})
			err := tc.call(c)
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("error %v, want the 503", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("requests %v, want %v", got, tc.want)
			}
			slept := clk.Slept()
			for i, d := range slept {
				if ceiling := 100 * time.Millisecond << i; d < 0 || d > ceiling {
					t.Errorf("back-off %d: %s, want at most %s", i+1, d, ceiling)
				}
			}
			if len(slept) != 3 {
				t.Errorf("%d back-offs, want 3", len(slept))
			}
		})
	}
}

// TestConnectionErrors: a refused connection is tried four times; a
// connection dropped before the answer is tried again.
func TestConnectionErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	clk := newClock()
	c, _ := New(Options{BaseURL: "http://" + addr, UserAgent: "ghruns/test", Sleep: clk.Sleep})
	_, err = c.GetRun(context.Background(), repo, 1, 0)
	var he *HTTPError
	if err == nil || errors.As(err, &he) || len(clk.Slept()) != 3 {
		t.Errorf("refused: %v after %d back-offs, want a connection error after 3", err, len(clk.Slept()))
	}

	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			conn, _, _ := http.NewResponseController(w).Hijack()
			conn.Close()
			return
		}
		w.Write([]byte(`{"id":1,"name":"CI"}`)) // named: no workflows lookup
	}))
	defer srv.Close()
	c, _ = New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test", Sleep: newClock().Sleep})
	if r, err := c.GetRun(context.Background(), repo, 1, 0); err != nil || r.ID != 1 {
		t.Errorf("after dropped connections: %v, %v", r, err)
	}
}

// TestSleep waits its time, and no longer than its context lives: an
// interrupted watch or back-off ends at once.
func TestSleep(t *testing.T) {
	if err := Sleep(t.Context(), time.Millisecond); err != nil {
		t.Errorf("Sleep = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	start := time.Now()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Sleep on a cancelled context took %s", d)
	}
}
