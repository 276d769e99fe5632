package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// Servers that misbehave, as a broken proxy or an attacker's server would:
// each test asserts what a user would see.

// witness is a second listener that records every request that reaches it,
// with its Authorization header.
type witness struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newWitness(t *testing.T) *witness {
	w := &witness{}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.seen = append(w.seen, r.URL.String()+" auth="+r.Header.Get("Authorization"))
		w.mu.Unlock()
		rw.Write([]byte(`{"total_count":0,"workflow_runs":[]}`))
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *witness) requests() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.seen...)
}

// runsServer serves a listing of real runs with the claimed total_count;
// next names the next page's URL for page n. It counts the requests.
func runsServer(t *testing.T, real, total int, next func(srv string, n int) string) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		var runs []string
		for i := (page-1)*perPage + 1; i <= min(page*perPage, real); i++ {
			runs = append(runs, fmt.Sprintf(`{"id":%d,"name":"CI","status":"completed"}`, i))
		}
		if next != nil {
			w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next(srv.URL, page+1)))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"total_count":%d,"workflow_runs":[%s]}`, total, strings.Join(runs, ","))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestLinkToOtherHost: a next link naming another host, or plain http for
// an https API, is not followed: the pages come from the API all the same,
// and the token never reaches the other listener. GitHub's own links, on
// the API host under another path, are followed.
func TestLinkToOtherHost(t *testing.T) {
	other := newWitness(t)
	otherURL, _ := url.Parse(other.URL)
	for _, tc := range []struct {
		name string
		next func(srv string, n int) string
	}{
		{"other host", func(_ string, n int) string {
			return fmt.Sprintf("%s/repos/octo/hello/actions/runs?per_page=100&page=%d", other.URL, n)
		}},
		{"other port", func(srv string, n int) string {
			return fmt.Sprintf("http://127.0.0.1:%s/repos/octo/hello/actions/runs?per_page=100&page=%d", otherURL.Port(), n)
		}},
		{"malformed", func(string, int) string { return "http://%zz/" }},
		{"github's own", func(srv string, n int) string {
			return fmt.Sprintf("%s/repositories/42/actions/runs?per_page=100&page=%d", srv, n)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := runsServer(t, 250, 250, tc.next)
			c, _ := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 4})
			list, err := c.ListRuns(context.Background(), repo, RunFilter{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Runs) != 250 {
				t.Errorf("%d runs, want 250", len(list.Runs))
			}
			if seen := other.requests(); len(seen) != 0 {
				t.Errorf("the other listener got %v", seen)
			}
		})
	}
	// An https API never follows a link to http, even on its own host and port.
	c, _ := New(Options{BaseURL: "https://api.example.com", UserAgent: "ghruns/test"})
	for raw, want := range map[string]bool{
		"https://api.example.com/repositories/1/actions/runs?page=2":     true,
		"https://api.example.com:443/repositories/1/actions/runs?page=2": true,
		"http://api.example.com:443/repositories/1/actions/runs?page=2":  false,
		"http://api.example.com/repositories/1/actions/runs?page=2":      false,
		"https://api.example.com.evil.test/x":                            false,
		"https://api.example.com:8443/x":                                 false,
	} {
		u, _ := url.Parse(raw)
		if got := c.sameOrigin(u); got != want {
			t.Errorf("sameOrigin(%s) = %v, want %v", raw, got, want)
		}
	}
}

// hang is a handler that never answers, until stop is closed.
func hang() (http.HandlerFunc, chan struct{}) {
	stop := make(chan struct{})
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}, stop
}

// TestStalls: a server that never answers, a body that stops halfway, a
// connection that cannot be made and a log host that never answers each end
// within the timeout, with a message naming what stalled; a body that keeps
// coming slowly is not cut.
func TestStalls(t *testing.T) {
	const limit = 300 * time.Millisecond
	never, stop := hang()
	defer close(stop) // before the servers close: they wait for their handlers
	silent := httptest.NewServer(never)
	t.Cleanup(silent.Close)
	halfway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":1,"name":`))
		w.(http.Flusher).Flush()
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(halfway.Close)
	logHost := httptest.NewServer(never)
	t.Cleanup(logHost.Close)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, logHost.URL+"/archive.zip?sig=x", http.StatusFound)
	}))
	t.Cleanup(redirect.Close)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":1,`))
		for range 8 { // 800ms in all, never 300ms without a byte
			w.(http.Flusher).Flush()
			time.Sleep(100 * time.Millisecond)
			w.Write([]byte(` `))
		}
		w.Write([]byte(`"name":"CI"}`))
	}))
	t.Cleanup(slow.Close)
	blockDial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	host := func(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

	for _, tc := range []struct {
		name string
		base string
		dial func(ctx context.Context, network, addr string) (net.Conn, error)
		call func(c *Client) error
		want string // "" for success
	}{
		{"no answer", silent.URL, nil, getRun,
			"GET " + silent.URL + "/repos/octo/hello/actions/runs/1?exclude_pull_requests=true: no answer from " + host(silent) + " within 300ms"},
		{"body stops", halfway.URL, nil, getRun,
			"GET " + halfway.URL + "/repos/octo/hello/actions/runs/1?exclude_pull_requests=true: reading the answer: the answer from " + host(halfway) + " stopped for 300ms after 15 bytes"},
		{"no connection", "http://127.0.0.1:9", blockDial, getRun,
			"GET http://127.0.0.1:9/repos/octo/hello/actions/runs/1?exclude_pull_requests=true: could not connect to 127.0.0.1:9 within 100ms"},
		{"log host", redirect.URL, nil, func(c *Client) error {
			_, err := c.DownloadLogs(context.Background(), repo, 1, 0, io.Discard, nil)
			return err
		}, "downloading logs from " + host(logHost) + ": no answer from " + host(logHost) + " within 300ms"},
		{"slow but steady", slow.URL, nil, getRun, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Options{BaseURL: tc.base, UserAgent: "ghruns/test", Timeout: limit, dial: tc.dial})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = tc.call(c)
			took := time.Since(start)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("error %v\nwant %s", err, tc.want)
			}
			var se *StallError
			if tc.want != "" && (!errors.As(err, &se) || took > 3*limit) {
				t.Errorf("after %s: %v, want a *StallError within about %s, not repeated", took, err, limit)
			}
		})
	}
}

