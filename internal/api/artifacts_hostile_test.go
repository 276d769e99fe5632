package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// artifactsServer serves real artifacts (every page full when real is
// -1: a listing that never ends) with the claimed total_count, and counts
// the requests.
func artifactsServer(t *testing.T, real, total int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		end := page * perPage
		if real >= 0 {
			end = min(end, real)
		}
		var as []string
		for i := (page-1)*perPage + 1; i <= end; i++ {
			as = append(as, fmt.Sprintf(`{"id":%d,"name":"a%d"}`, i, i))
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s/repos/octo/hello/actions/artifacts?per_page=%d&page=%d>; rel="next"`, srv.URL, perPage, page+1))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"total_count":%d,"artifacts":[%s]}`, total, strings.Join(as, ","))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestArtifactsLyingTotal: an artifact listing (which GitHub does not cap
// at 1,000 as it caps runs) whose total_count claims a billion ends after
// the real last page, at the cost of a wave of requests and no more memory
// than the items; one whose pages never end stops at MaxListItems with a
// warning, not after millions of requests.
func TestArtifactsLyingTotal(t *testing.T) {
	for _, tc := range []struct {
		name        string
		real, total int
		items       int
		maxRequests int32
		notice      string
	}{
		{"lying total", 150, 1_000_000_000, 150, 1 + 16,
			"warning: GitHub counted 1000000000 results, but its pages ended after 150: listing those\n"},
		{"never ends", -1, 1_000_000_000, MaxListItems, MaxListItems/maxPerPage + 16,
			"warning: GitHub counted 1000000000 results, more than the 100000 one listing reads: listing the first 100000\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := artifactsServer(t, tc.real, tc.total)
			notice := &syncBuffer{}
			c, _ := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 16, Notice: notice})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			list, err := c.ListArtifacts(context.Background(), repo, ArtifactFilter{}, 0)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Artifacts) != tc.items {
				t.Errorf("%d artifacts, want %d", len(list.Artifacts), tc.items)
			}
			if got := n.Load(); got > tc.maxRequests {
				t.Errorf("%d requests, want at most %d", got, tc.maxRequests)
			}
			// The items themselves take about 2 KB each.
			if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > uint64(tc.items)*2048>>20+64 {
				t.Errorf("%d MB allocated for %d artifacts", mb, tc.items)
			}
			if got := notice.String(); got != tc.notice {
				t.Errorf("notice %q, want %q", got, tc.notice)
			}
		})
	}
}
