package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// These tests run ghruns end to end, through Main, against a fake GitHub
// that fails as GitHub does now and then (fakegh.Faults). Main builds its
// own client, so secondary-limit waits are real: the fake asks for one
// second each.

// flaky is what GitHub's front end does on a bad day: every 5th request
// answers 502, every 7th the secondary rate limit.
var flaky = fakegh.Faults{Every502: 5, EverySecondary: 7}

// flakyGitHub makes s flaky. Requests go at the highest concurrency, 32, so
// that the secondary limits of a burst of reads share one wait: at the
// default 8, each burst of about seven requests meets its own limit and
// waits its own second. Paced writes go one by one, so each limit they meet
// costs its own second.
func flakyGitHub(t *testing.T, s *fakegh.Server) {
	t.Helper()
	t.Setenv("GHRUNS_CONCURRENCY", "32")
	s.InjectFaults(flaky)
}

// faultFake starts the seeded fake with runs added and points Main at it.
func faultFake(t *testing.T, runs ...fakegh.Run) *fakegh.Server {
	t.Helper()
	cmdtest.Isolate(t)
	s := fakegh.Start(t)
	s.Token = cmdtest.Token
	fakegh.Seed(s)
	s.AddRuns(runs...)
	t.Setenv("GHRUNS_API_URL", s.URL)
	return s
}

// inProgress is n generated runs on branch, still in progress, with IDs
// from firstID.
func inProgress(n int, firstID int64, branch string) []fakegh.Run {
	return fakegh.GenerateRuns(n, firstID, fakegh.SeedBase.Add(-48*time.Hour), func(_ int, r *fakegh.Run) {
		r.HeadBranch = branch
		r.Status, r.Conclusion, r.Usage = "in_progress", "", nil
	})
}

type result struct {
	code        int
	out, errOut string
	elapsed     time.Duration
}

// ghruns runs Main with args and no terminal.
func ghruns(ctx context.Context, args ...string) result {
	var out, errOut bytes.Buffer
	start := time.Now()
	code := Main(ctx, append([]string{"ghruns"}, args...), strings.NewReader(""), &out, &errOut)
	return result{code: code, out: out.String(), errOut: errOut.String(), elapsed: time.Since(start)}
}

// statusProxy stands between ghruns and the fake and counts the answers
// that came back: the fake records faulted requests too, so its own record
// cannot tell a cancel carried out from one refused. Requests that ghruns
// addresses from the fake's own URLs (pages after the first, log
// downloads) go around it.
type statusProxy struct {
	URL string
	mu  sync.Mutex
	n   map[answer]int
}

// answer is a status (or "proxy error") to a request.
type answer struct{ method, path, status string }

// newStatusProxy starts a proxy to s and points Main at it.
func newStatusProxy(t *testing.T, s *fakegh.Server) *statusProxy {
	t.Helper()
	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := &statusProxy{n: map[answer]int{}}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) },
		ModifyResponse: func(resp *http.Response) error {
			p.add(answer{resp.Request.Method, resp.Request.URL.Path, strconv.Itoa(resp.StatusCode)})
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			p.add(answer{r.Method, r.URL.Path, "proxy error"})
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	t.Setenv("GHRUNS_API_URL", p.URL)
	return p
}

func (p *statusProxy) add(a answer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n[a]++
}

// cancels counts the answers to cancels with status, by run ID.
func (p *statusProxy) cancels(status string) map[int64]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[int64]int{}
	for a, n := range p.n {
		var id int64
		if _, err := fmt.Sscanf(a.path, "/repos/octo/hello/actions/runs/%d/cancel", &id); err == nil &&
			a.method == http.MethodPost && a.status == status {
			out[id] += n
		}
	}
	return out
}

// total sums counts.
func total(counts map[int64]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

func (p *statusProxy) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Sprint(p.n)
}

// outcomes reads bulk output without a terminal: run ID → result and error.
func outcomes(t *testing.T, out string) map[int64][]string {
	t.Helper()
	got := map[int64][]string{}
	for line := range strings.Lines(out) {
		fields := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		id, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || len(fields) < 2 {
			t.Fatalf("not an outcome line: %q", line)
		}
		if _, dup := got[id]; dup {
			t.Errorf("run %d reported twice", id)
		}
		got[id] = fields[1:]
	}
	return got
}

func waitNotices(stderr string) int {
	return strings.Count(stderr, "waiting 1s: GitHub's secondary rate limit (Retry-After)\n")
}

