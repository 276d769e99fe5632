package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
)

// maxPerPage is GitHub's largest page for list endpoints.
const maxPerPage = 100

var linkRE = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="([^"]+)"`)

// ParseLink returns the URLs of a Link header by relation (next, last, prev, first).
func ParseLink(header string) map[string]string {
	links := map[string]string{}
	for _, m := range linkRE.FindAllStringSubmatch(header, -1) {
		links[m[2]] = m[1]
	}
	return links
}

// page is one decoded page of a list endpoint.
type page[T any] struct {
	items []T
	total int
}

// pageDecoder decodes one page of a list endpoint into its items and total_count.
type pageDecoder[T any] func(c *Client, ctx context.Context, rawURL string) (page[T], http.Header, error)

// listAll fetches up to want items (0: all) of at most reachable items,
// where reachable is computed from the first page's total. The first page
// comes alone; the rest, addressed from its next link, come in parallel.
//
// GitHub's total_count is checked against the pages: paging ends at the
// first short page, however many the total promised, and a total lower than
// what the pages hold is warned about rather than cut silently. The total
// returned is what the pages delivered when they ended a page or more short.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values, want int,
	reachable func(total int) int, decode pageDecoder[T]) ([]T, int, error) {
	perPage := maxPerPage
	if want > 0 && want < perPage {
		perPage = want
	}
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("per_page", strconv.Itoa(perPage))
	first := c.base.JoinPath(path)
	first.RawQuery = q.Encode()

	p1, header, err := decode(c, ctx, first.String())
	if err != nil {
		return nil, 0, err
	}
	target := reachable(p1.total)
	limited := want > 0 && want < target
	if limited {
		target = want
	}
	next := ParseLink(header.Get("Link"))["next"]
	pages := (target + perPage - 1) / perPage
	if next == "" || pages <= 1 {
		if !limited && target == p1.total && (len(p1.items) > target || next != "" && (want == 0 || want > target)) {
			c.warnLowTotal(p1.total)
		}
		return truncate(p1.items, target), p1.total, nil
	}

	rest, more, err := fetchPages(ctx, c, c.pageTemplate(next, first), 2, pages, perPage, decode)
	if err != nil {
		return nil, 0, err
	}
	items := p1.items
	short := len(p1.items) < perPage
	for _, p := range rest {
		if short {
			break
		}
		items = append(items, p.items...)
		short = len(p.items) < perPage
	}
	total := p1.total
	switch {
	case short && target-len(items) >= perPage:
		c.warnf("warning: GitHub counted %d results, but its pages ended after %d: listing those", p1.total, len(items))
		total = len(items)
	case !short && more && !limited && target == p1.total:
		c.warnLowTotal(p1.total)
	}
	return truncate(items, target), total, nil
}

// warnLowTotal says that the pages hold more than GitHub's total_count.
func (c *Client) warnLowTotal(total int) {
	c.warnf("warning: GitHub counted %d results, but its pages hold more: the listing stops at %d and may be incomplete", total, total)
}

// warnf tells the user, on the notice writer, of an answer that does not add up.
func (c *Client) warnf(format string, args ...any) {
	c.logf("! "+format, args...)
	if c.notice != nil {
		fmt.Fprintf(c.notice, format+"\n", args...)
	}
}

// fetchPages fetches pages from..to, addressed by rewriting the page
// parameter of tmpl, with at most c.concurrency in flight (the client's
// slots bound its requests too; this bounds the goroutines). No page is
// asked for after a short one (fewer than perPage items), the real end.
// more tells whether page to, when full, links to a further page.
func fetchPages[T any](ctx context.Context, c *Client, tmpl *url.URL, from, to, perPage int, decode pageDecoder[T]) (pages []page[T], more bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]page[T], to-from+1)
	sem := make(chan struct{}, c.concurrency)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	var end atomic.Int64 // the first short page seen, 0 before
	var lastHasNext atomic.Bool
	for n := from; n <= to; n++ {
		u := *tmpl
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		u.RawQuery = q.Encode()
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		if e := end.Load(); e > 0 && int64(n) > e {
			<-sem
			break
		}
		wg.Add(1)
		go func(n int, raw string) {
			defer wg.Done()
			defer func() { <-sem }()
			p, h, err := decode(c, ctx, raw)
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			results[n-from] = p
			if len(p.items) < perPage {
				for e := end.Load(); e == 0 || int64(n) < e; e = end.Load() {
					if end.CompareAndSwap(e, int64(n)) {
						break
					}
				}
			}
			if n == to {
				lastHasNext.Store(ParseLink(h.Get("Link"))["next"] != "")
			}
		}(n, u.String())
	}
	wg.Wait()
	if firstErr != nil {
		return nil, false, firstErr
	}
	if e := end.Load(); e > 0 {
		results = results[:e-int64(from)+1]
	}
	return results, lastHasNext.Load(), ctx.Err()
}

func truncate[T any](items []T, n int) []T {
	if n >= 0 && len(items) > n {
		return items[:n]
	}
	return items
}

// getJSON fetches an absolute URL on the API host and decodes it.
func (c *Client) getJSON(ctx context.Context, rawURL string, out any) (http.Header, error) {
	req, err := c.newRequestURL(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	return c.decodeResponse(req, out, sendOpts{retry: true})
}