func getRun(c *Client) error {
	_, err := c.GetRun(context.Background(), repo, 1, 0)
	return err
}

// TestCacheBoundedThroughout: a long listing keeps the cache folder under
// its bound after every request, not only after the first write.
func TestCacheBoundedThroughout(t *testing.T) {
	s, _ := fake(t, 1)
	s.AddRuns(fakegh.GenerateRuns(3000, 1, fakegh.SeedBase.Add(-48*time.Hour), nil)...)
	dir := t.TempDir()
	const bound = 8 << 20 // pages of 100 runs take about 1.1 MB each
	var worst int64
	measure := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		worst = max(worst, dirSize(t, dir))
		return http.DefaultTransport.RoundTrip(req)
	})
	c, err := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 1, CacheDir: dir, Transport: measure})
	if err != nil {
		t.Fatal(err)
	}
	ct := c.api.Transport.(guardLocation).base.(*cacheTransport)
	ct.maxBytes, ct.pruneTo = bound, 3*bound/4
	list, err := c.ListRuns(context.Background(), repo, RunFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	worst = max(worst, dirSize(t, dir))
	if len(list.Runs) < 3000 {
		t.Fatalf("%d runs listed", len(list.Runs))
	}
	if worst > bound {
		t.Errorf("the cache reached %d bytes during the listing, over its bound of %d", worst, bound)
	}
	if worst < bound/2 {
		t.Errorf("the cache reached only %d bytes: the test does not fill it", worst)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

func dirSize(t *testing.T, dir string) int64 {
	entries, _ := os.ReadDir(dir)
	var n int64
	for _, e := range entries {
		if info, err := os.Stat(filepath.Join(dir, e.Name())); err == nil {
			n += info.Size()
		}
	}
	return n
}

// TestLyingTotals: a total_count of a million over 150 real runs ends at
// the real end after a bounded number of requests, with a warning; a total
// lower than the pages hold is warned about.
func TestLyingTotals(t *testing.T) {
	sameHost := func(srv string, n int) string {
		return fmt.Sprintf("%s/repos/octo/hello/actions/runs?per_page=100&page=%d", srv, n)
	}
	for _, tc := range []struct {
		name        string
		real, total int
		runs, count int
		notice      string
	}{
		{"too high", 150, 1_000_000, 150, 150,
			"warning: GitHub counted 1000000 results, but its pages ended after 150: listing those\n"},
		{"too low", 300, 150, 150, 150,
			"warning: GitHub counted 150 results, but its pages hold more: the listing stops at 150 and may be incomplete\n"},
		{"too low, one page", 150, 40, 40, 40,
			"warning: GitHub counted 40 results, but its pages hold more: the listing stops at 40 and may be incomplete\n"},
		{"true", 250, 250, 250, 250, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := runsServer(t, tc.real, tc.total, sameHost)
			notice := &syncBuffer{}
			c, _ := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 8, Notice: notice})
			list, err := c.ListRuns(context.Background(), repo, RunFilter{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Runs) != tc.runs || list.TotalCount != tc.count {
				t.Errorf("%d runs of %d, want %d of %d", len(list.Runs), list.TotalCount, tc.runs, tc.count)
			}
			// Page 1, then one wave of pages at most past the real end.
			if got := n.Load(); got > int32(1+c.PagingWidth()) {
				t.Errorf("%d requests, want at most %d", got, 1+c.PagingWidth())
			}
			if got := notice.String(); got != tc.notice {
				t.Errorf("notice %q, want %q", got, tc.notice)
			}
		})
	}
}

