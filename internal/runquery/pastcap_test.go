package runquery_test

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// base is when the newest generated run was created.
var base = fakegh.SeedBase

// now is the fixed "now" of these tests: an hour after the seed's base.
var now = base.Add(time.Hour)

// token is the token the fakes accept.
const token = "ghp_runquery0123456789"

// repo is the repository the fakes serve.
var repo = api.Repo{Owner: "octo", Name: "hello"}

// emptyFake is a fake GitHub with no runs and a client for it. The fake
// fails the test on any request GitHub would refuse, so every span's
// created value is checked against GitHub's search syntax.
func emptyFake(t *testing.T, concurrency int) (*fakegh.Server, *api.Client) {
	t.Helper()
	s := fakegh.Start(t)
	s.Token = token
	return s, client(t, s, concurrency)
}

// client is a client for the fake s.
func client(t *testing.T, s *fakegh.Server, concurrency int) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: concurrency})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// list runs runquery.List and returns the runs, stderr and the list
// requests made; with debug, stderr holds the log of the spans too.
func list(t *testing.T, s *fakegh.Server, c *api.Client, f runquery.Filter, debug bool) (*api.RunList, string, []url.Values) {
	t.Helper()
	s.ResetRequests()
	var errOut bytes.Buffer
	var log io.Writer
	if debug {
		log = &errOut
	}
	if f.Now.IsZero() {
		f.Now = now
	}
	got, err := runquery.List(context.Background(), c, repo, f, &errOut, log)
	if err != nil {
		t.Fatal(err)
	}
	var qs []url.Values
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/actions/runs") {
			qs = append(qs, r.Query)
		}
	}
	return got, errOut.String(), qs
}

// wantIDs checks that runs are exactly want, in order.
func wantIDs(t *testing.T, runs []api.Run, want []int64) {
	t.Helper()
	got := make([]int64, len(runs))
	for i, r := range runs {
		got[i] = r.ID
	}
	if slices.Equal(got, want) {
		return
	}
	seen := map[int64]int{}
	for _, id := range got {
		seen[id]++
	}
	missing, twice := 0, 0
	for _, id := range want {
		if seen[id] == 0 {
			missing++
		}
	}
	for _, n := range seen {
		if n > 1 {
			twice++
		}
	}
	first := min(len(got), len(want))
	for i := range first {
		if got[i] != want[i] {
			first = i
			break
		}
	}
	t.Fatalf("got %d runs, want %d: %d missing, %d listed twice, first difference at %d", len(got), len(want), missing, twice, first)
}

