package fakegh

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// searchCap is how many items a filtered run listing serves (see cappedFilters).
const searchCap = 1000

// page is the page a list request asks for.
type page struct {
	number, size int
}

// pageOf reads page and per_page. Out-of-range values are reported by the contract
// checks; the fake then serves 100 for a per_page above 100 (what GitHub does in
// practice, though undocumented), and the default for values below 1 or unparsable.
func pageOf(r *http.Request) page {
	p := page{number: 1, size: 30}
	q := r.URL.Query()
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n >= 1 {
		p.number = n
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n >= 1 {
		p.size = min(n, 100)
	}
	return p
}

// slice returns the bounds of the page within n reachable items.
func (p page) slice(n int) (lo, hi int) {
	lo = min((p.number-1)*p.size, n)
	hi = min(lo+p.size, n)
	return lo, hi
}

// lastPage is the number of the last page holding any of n reachable items.
func (p page) lastPage(n int) int {
	return max(1, (n+p.size-1)/p.size)
}

// setLink sets GitHub's Link header for a list of n reachable items, unless they all
// fit on the first page. Relations come in GitHub's order (prev, next, last, first).
// A page past the end gets prev and first only, since nothing follows it; GitHub does
// not document that case.
func (s *Server) setLink(res *response, r *http.Request, p page, n int) {
	last := p.lastPage(n)
	if p.number == 1 && last == 1 {
		return
	}
	// Other parameters keep their order and encoding; page and per_page go last, and
	// per_page is always there ("The per_page parameter will automatically be included").
	var keep []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		key, _, _ := strings.Cut(kv, "=")
		if kv != "" && key != "page" && key != "per_page" {
			keep = append(keep, kv)
		}
	}
	// GitHub's links address the repository by its ID, not by owner and name:
	// https://api.github.com/repositories/{id}/actions/runs?…&page=2.
	path := r.URL.EscapedPath()
	if parts := strings.SplitN(path, "/", 5); len(parts) == 5 && parts[1] == "repos" {
		path = fmt.Sprintf("/repositories/%d/%s", s.RepoID, parts[4])
	}
	link := func(n int, rel string) string {
		q := append(append([]string(nil), keep...), fmt.Sprintf("page=%d", n), fmt.Sprintf("per_page=%d", p.size))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, s.URL, path, strings.Join(q, "&"), rel)
	}
	var links []string
	if p.number > 1 {
		links = append(links, link(p.number-1, "prev"))
	}
	if p.number < last {
		links = append(links, link(p.number+1, "next"), link(last, "last"))
	}
	if p.number > 1 {
		links = append(links, link(1, "first"))
	}
	res.header.Set("Link", strings.Join(links, ", "))
}