// TestRetryAfterBounds: a secondary limit is waited out up to a minute; a
// longer Retry-After, in seconds or as a date, ends the request at once
// saying when to try again; an unreadable one is waited a minute, once. A
// primary limit is waited out when it resets within 15 minutes.
func TestRetryAfterBounds(t *testing.T) {
	clk0 := newClock()
	at := func(d time.Duration) string { return clk0.Now().Add(d).Local().Format("15:04 MST") }
	for _, tc := range []struct {
		name      string
		refusals  int
		header    map[string]string
		slept     []time.Duration
		requests  int32
		want      string // the error, "" for none
		secondary bool
	}{
		{"60s", 1, map[string]string{"Retry-After": "60"}, []time.Duration{time.Minute}, 2, "", false},
		{"huge", -1, map[string]string{"Retry-After": "999999999"}, nil, 1,
			"GitHub's secondary rate limit asks to wait 277777h47m: try again after " + clk0.Now().Add(999999999*time.Second).Local().Format("2006-01-02 15:04 MST"), true},
		{"beyond a Duration", -1, map[string]string{"Retry-After": "99999999999999999999"}, nil, 1, "", true},
		{"5m", -1, map[string]string{"Retry-After": "300"}, nil, 1,
			"GitHub's secondary rate limit asks to wait 5m: try again after " + at(5*time.Minute), true},
		{"2099", -1, map[string]string{"Retry-After": "Thu, 01 Jan 2099 00:00:00 GMT"}, nil, 1, "", true},
		{"unreadable", -1, map[string]string{"Retry-After": "soon"}, []time.Duration{time.Minute}, 2,
			"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. (HTTP 403)", false},
		{"negative", -1, map[string]string{"Retry-After": "-5"}, []time.Duration{time.Minute}, 2,
			"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. (HTTP 403)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			clk.still = true
			srv, n := secondaryServer(t, tc.refusals, tc.header)
			notice := &syncBuffer{}
			c, _ := New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test", Sleep: clk.Sleep, Now: clk.Now, Notice: notice})
			err := getRun(c)
			if got := clk.Slept(); fmt.Sprint(got) != fmt.Sprint(tc.slept) {
				t.Errorf("slept %v, want %v", got, tc.slept)
			}
			if n.Load() != tc.requests {
				t.Errorf("%d requests, want %d", n.Load(), tc.requests)
			}
			var rl *RateLimitError
			switch {
			case tc.secondary && (!errors.As(err, &rl) || !rl.Secondary):
				t.Errorf("error %v, want a secondary *RateLimitError", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("error %v\nwant %s", err, tc.want)
			case tc.want == "" && !tc.secondary && err != nil:
				t.Errorf("error %v", err)
			}
		})
	}

	// The primary limit: waited out when it resets within 15 minutes.
	for _, tc := range []struct {
		name  string
		reset time.Duration
		slept []time.Duration
		want  string
	}{
		{"in 10m", 10 * time.Minute, []time.Duration{10*time.Minute + time.Second}, ""},
		{"in 2h", 2 * time.Hour, nil, "GitHub's rate limit is used up until " + at(2*time.Hour) + " (resets in 2h)"},
	} {
		t.Run("primary "+tc.name, func(t *testing.T) {
			clk := newClock()
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					w.Header().Set("X-RateLimit-Remaining", "0")
					w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(clk.Now().Add(tc.reset).Unix(), 10))
					w.WriteHeader(http.StatusForbidden)
					w.Write([]byte(`{"message":"API rate limit exceeded for user ID 1."}`))
					return
				}
				w.Write([]byte(`{"id":1,"name":"CI"}`))
			}))
			defer srv.Close()
			notice := &syncBuffer{}
			c, _ := New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test", Sleep: clk.Sleep, Now: clk.Now, Notice: notice})
			err := getRun(c)
			if got := clk.Slept(); fmt.Sprint(got) != fmt.Sprint(tc.slept) {
				t.Errorf("slept %v, want %v", got, tc.slept)
			}
			if tc.want == "" {
				if err != nil || n.Load() != 2 {
					t.Errorf("%v after %d requests, want the answer after the wait", err, n.Load())
				}
				if want := "waiting 11m: GitHub's rate limit (it resets at " + at(tc.reset) + ")\n"; notice.String() != want {
					t.Errorf("notice %q, want %q", notice.String(), want)
				}
			} else if err == nil || err.Error() != tc.want {
				t.Errorf("error %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestJSONSizeLimit: an answer past 64 MiB ends with a clear error rather
// than filling memory.
func TestJSONSizeLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":1,"name":"`))
		chunk := []byte(strings.Repeat("x", 1<<20))
		for range 65 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		w.Write([]byte(`"}`))
	}))
	defer srv.Close()
	c, _ := New(Options{BaseURL: srv.URL, UserAgent: "ghruns/test"})
	err := getRun(c)
	want := "GET " + srv.URL + "/repos/octo/hello/actions/runs/1?exclude_pull_requests=true: reading the answer: the answer is larger than 64 MiB, more than any GitHub answer: giving up"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

