package api

import (
	"context"
	"errors"
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

// MaxListItems bounds what one listing reads, whatever the total_count or
// -L says: 1,000 pages. The pages a listing asks for are planned from the
// total, so a server that claims a billion items (or never ends its pages)
// would otherwise cost gigabytes and millions of requests.
const MaxListItems = 1000 * maxPerPage

// linkRE is compiled on first use, not at every start of ghruns.
var linkRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<([^>]+)>\s*;\s*rel="([^"]+)"`) })

// ParseLink returns the URLs of a Link header by relation (next, last, prev, first).
func ParseLink(header string) map[string]string {
	links := map[string]string{}
	for _, m := range linkRE().FindAllStringSubmatch(header, -1) {
		links[m[2]] = m[1]
	}
	return links
}

// page is one decoded page of a list endpoint.
type page[T any] struct {
	items []T
	total int
	// next tells whether the page links to a further page, at nextURL.
	next    bool
	nextURL string
}

// pageDecoder decodes one page of a list endpoint into its items and total_count.
type pageDecoder[T any] func(c *Client, ctx context.Context, rawURL string) (page[T], http.Header, error)

// listAll fetches up to want items (0: all) of at most reachable items,
// where reachable is computed from the first page's total.
//
// When want says how many pages are needed, they are all asked for at
// once, addressed by their page number on the API's own origin: the
// listing takes one round trip, and a page past the end costs one request
// that is thrown away. Otherwise the first page comes alone and the rest,
// addressed from its next link, in parallel. Either way the client's
// paging width bounds the requests in flight, and the items are those the
// pages give one after the other.
//
// GitHub's total_count is checked against the pages: paging ends at the
// first short page, however many the total promised, and a total lower than
// what the pages hold is warned about rather than cut silently. The total
// returned is what the pages delivered when they ended a page or more short.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values, want int,
	reachable func(total int) int, decode pageDecoder[T]) ([]T, int, error) {
	bounded := func(n int) int { return min(reachable(n), MaxListItems) }
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

	var p1 page[T]
	var rest []page[T]
	speculative := 0
	if want > 0 && c.PagingWidth() > 1 {
		speculative = (bounded(want) + perPage - 1) / perPage
	}
	if speculative > 1 {
		all, err := fetchPages(ctx, c, first, 1, speculative, perPage, decode)
		if err != nil {
			return nil, 0, err
		}
		p1, rest = all[0], all[1:]
	} else {
		var err error
		if p1, err = fetchPage(withPaging(ctx), c, first.String(), decode); err != nil {
			return nil, 0, err
		}
	}
	target := bounded(p1.total)
	capped := reachable(p1.total) > target && (want == 0 || want > target)
	limited := want > 0 && want < target
	if limited {
		target = want
	}
	pages := (target + perPage - 1) / perPage
	if !p1.next || pages <= 1 {
		if !limited && target == p1.total && (len(p1.items) > target || p1.next && (want == 0 || want > target)) {
			c.warnLowTotal(p1.total)
		}
		return truncate(p1.items, target), p1.total, nil
	}
	if speculative > 1 {
		// The pages the total rules out are dropped: a total below what -L
		// asked for leaves them past the end.
		rest = rest[:min(len(rest), pages-1)]
	} else {
		next := c.pageTemplate(p1.nextURL, first)
		var err error
		if rest, err = fetchPages(ctx, c, next, 2, pages, perPage, decode); err != nil {
			return nil, 0, err
		}
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
	more := len(rest) > 0 && rest[len(rest)-1].next
	total := p1.total
	switch {
	case short && target-len(items) >= perPage:
		c.warnf("warning: GitHub counted %d results, but its pages ended after %d: listing those", p1.total, len(items))
		total = len(items)
	case !short && more && !limited && target == p1.total:
		c.warnLowTotal(p1.total)
	case !short && capped:
		c.warnf("warning: GitHub counted %d results, more than the %d one listing reads: listing the first %d", p1.total, MaxListItems, len(items))
	}
	return truncate(items, target), total, nil
}

// fetchPage fetches and decodes one page, noting its next link.
func fetchPage[T any](ctx context.Context, c *Client, rawURL string, decode pageDecoder[T]) (page[T], error) {
	p, h, err := decode(c, ctx, rawURL)
	if err != nil {
		return page[T]{}, err
	}
	p.nextURL = ParseLink(h.Get("Link"))["next"]
	p.next = p.nextURL != ""
	return p, nil
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

// fetchPages fetches pages from..to, page 1 at tmpl itself and the others
// addressed by rewriting the page parameter of tmpl, with at most the
// client's paging width in flight. No page is asked for after a short one
// (fewer than perPage items), the real end, and the pages returned stop at
// the first short one.
func fetchPages[T any](ctx context.Context, c *Client, tmpl *url.URL, from, to, perPage int, decode pageDecoder[T]) ([]page[T], error) {
	ctx, cancel := context.WithCancel(withPaging(ctx))
	defer cancel()
	results := make([]page[T], to-from+1)
	sem := make(chan struct{}, c.PagingWidth())
	var wg sync.WaitGroup
	errs := make([]error, to-from+1)
	var end atomic.Int64 // the first short page seen, 0 before
	for n := from; n <= to; n++ {
		u := *tmpl
		if n > 1 {
			q := u.Query()
			q.Set("page", strconv.Itoa(n))
			u.RawQuery = q.Encode()
		}
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
			p, err := fetchPage(ctx, c, raw, decode)
			if err != nil {
				errs[n-from] = err
				cancel()
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
		}(n, u.String())
	}
	wg.Wait()
	// The earliest page's own failure is the one to report, not a page
	// cancelled because of it.
	var firstErr error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if e := end.Load(); e > 0 {
		results = results[:e-int64(from)+1]
	}
	return results, ctx.Err()
}

// dedupeByID keeps, in place, the first of items that share an ID: an
// item created while paging shifts every later page by one, so the next
// page repeats the last item of this one.
func dedupeByID[T any](items []T, id func(T) int64) []T {
	seen := make(map[int64]bool, len(items))
	out := items[:0]
	for _, x := range items {
		if !seen[id(x)] {
			seen[id(x)] = true
			out = append(out, x)
		}
	}
	return out
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
	return c.decodeResponse(req, out, sendOpts{retry: true, paging: isPaging(ctx)})
}

type pagingKey struct{}

// withPaging marks ctx as fetching pages of a listing, which take the
// client's page slots: a command that only lists never has more than the
// paging width in flight, and one that lists while it works on runs at
// most the paging width and the concurrency together.
func withPaging(ctx context.Context) context.Context {
	return context.WithValue(ctx, pagingKey{}, true)
}

func isPaging(ctx context.Context) bool {
	v, _ := ctx.Value(pagingKey{}).(bool)
	return v
}
