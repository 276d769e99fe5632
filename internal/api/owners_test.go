package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestOwnerReposGrewWhileListing: an organisation whose first page named
// page 2 as the last, but which gained repositories while it was listed,
// has every repository listed: the page after the last named is asked for
// next, and none is skipped.
func TestOwnerReposGrewWhileListing(t *testing.T) {
	const total = 250 // page 1 said 200: pages 1 and 2 full, then 50 more on page 3
	var mu sync.Mutex
	var pages []int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := max(1, atoi(r.URL.Query().Get("page")))
		mu.Lock()
		pages = append(pages, page)
		mu.Unlock()
		var repos []string
		for i := (page - 1) * 100; i < min(page*100, total); i++ {
			repos = append(repos, fmt.Sprintf(`{"name":"r%d","full_name":"acme/r%d"}`, i, i))
		}
		if page == 1 {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/orgs/acme/repos?per_page=100&type=all&page=2>; rel="next", <http://%s/orgs/acme/repos?per_page=100&type=all&page=2>; rel="last"`, r.Host, r.Host))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "[%s]", strings.Join(repos, ","))
	}))
	t.Cleanup(srv.Close)
	c, _ := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 4})
	repos, err := c.ListOwnerRepos(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(repos) != total {
		t.Errorf("%d repositories listed, want %d", len(repos), total)
	}
	for i, r := range repos {
		if r.Name != "r"+strconv.Itoa(i) {
			t.Fatalf("repository %d is %s, want r%d", i, r.Name, i)
		}
	}
	slices.Sort(pages)
	if !slices.Equal(pages, []int{1, 2, 3}) {
		t.Errorf("pages asked for: %v, want 1, 2, 3", pages)
	}
}