// outcomeServer is a fake GitHub for one run whose POSTs do as act says.
type outcomeServer struct {
	*httptest.Server
	mu                 sync.Mutex
	status, conclusion string
	attempt            int
	posts              int
	act                func(s *outcomeServer, post int) int // the status to answer
	requests           []string
}

func newOutcomeServer(t *testing.T, status string, attempt int, act func(s *outcomeServer, post int) int) *outcomeServer {
	s := &outcomeServer{status: status, attempt: attempt, act: act}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests = append(s.requests, r.Method)
		if r.Method == http.MethodPost {
			s.posts++
			code := s.act(s, s.posts)
			w.WriteHeader(code)
			if code == http.StatusConflict {
				w.Write([]byte(`{"message":"Cannot cancel a workflow run that is completed."}`))
			}
			return
		}
		fmt.Fprintf(w, `{"id":1,"status":%q,"conclusion":%q,"run_attempt":%d}`, s.status, s.conclusion, s.attempt)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestLostAnswers: a cancel whose 202 was lost and whose repeat got 409 is
// reported done when the run shows cancelled, and a 409 for a run that
// completed otherwise stays one; a rerun whose answer was lost after a new
// attempt started and finished is not asked for again.
func TestLostAnswers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   string
		call     func(c *Client) error
		act      func(s *outcomeServer, post int) int
		want     string // the error, "" for none
		requests string
	}{
		{"cancel after a lost 202", "in_progress", func(c *Client) error { return c.Cancel(context.Background(), repo, 1, false) },
			func(s *outcomeServer, post int) int {
				if post == 1 {
					s.status, s.conclusion = "completed", "cancelled"
					return http.StatusBadGateway
				}
				return http.StatusConflict
			}, "", "[POST POST GET]"},
		{"cancel of a run that succeeded meanwhile", "in_progress", func(c *Client) error { return c.Cancel(context.Background(), repo, 1, false) },
			func(s *outcomeServer, post int) int {
				if post == 1 {
					s.status, s.conclusion = "completed", "success"
					return http.StatusBadGateway
				}
				return http.StatusConflict
			}, "Cannot cancel a workflow run that is completed. (HTTP 409)", "[POST POST GET]"},
		{"rerun that finished at once", "completed", func(c *Client) error { return c.Rerun(context.Background(), repo, 1, 2, false, false) },
			func(s *outcomeServer, post int) int {
				s.attempt++ // the new attempt started, and failed at once
				return http.StatusBadGateway
			}, "", "[POST GET]"},
		{"rerun of an unknown attempt", "completed", func(c *Client) error { return c.Rerun(context.Background(), repo, 1, 0, false, false) },
			func(s *outcomeServer, post int) int {
				s.attempt++
				return http.StatusBadGateway
			}, "Bad Gateway (HTTP 502); the run is completed at attempt 3, and whether that attempt is the one asked for cannot be told: check the run before asking again", "[POST GET]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newOutcomeServer(t, tc.status, 2, tc.act)
			clk := newClock()
			c, _ := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Sleep: clk.Sleep, Now: clk.Now})
			err := tc.call(c)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("error %v\nwant %s", err, tc.want)
			}
			if got := fmt.Sprint(s.requests); got != tc.requests {
				t.Errorf("requests %s, want %s", got, tc.requests)
			}
		})
	}
}