// TestListAllUnderFaults: `list -L 0` over 3,013 runs, through 502s and
// secondary limits, prints every run once, newest first, and says when it
// waits.
func TestListAllUnderFaults(t *testing.T) {
	generated := fakegh.GenerateRuns(3000, 1_000_000, fakegh.SeedBase.Add(-48*time.Hour), nil)
	s := faultFake(t, generated...)
	// The pages' contract is checked without faults elsewhere (fakegh,
	// TestExitCodes); checking 3,000 runs again costs seconds.
	s.Unchecked = true

	// The order GitHub lists them in: newest first, then by ID.
	all := slices.Clone(generated)
	for id := int64(fakegh.StartupFailureRun); id <= fakegh.InProgressRun; id++ {
		r, ok := s.Run(id)
		if !ok {
			t.Fatalf("seed run %d missing", id)
		}
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b fakegh.Run) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	want := make([]int64, len(all))
	for i, r := range all {
		want[i] = r.ID
	}

	flakyGitHub(t, s)
	r := ghruns(context.Background(), "list", "-L", "0", "--json", "databaseId")
	if r.code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", r.code, r.errOut)
	}
	var rows []struct{ DatabaseID int64 }
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil {
		t.Fatalf("stdout is not a JSON array: %v", err)
	}
	got := make([]int64, len(rows))
	for i, row := range rows {
		got[i] = row.DatabaseID
	}
	if !slices.Equal(got, want) {
		seen := map[int64]bool{}
		dups := 0
		for _, id := range got {
			if seen[id] {
				dups++
			}
			seen[id] = true
		}
		t.Errorf("got %d runs (%d repeated), want the %d runs newest first", len(got), dups, len(want))
	}
	waits := waitNotices(r.errOut)
	if waits == 0 {
		t.Errorf("no wait notice on stderr:\n%s", r.errOut)
	}
	if rest := strings.ReplaceAll(r.errOut, "waiting 1s: GitHub's secondary rate limit (Retry-After)\n", ""); rest != "" {
		t.Errorf("stderr has more than wait notices:\n%s", rest)
	}
	n := len(s.Requests())
	if n <= 31 {
		t.Errorf("%d requests for 31 pages: the faults did not happen", n)
	}
	t.Logf("%d runs in %d requests for 31 pages, %d wait notices, %s", len(got), n, waits, r.elapsed.Round(time.Millisecond))
}

// TestBulkCancelUnderFaults: `cancel -b BRANCH --yes` of 40 runs through
// 502s and secondary limits cancels each run exactly once.
func TestBulkCancelUnderFaults(t *testing.T) {
	// 40 runs meet both faults several times; each secondary limit met
	// costs its Retry-After, a second of real time.
	const first, n = 1_000_000, 40
	s := faultFake(t, inProgress(n, first, "faulty")...)
	p := newStatusProxy(t, s)
	flakyGitHub(t, s)
	// Every 7th request refused for the secondary limit, whatever the pace:
	// each refusal halves it, so a pace of a few writes a second would take
	// minutes of real time. This tests the repeats, not the pace (internal/pace).
	t.Setenv("GHRUNS_WRITE_RATE", "6000")

	r := ghruns(context.Background(), "cancel", "-b", "faulty", "--yes")
	if r.code != 0 {
		t.Errorf("exit code %d; stderr:\n%s", r.code, r.errOut)
	}
	got := outcomes(t, r.out)
	if len(got) != n {
		t.Errorf("%d outcome lines, want %d", len(got), n)
	}
	for id := int64(first); id < first+n; id++ {
		if o := got[id]; !slices.Equal(o, []string{"cancelled"}) {
			t.Errorf("run %d: outcome %q, want cancelled", id, o)
		}
		if run, _ := s.Run(id); run.Status != "completed" || run.Conclusion != "cancelled" {
			t.Errorf("run %d is %s/%s in the fake, want completed/cancelled", id, run.Status, run.Conclusion)
		}
	}
	// Carried out exactly once: one 202 per run, and no repeat refused
	// with 409 for a run already completed.
	accepted := p.cancels("202")
	for id := int64(first); id < first+n; id++ {
		if accepted[id] != 1 {
			t.Errorf("run %d: cancel answered 202 %d times, want once", id, accepted[id])
		}
	}
	if c := total(p.cancels("409")); c != 0 {
		t.Errorf("%d cancels answered 409: a cancel was repeated after it was carried out", c)
	}
	bad, limited := total(p.cancels("502")), total(p.cancels("403"))
	if bad == 0 || limited == 0 {
		t.Errorf("the faults did not strike the cancels: %v", p)
	}
	if waitNotices(r.errOut) == 0 {
		t.Errorf("no wait notice on stderr:\n%s", r.errOut)
	}
	t.Logf("%d requests; cancels answered 202 ×%d, 502 ×%d, 403 ×%d; %d wait notices; %s",
		len(s.Requests()), total(accepted), bad, limited, waitNotices(r.errOut), r.elapsed.Round(time.Millisecond))
}

