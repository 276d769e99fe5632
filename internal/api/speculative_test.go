package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestSpeculativePagingMatchesSerial: with -L N the pages are all asked for
// at once, and the listing is exactly, in order, what one page at a time
// gives, with GitHub's total: on a repository with more runs than asked,
// fewer, none, and exactly as many.
func TestSpeculativePagingMatchesSerial(t *testing.T) {
	for _, size := range []int{0, 37, 250, 1013} {
		s := fakegh.Start(t)
		s.Token = token
		s.Unchecked = true // the answers' shape is checked elsewhere; here, only which runs
		s.AddRuns(fakegh.GenerateRuns(size, 1, fakegh.SeedBase.Add(-48*time.Hour), nil)...)
		fast, _ := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 8})
		serial, _ := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 1})
		for _, limit := range []int{0, 50, 150, 1000, 1500} {
			for _, f := range []RunFilter{{}, {Branch: "main"}} {
				a, err := fast.ListRuns(context.Background(), repo, f, limit)
				if err != nil {
					t.Fatal(err)
				}
				b, err := serial.ListRuns(context.Background(), repo, f, limit)
				if err != nil {
					t.Fatal(err)
				}
				want := size
				if limit > 0 {
					want = min(size, limit)
				}
				if f.IsSearch() {
					want = min(want, SearchCap)
				}
				if len(a.Runs) != want || !slices.Equal(ids(a.Runs), ids(b.Runs)) ||
					a.TotalCount != b.TotalCount || a.Capped != b.Capped {
					t.Errorf("%d runs, -L %d, filter %+v: speculative %d runs of %d, serial %d of %d, want %d; same order: %v",
						size, limit, f, len(a.Runs), a.TotalCount, len(b.Runs), b.TotalCount, want, slices.Equal(ids(a.Runs), ids(b.Runs)))
				}
			}
		}
	}
}

// TestSpeculativePagingOneRoundTrip: -L 1000 sends its ten page requests
// at once, one round trip; -L 0 sends page 1, then the rest at once, as
// wide as the client's paging width allows. One at a time is a round trip a
// page.
func TestSpeculativePagingOneRoundTrip(t *testing.T) {
	s, fast := fake(t, 8)
	s.AddRuns(fakegh.GenerateRuns(2987, 1, fakegh.SeedBase.Add(-48*time.Hour), nil)...)
	s.Unchecked = true
	serial, _ := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 1})
	for _, tc := range []struct {
		c                             *Client
		limit, requests, rt, inFlight int
	}{
		{fast, 1000, 10, 1, 10},
		{fast, 250, 3, 1, 3},
		{fast, 0, 30, 3, 16}, // page 1, then 29 pages 16 at a time
		{serial, 1000, 10, 10, 1},
		{serial, 0, 30, 30, 1},
	} {
		s.ResetRequests()
		// Requests sent together must all arrive before the first answer
		// is written to count as one round trip: a long latency keeps that
		// true on a loaded machine, where goroutines start late. One at a
		// time needs none, as each request waits for the answer before it.
		s.Latency = 0
		if tc.c == fast {
			s.Latency = 300 * time.Millisecond
		}
		if _, err := tc.c.ListRuns(context.Background(), repo, RunFilter{}, tc.limit); err != nil {
			t.Fatal(err)
		}
		if n, rt, m := len(s.Requests()), s.RoundTrips(), s.MaxInFlight(); n != tc.requests || rt != tc.rt || m != tc.inFlight {
			t.Errorf("-L %d at concurrency %d: %d requests in %d round trips, %d at once; want %d in %d, %d at once",
				tc.limit, tc.c.Concurrency(), n, rt, m, tc.requests, tc.rt, tc.inFlight)
		}
	}
}

// TestSpeculativePagingDropsDuplicates: a run created while the pages are
// read pushes every later page down by one, so that a page starts with the
// run that ended the one before; the listing holds each run once, as the
// serial listing does.
func TestSpeculativePagingDropsDuplicates(t *testing.T) {
	const real = 450
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		page := max(1, atoi(r.URL.Query().Get("page")))
		var runs []string
		// Page p starts p-1 runs early: one run was created before each.
		from := (page-1)*perPage - (page - 1)
		for i := from; i < min(from+perPage, real); i++ {
			runs = append(runs, fmt.Sprintf(`{"id":%d,"name":"CI","status":"completed"}`, 10_000-i))
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s/repos/octo/hello/actions/runs?per_page=%d&page=%d>; rel="next"`, "http://"+r.Host, perPage, page+1))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"total_count":%d,"workflow_runs":[%s]}`, real, strings.Join(runs, ","))
	}))
	t.Cleanup(srv.Close)
	fast, _ := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 8})
	serial, _ := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 1})
	a, err := fast.ListRuns(context.Background(), repo, RunFilter{}, 400)
	if err != nil {
		t.Fatal(err)
	}
	b, err := serial.ListRuns(context.Background(), repo, RunFilter{}, 400)
	if err != nil {
		t.Fatal(err)
	}
	got := ids(a.Runs)
	if !slices.Equal(got, ids(b.Runs)) {
		t.Errorf("speculative %v\nserial %v", got, ids(b.Runs))
	}
	// 400 runs from four pages of 100, three of them a repeat.
	if len(got) != 397 || len(slices.Compact(slices.Clone(got))) != len(got) || got[0] != 10_000 || got[396] != 10_000-396 {
		t.Errorf("%d runs from %d to %d, want each of 397 once", len(got), got[0], got[len(got)-1])
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// TestConcurrencyOneIsOneAtATime: at concurrency 1 a run and its jobs
// asked for together still go one after the other, pages included.
func TestConcurrencyOneIsOneAtATime(t *testing.T) {
	s, c := fake(t, 1)
	s.Latency = 20 * time.Millisecond
	done := make(chan error, 1)
	go func() {
		_, err := c.ListJobs(context.Background(), repo, 7000000110, 0)
		done <- err
	}()
	if _, err := c.GetRun(context.Background(), repo, 7000000110, 0); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if m := s.MaxInFlight(); m != 1 {
		t.Errorf("%d requests in flight at concurrency 1, want 1", m)
	}
}