// newestFirst is the order GitHub lists runs in: created, then ID, descending.
func newestFirst(runs []fakegh.Run) []int64 {
	rs := slices.Clone(runs)
	slices.SortFunc(rs, func(a, b fakegh.Run) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// TestListPastCapLimit: past the cap, the listing stops at the limit; with
// the debug log (GH_DEBUG), every span decision is on stderr.
func TestListPastCapLimit(t *testing.T) {
	s, c := emptyFake(t, 8)
	runs := fakegh.GenerateRuns(1500, 100000, base, nil)
	s.AddRuns(runs...)
	got, stderr, reqs := list(t, s, c, runquery.Filter{Branch: "main", Limit: 1050}, true)
	wantIDs(t, got.Runs, newestFirst(runs)[:1050])
	if got.Capped {
		t.Error("capped")
	}
	// The first listing (10 pages), one probe round, one page of the rest.
	if len(reqs) > 14 {
		t.Errorf("took %d requests for 1,050 runs, want at most 14", len(reqs))
	}
	want := []string{
		"windows: the listing holds 1500 runs, of which GitHub serves 1000: listing the older ones in windows",
		"windows: 2026-11-19T19:21:01Z..2026-11-20T12:00:00Z holds 999 runs, listed",
		"windows: 2026-11-19T04:21:55Z..2026-11-19T19:21:00Z holds 501 runs",
		"windows: 1050 runs from 2 windows, after 2 probes",
	}
	if got := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n"); !slices.Equal(got, want) {
		t.Errorf("stderr:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestListPastCapRange: windows stay inside the range that --newer-than and
// --older-than select, and list all of it.
func TestListPastCapRange(t *testing.T) {
	s, c := emptyFake(t, 8)
	// A run every 30 seconds over 14 hours: 1,200 of them between 12 and 2
	// hours ago, 240 on either side.
	runs := fakegh.GenerateRuns(1680, 100000, base, func(i int, r *fakegh.Run) {
		r.CreatedAt = base.Add(-time.Duration(i) * 30 * time.Second)
	})
	s.AddRuns(runs...)
	f := runquery.Filter{Branch: "main", NewerThan: 12 * time.Hour, OlderThan: 2 * time.Hour, Now: base.Add(30 * time.Second)}
	var want []fakegh.Run
	for _, r := range runs {
		if !r.CreatedAt.Before(base.Add(-12*time.Hour+30*time.Second)) && r.CreatedAt.Before(base.Add(-2*time.Hour+30*time.Second)) {
			want = append(want, r)
		}
	}
	got, stderr, reqs := list(t, s, c, f, false)
	wantIDs(t, got.Runs, newestFirst(want))
	if stderr != "selecting runs created 2026-11-20T00:00:30Z..2026-11-20T10:00:29Z\n" {
		t.Errorf("stderr = %q", stderr)
	}
	for _, q := range reqs {
		r, err := runquery.ParseCreated(q.Get("created"))
		if err != nil || r.From.Before(base.Add(-12*time.Hour+30*time.Second)) || r.To.IsZero() || !r.To.Before(base.Add(-2*time.Hour+30*time.Second)) {
			t.Errorf("request with created=%s strays outside the range (%v)", q.Get("created"), err)
		}
	}
}

// TestListPastCapOneSecond: when more runs than GitHub serves share one
// second, ghruns serves what it can of them, all the others, and says how
// many it left out.
func TestListPastCapOneSecond(t *testing.T) {
	s, c := emptyFake(t, 8)
	runs := fakegh.GenerateRuns(1030, 100000, base, func(i int, r *fakegh.Run) {
		if i < 1001 {
			r.CreatedAt = base // 1,001 runs in the newest second
		}
	})
	s.AddRuns(runs...)
	got, stderr, reqs := list(t, s, c, runquery.Filter{Branch: "main"}, false)
	if len(got.Runs) != 1029 || !got.Capped || got.TotalCount != 1030 {
		t.Errorf("got %d runs of %d, capped %v; want 1029 of 1030, capped", len(got.Runs), got.TotalCount, got.Capped)
	}
	ids := map[int64]bool{}
	for _, r := range got.Runs {
		ids[r.ID] = true
	}
	for _, r := range runs[1001:] {
		if !ids[r.ID] {
			t.Errorf("run %d, not in the crowded second, is missing", r.ID)
		}
	}
	want := "warning: showing 1029 of 1030 matching runs: GitHub returns at most 1000 runs for a filtered listing; more than that were created within one second\n"
	if stderr != want {
		t.Errorf("stderr:\n%q\nwant\n%q", stderr, want)
	}
	// The listing's 10 pages, a probe of the crowded second, one of all
	// that is older, and a page of it.
	if len(reqs) != 13 {
		t.Errorf("%d requests, want 13", len(reqs))
	}
}

// TestListUnderCap: a capped listing with a limit GitHub serves is not windowed.
func TestListUnderCap(t *testing.T) {
	s, c := emptyFake(t, 8)
	s.AddRuns(fakegh.GenerateRuns(1100, 100000, base, nil)...)
	got, stderr, reqs := list(t, s, c, runquery.Filter{Branch: "main", Limit: 30}, false)
	if len(got.Runs) != 30 || len(reqs) != 1 || stderr != "" {
		t.Errorf("%d runs in %d requests, stderr %q; want 30 in 1", len(got.Runs), len(reqs), stderr)
	}
}
