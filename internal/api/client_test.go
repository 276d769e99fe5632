package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

const token = "ghp_apitest"

func fake(t *testing.T, concurrency int) (*fakegh.Server, *Client) {
	t.Helper()
	s := fakegh.Start(t)
	s.Token = token
	fakegh.Seed(s)
	c, err := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: concurrency})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

var repo = Repo{Owner: "octo", Name: "hello"}

func ids(runs []Run) []int64 {
	out := make([]int64, len(runs))
	for i, r := range runs {
		out[i] = r.ID
	}
	return out
}

// TestParallelPagingMatchesSerial: pages fetched eight at a time give
// exactly what one-at-a-time paging gives, in GitHub's order.
func TestParallelPagingMatchesSerial(t *testing.T) {
	s, parallel := fake(t, 8)
	s.AddRuns(fakegh.GenerateRuns(987, 1, fakegh.SeedBase.Add(-48*time.Hour), nil)...)
	serial, _ := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 1})
	ctx := context.Background()
	for _, limit := range []int{0, 1, 101, 450} {
		a, err := parallel.ListRuns(ctx, repo, RunFilter{}, limit)
		if err != nil {
			t.Fatal(err)
		}
		b, err := serial.ListRuns(ctx, repo, RunFilter{}, limit)
		if err != nil {
			t.Fatal(err)
		}
		want := limit
		if limit == 0 {
			want = 1000
		}
		if len(a.Runs) != want || !slices.Equal(ids(a.Runs), ids(b.Runs)) {
			t.Errorf("limit %d: parallel %d runs, serial %d, same order: %v", limit, len(a.Runs), len(b.Runs), slices.Equal(ids(a.Runs), ids(b.Runs)))
		}
		if a.TotalCount != 1000 {
			t.Errorf("total %d, want 1000", a.TotalCount)
		}
	}
	// Newest first, no duplicates.
	all, _ := parallel.ListRuns(ctx, repo, RunFilter{}, 0)
	for i := 1; i < len(all.Runs); i++ {
		if all.Runs[i].CreatedAt.After(all.Runs[i-1].CreatedAt) {
			t.Fatalf("run %d is newer than the one before it", all.Runs[i].ID)
		}
	}
}

// TestRequestsPerListing counts requests: ceil(N/100) list requests.
func TestRequestsPerListing(t *testing.T) {
	s, c := fake(t, 8)
	s.AddRuns(fakegh.GenerateRuns(2987, 1, fakegh.SeedBase.Add(-48*time.Hour), nil)...)
	for _, tc := range []struct{ limit, want int }{{20, 1}, {100, 1}, {101, 2}, {1000, 10}, {0, 30}} {
		s.ResetRequests()
		list, err := c.ListRuns(context.Background(), repo, RunFilter{}, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(s.Requests()); n != tc.want {
			t.Errorf("-L %d: %d requests, want %d", tc.limit, n, tc.want)
		}
		if tc.limit == 0 && len(list.Runs) != 3000 {
			t.Errorf("-L 0: %d runs, want 3000", len(list.Runs))
		}
	}
}

func TestSearchCap(t *testing.T) {
	s, c := fake(t, 8)
	s.AddRuns(fakegh.GenerateRuns(1500, 1, fakegh.SeedBase.Add(-48*time.Hour), nil)...)
	list, err := c.ListRuns(context.Background(), repo, RunFilter{Branch: "main"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Runs) != 1000 || !list.Capped || list.TotalCount != 1508 {
		t.Errorf("got %d runs, capped %v, total %d; want 1000, true, 1508", len(list.Runs), list.Capped, list.TotalCount)
	}
	list, _ = c.ListRuns(context.Background(), repo, RunFilter{Branch: "main"}, 500)
	if list.Capped {
		t.Error("a listing of 500 is not cut by the cap")
	}
}

func TestHTTPError(t *testing.T) {
	_, c := fake(t, 1)
	_, err := c.GetRun(context.Background(), repo, 42, 0)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 || he.Message != "Not Found" || !strings.Contains(he.URL, "/actions/runs/42") {
		t.Fatalf("error %#v", err)
	}
	if err.Error() != "Not Found (HTTP 404)" {
		t.Errorf("message %q", err.Error())
	}
	err = c.Cancel(context.Background(), repo, fakegh.SuccessfulRun, false)
	if !errors.As(err, &he) || he.StatusCode != 409 || !strings.Contains(he.Message, "completed") {
		t.Errorf("cancel of a completed run: %v", err)
	}
}

// TestDownloadLogs: the archive arrives whole, from the other host, without the token.
func TestDownloadLogs(t *testing.T) {
	s, c := fake(t, 1)
	r, _ := s.Run(fakegh.SuccessfulRun)
	r.Logs = bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	s.AddRuns(r)
	var buf bytes.Buffer
	var last int64
	n, err := c.DownloadLogs(context.Background(), repo, fakegh.SuccessfulRun, 0, &buf, func(done, total int64) { last = done })
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(r.Logs)) || !bytes.Equal(buf.Bytes(), r.Logs) || last != n {
		t.Errorf("got %d bytes (progress %d), want %d", n, last, len(r.Logs))
	}
	logs := s.LogRequests()
	if len(logs) != 1 || logs[0].Header.Get("Authorization") != "" {
		t.Errorf("log host requests: %d, Authorization %q", len(logs), logs[0].Header.Get("Authorization"))
	}
	if got := s.Requests()[0].Header.Get("Authorization"); got != "token "+token {
		t.Errorf("API request Authorization %q", got)
	}
}

// TestBaseURLWithPath: a GHES base keeps its /api/v3 prefix, and every
// request carries GitHub's headers.
func TestBaseURLWithPath(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Write([]byte(`{"total_count":0,"workflows":[]}`))
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL + "/api/v3/", UserAgent: "ghruns/1.0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListWorkflows(context.Background(), Repo{Owner: "o", Name: "r"}); err != nil {
		t.Fatal(err)
	}
	if got.URL.Path != "/api/v3/repos/o/r/actions/workflows" {
		t.Errorf("path %q", got.URL.Path)
	}
	for k, v := range map[string]string{"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "ghruns/1.0", "Authorization": ""} {
		if got.Header.Get(k) != v {
			t.Errorf("header %s = %q, want %q", k, got.Header.Get(k), v)
		}
	}
}

func TestParseLink(t *testing.T) {
	h := `<https://api.github.com/resource?page=2>; rel="next", <https://api.github.com/resource?page=5>; rel="last"`
	got := ParseLink(h)
	if got["next"] != "https://api.github.com/resource?page=2" || got["last"] != "https://api.github.com/resource?page=5" || len(got) != 2 {
		t.Errorf("ParseLink = %v", got)
	}
	if len(ParseLink("")) != 0 || len(ParseLink("garbage")) != 0 {
		t.Error("ParseLink of nothing should be empty")
	}
}

func TestNewRejectsBadBase(t *testing.T) {
	for _, base := range []string{"", "api.github.com", "://x"} {
		if _, err := New(Options{BaseURL: base}); err == nil {
			t.Errorf("New(%q) succeeded", base)
		}
	}
}
