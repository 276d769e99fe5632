package fakegh

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

type runList struct {
	TotalCount   int `json:"total_count"`
	WorkflowRuns []struct {
		ID int64 `json:"id"`
	} `json:"workflow_runs"`
}

var linkRel = regexp.MustCompile(`<([^>]+)>; rel="([a-z]+)"`)

// links parses a Link header into relation → URL, keeping the relations' order.
func links(h string) (map[string]string, []string) {
	m := map[string]string{}
	var order []string
	for _, p := range linkRel.FindAllStringSubmatch(h, -1) {
		m[p[2]] = p[1]
		order = append(order, p[2])
	}
	return m, order
}

// listAll follows rel="next" from the first page and returns the IDs, the pages'
// total_counts and Link headers.
func listAll(t *testing.T, s *Server, first string) (ids []int64, totals []int, linkHeaders []string) {
	t.Helper()
	for next := first; next != ""; {
		r := fetch(t, s, "GET", next, "")
		wantStatus(t, r, 200)
		var l runList
		if err := json.Unmarshal([]byte(r.body), &l); err != nil {
			t.Fatal(err)
		}
		for _, run := range l.WorkflowRuns {
			ids = append(ids, run.ID)
		}
		totals = append(totals, l.TotalCount)
		linkHeaders = append(linkHeaders, r.Header.Get("Link"))
		m, _ := links(r.Header.Get("Link"))
		next = m["next"]
		if len(linkHeaders) > 20 {
			t.Fatal("more than 20 pages")
		}
	}
	return ids, totals, linkHeaders
}

// TestPaging walks 250 runs by rel="next" and checks every Link header.
func TestPaging(t *testing.T) {
	t.Parallel()
	s := Start(t)
	s.AddRuns(GenerateRuns(250, 1, SeedBase, nil)...)
	ids, totals, linkHeaders := listAll(t, s, "runs?per_page=100")

	if len(linkHeaders) != 3 {
		t.Fatalf("got %d pages, want 3", len(linkHeaders))
	}
	seen := map[int64]bool{}
	for i, id := range ids {
		if seen[id] {
			t.Errorf("run %d served twice", id)
		}
		seen[id] = true
		// Run i was created i minutes before the base: newest first is ID order here.
		if id != int64(i+1) {
			t.Errorf("item %d is run %d, want %d", i, id, i+1)
		}
	}
	if len(ids) != 250 {
		t.Errorf("got %d runs, want 250", len(ids))
	}
	for _, total := range totals {
		if total != 250 {
			t.Errorf("total_count %d, want 250", total)
		}
	}

	// GitHub's links name the repository by ID (octokit.rb's recordings).
	u := fmt.Sprintf("%s/repositories/%d/actions/runs", s.URL, s.RepoID)
	wantLinks := []string{
		fmt.Sprintf(`<%s?page=2&per_page=100>; rel="next", <%[1]s?page=3&per_page=100>; rel="last"`, u),
		fmt.Sprintf(`<%s?page=1&per_page=100>; rel="prev", <%[1]s?page=3&per_page=100>; rel="next", <%[1]s?page=3&per_page=100>; rel="last", <%[1]s?page=1&per_page=100>; rel="first"`, u),
		fmt.Sprintf(`<%s?page=2&per_page=100>; rel="prev", <%[1]s?page=1&per_page=100>; rel="first"`, u),
	}
	for i, want := range wantLinks {
		if linkHeaders[i] != want {
			t.Errorf("page %d Link:\n got %s\nwant %s", i+1, linkHeaders[i], want)
		}
	}

	// Everything on one page: no Link at all.
	if r := fetch(t, s, "GET", "runs?per_page=100&branch=nope", ""); r.Header.Get("Link") != "" {
		t.Errorf("a listing that fits one page has Link %q", r.Header.Get("Link"))
	}
	// Other parameters are kept, before page and per_page.
	r := fetch(t, s, "GET", "workflows/1/runs?event=push&per_page=100", "")
	if m, _ := links(r.Header.Get("Link")); m["next"] != fmt.Sprintf("%s/repositories/%d/actions/workflows/1/runs?event=push&page=2&per_page=100", s.URL, s.RepoID) {
		t.Errorf("next link keeps the filters wrongly: %q", r.Header.Get("Link"))
	}
	// The default page size is 30.
	if ids, _, lh := listAll(t, s, "runs"); len(lh) != 9 || len(ids) != 250 {
		t.Errorf("default paging: %d pages and %d runs, want 9 and 250", len(lh), len(ids))
	}
}

// TestFilteredListingStopsAt1000 checks the 1,000-result cap of filtered listings.
func TestFilteredListingStopsAt1000(t *testing.T) {
	t.Parallel()
	s := Start(t)
	s.AddRuns(GenerateRuns(1500, 1, SeedBase, nil)...)

	ids, totals, linkHeaders := listAll(t, s, "runs?branch=main&per_page=100")
	if len(ids) != 1000 || len(linkHeaders) != 10 {
		t.Errorf("filtered listing served %d runs on %d pages, want 1000 on 10", len(ids), len(linkHeaders))
	}
	for _, total := range totals {
		if total != 1500 {
			t.Errorf("total_count %d, want the true count 1500", total)
		}
	}
	if m, _ := links(linkHeaders[0]); !strings.HasSuffix(m["last"], "page=10&per_page=100") {
		t.Errorf("last link %q, want page 10", m["last"])
	}
	past := fetch(t, s, "GET", "runs?branch=main&per_page=100&page=11", "")
	if !strings.Contains(past.body, `"workflow_runs":[]`) || !strings.Contains(past.body, `"total_count":1500`) {
		t.Errorf("page 11: %.200s", past.body)
	}
	if _, rels := links(past.Header.Get("Link")); strings.Join(rels, ",") != "prev,first" {
		t.Errorf("page 11 relations %v, want prev,first", rels)
	}

	// Without a capped filter every run is reachable.
	r := fetch(t, s, "GET", "runs?per_page=100&page=15&exclude_pull_requests=true", "")
	var l runList
	if err := json.Unmarshal([]byte(r.body), &l); err != nil || len(l.WorkflowRuns) != 100 || l.WorkflowRuns[99].ID != 1500 {
		t.Errorf("unfiltered page 15: %d runs (%v), want the last 100 up to run 1500", len(l.WorkflowRuns), err)
	}
}

// TestConcurrentPaging fetches pages at once, as ghruns does with its concurrency
// setting; run with -race it checks the fake's locking.
func TestConcurrentPaging(t *testing.T) {
	t.Parallel()
	s := Start(t)
	s.AddRuns(GenerateRuns(300, 1, SeedBase, nil)...)
	ids := make([][]int64, 10)
	done := make(chan int)
	for p := range ids {
		go func() {
			defer func() { done <- p }()
			r := fetch(t, s, "GET", fmt.Sprintf("runs?per_page=30&page=%d", p+1), "")
			var l runList
			if err := json.Unmarshal([]byte(r.body), &l); err != nil {
				t.Error(err)
				return
			}
			for _, run := range l.WorkflowRuns {
				ids[p] = append(ids[p], run.ID)
			}
		}()
	}
	for range ids {
		<-done
	}
	var all []int64
	for _, page := range ids {
		all = append(all, page...)
	}
	if len(all) != 300 || all[0] != 1 || all[299] != 300 {
		t.Errorf("concurrent pages gave %d runs", len(all))
	}
	if n := len(s.Requests()); n != 10 {
		t.Errorf("recorded %d requests, want 10", n)
	}
}