// TestSecretsNotShown: a token in the API URL's user part appears in no
// error and no debug line; a malformed log Location, a signed link, is not
// echoed.
func TestSecretsNotShown(t *testing.T) {
	const secret = "ghp_SECRETSECRET"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/logs") {
			w.Header().Set("Location", "https://logs.example/%zz?sig="+secret)
			w.WriteHeader(http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message":"Not Found"}`))
	}))
	defer srv.Close()
	debug := &syncBuffer{}
	for _, base := range []string{
		strings.Replace(srv.URL, "http://", "http://"+secret+"@", 1),
		strings.Replace(srv.URL, "http://", "http://x-access-token:"+secret+"@", 1),
		"http://" + secret + "@127.0.0.1:9",
	} {
		c, err := New(Options{BaseURL: base, UserAgent: "ghruns/test", Debug: debug, Sleep: newClock().Sleep})
		if err != nil {
			t.Fatal(err)
		}
		err = getRun(c)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("error %v shows the token", err)
		}
		_, err = c.DownloadLogs(context.Background(), repo, 1, 0, io.Discard, nil)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("logs error %v shows the secret", err)
		}
	}
	if _, err := New(Options{BaseURL: "http://" + secret + "@/", UserAgent: "ghruns/test"}); err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("error %v shows the token", err)
	}
	if strings.Contains(debug.String(), secret) {
		t.Errorf("debug output shows the token:\n%s", debug.String())
	}
}