// TestLogDownloadCut: a log archive cut off half-way fails the download
// with a message naming it and leaves no file behind; the next download
// saves the whole archive.
func TestLogDownloadCut(t *testing.T) {
	const id = fakegh.FailedRun
	s := faultFake(t)
	run, _ := s.Run(id)
	archive := run.Logs
	s.InjectFaults(fakegh.Faults{CloseLogAfter: int64(len(archive) / 2)})
	dir := t.TempDir()
	target := filepath.Join(dir, "out.zip")

	// ghruns asks GitHub for a fresh link only when no byte came through;
	// half the archive did, so the command fails.
	r := ghruns(context.Background(), "logs", "download", strconv.Itoa(id), "-o", target)
	if r.code != 1 {
		t.Errorf("cut download: exit code %d, want 1; stderr:\n%s", r.code, r.errOut)
	}
	if !strings.HasPrefix(r.errOut, fmt.Sprintf("download logs of run %d: ", id)) ||
		!strings.HasSuffix(r.errOut, ": unexpected EOF\n") || strings.Count(r.errOut, "\n") != 1 {
		t.Errorf("stderr is not one line naming the download and the cut:\n%s", r.errOut)
	}
	if r.out != "" {
		t.Errorf("stdout: %q", r.out)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("after the cut download the folder holds %q, want nothing", names)
	}
	t.Logf("archive of %d bytes cut after %d: %q", len(archive), len(archive)/2, r.errOut)

	r = ghruns(context.Background(), "logs", "download", strconv.Itoa(id), "-o", target)
	if r.code != 0 {
		t.Fatalf("second download: exit code %d; stderr:\n%s", r.code, r.errOut)
	}
	if got, err := os.ReadFile(target); err != nil || !bytes.Equal(got, archive) {
		t.Errorf("saved %d bytes (%v), want the %d-byte archive byte for byte", len(got), err, len(archive))
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"out.zip"}) {
		t.Errorf("the folder holds %q, want out.zip only", names)
	}
	if api, logs := len(s.Requests()), len(s.LogRequests()); api != 2 || logs != 2 {
		t.Errorf("%d API and %d log host requests, want 2 and 2: one try per command", api, logs)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestBulkCancelRateLimited: the primary rate limit runs out during a bulk
// cancel; every run is reported, the failures name the reset, and once the
// window resets the same command cancels the rest, repeating nothing.
func TestBulkCancelRateLimited(t *testing.T) {
	const first, n = 2_000_000, 10
	// A budget of 6 a window: the listing and 5 cancels, then the listing
	// and the 5 cancels left once the window resets.
	const budget = 6
	s := faultFake(t, inProgress(n, first, "limited")...)
	t0 := time.Now()
	var offset atomic.Int64
	s.Now = func() time.Time { return t0.Add(time.Duration(offset.Load())) }
	p := newStatusProxy(t, s)
	s.InjectFaults(fakegh.Faults{RateLimit: budget})
	reset := t0.Add(time.Hour).Truncate(time.Second).Local().Format("15:04 MST")
	limitMsg := "GitHub's rate limit is used up until " + reset + " (resets in 1h)"

	r := ghruns(context.Background(), "cancel", "-b", "limited", "--yes")
	if r.code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", r.code, r.errOut)
	}
	got := outcomes(t, r.out)
	var cancelled, failed []int64
	for id := int64(first); id < first+n; id++ {
		switch o := got[id]; {
		case slices.Equal(o, []string{"cancelled"}):
			cancelled = append(cancelled, id)
		case len(o) == 2 && o[0] == "failed" && o[1] == fmt.Sprintf("cancel run %d: %s", id, limitMsg):
			failed = append(failed, id)
		default:
			t.Errorf("run %d: outcome %q, want cancelled or failed with %q", id, o, limitMsg)
		}
	}
	if len(cancelled) != budget-1 || len(failed) != n-budget+1 {
		t.Errorf("%d cancelled and %d failed, want %d and %d", len(cancelled), len(failed), budget-1, n-budget+1)
	}
	wantErr := fmt.Sprintf("warning: this needs %d requests, but GitHub's rate limit allows %d more until %s; the rest would fail until then\n"+
		"could not cancel %d runs of %d in octo/hello\n", n, budget-1, reset, n-budget+1, n)
	if r.errOut != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.errOut, wantErr)
	}
	accepted := p.cancels("202")
	for id := int64(first); id < first+n; id++ {
		run, _ := s.Run(id)
		done := slices.Contains(cancelled, id)
		if (run.Conclusion == "cancelled") != done || (accepted[id] == 1) != done || accepted[id] > 1 {
			t.Errorf("run %d is %s/%s in the fake, its cancel answered 202 %d times, but reported %q",
				id, run.Status, run.Conclusion, accepted[id], got[id])
		}
	}
	t.Logf("first try: %d requests reached the fake; cancels answered 202 ×%d, 403 ×%d (the rest failed unsent)",
		len(s.Requests()), total(accepted), total(p.cancels("403")))

	// An hour later, the same command.
	offset.Store(int64(time.Hour + time.Minute))
	r = ghruns(context.Background(), "cancel", "-b", "limited", "--yes")
	if r.code != 0 {
		t.Errorf("after the reset: exit code %d; stderr:\n%s", r.code, r.errOut)
	}
	got = outcomes(t, r.out)
	if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, failed) {
		t.Errorf("after the reset it acted on %v, want the runs that failed: %v", ids, failed)
	}
	for id, o := range got {
		if !slices.Equal(o, []string{"cancelled"}) {
			t.Errorf("after the reset, run %d: %q", id, o)
		}
	}
	if want := fmt.Sprintf("skipping %d matching runs: already completed\n", budget-1); r.errOut != want {
		t.Errorf("after the reset, stderr %q, want %q", r.errOut, want)
	}
	accepted = p.cancels("202")
	for id := int64(first); id < first+n; id++ {
		if run, _ := s.Run(id); run.Conclusion != "cancelled" || accepted[id] != 1 {
			t.Errorf("run %d is %s/%s, its cancel answered 202 %d times; want cancelled once",
				id, run.Status, run.Conclusion, accepted[id])
		}
	}
	if c := total(p.cancels("409")); c != 0 {
		t.Errorf("%d cancels answered 409: a run was cancelled twice", c)
	}
}

// TestBulkCancelInterrupted: Ctrl-C during a bulk cancel ends it with 130
// after reporting every run once; runs reported cancelled are cancelled,
// and runs not attempted were not sent and are still in progress.
func TestBulkCancelInterrupted(t *testing.T) {
	const first, n = 3_000_000, 50
	s := faultFake(t, inProgress(n, first, "interrupted")...)
	s.Latency = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Ctrl-C once the second round of cancels is on its way (some 60 ms in):
	// a fixed delay would land in the listing on a slow machine.
	go func() {
		for ctx.Err() == nil {
			if posts(s) >= 12 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()

	r := ghruns(ctx, "cancel", "-b", "interrupted", "--yes")
	if r.code != 130 {
		t.Errorf("exit code %d, want 130; stderr:\n%s", r.code, r.errOut)
	}
	if !strings.HasSuffix(r.errOut, " not attempted; run the command again for the rest\n") || strings.Count(r.errOut, "interrupted") != 1 {
		t.Errorf("stderr does not end with one line on the runs not attempted:\n%s", r.errOut)
	}
	// Close waits for the requests the fake was still answering.
	s.Close()
	sent := map[int64]int{}
	for _, req := range s.Requests() {
		var id int64
		if _, err := fmt.Sscanf(req.Path, "/repos/octo/hello/actions/runs/%d/cancel", &id); err == nil {
			sent[id]++
		}
	}
	got := outcomes(t, r.out)
	if len(got) != n {
		t.Errorf("%d runs reported, want %d", len(got), n)
	}
	var done, notAttempted, inFlight []int64
	for id := int64(first); id < first+n; id++ {
		o := got[id]
		run, _ := s.Run(id)
		switch {
		case slices.Equal(o, []string{"cancelled"}):
			done = append(done, id)
			if run.Conclusion != "cancelled" || sent[id] != 1 {
				t.Errorf("run %d reported cancelled, but it is %s/%s after %d requests", id, run.Status, run.Conclusion, sent[id])
			}
		case slices.Equal(o, []string{"not attempted"}):
			notAttempted = append(notAttempted, id)
			if run.Status != "in_progress" || sent[id] != 0 {
				t.Errorf("run %d reported not attempted, but it is %s/%s after %d requests", id, run.Status, run.Conclusion, sent[id])
			}
		case len(o) == 2 && o[0] == "failed" && strings.HasSuffix(o[1], ": context canceled"):
			inFlight = append(inFlight, id)
		default:
			t.Errorf("run %d: outcome %q; it is %s/%s", id, o, run.Status, run.Conclusion)
		}
	}
	if len(done) == 0 || len(notAttempted) == 0 {
		t.Errorf("%d cancelled and %d not attempted: the interrupt did not come mid-way", len(done), len(notAttempted))
	}
	t.Logf("%d cancelled, %d in flight, %d not attempted; %d requests", len(done), len(inFlight), len(notAttempted), len(s.Requests()))

	// Requests already sent when Ctrl-C came finish (GitHub acts on what it
	// received), so the report says what GitHub answered, never a guess.
	for _, id := range inFlight {
		run, _ := s.Run(id)
		t.Errorf("run %d reported %q while it is %s/%s: requests in flight must finish", id, got[id], run.Status, run.Conclusion)
	}
}

// posts counts the POST requests the fake received.
func posts(s *fakegh.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost {
			n++
		}
	}
	return n
}
