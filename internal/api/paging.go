package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
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
	if want > 0 && want < target {
		target = want
	}
	next := ParseLink(header.Get("Link"))["next"]
	pages := (target + perPage - 1) / perPage
	if next == "" || pages <= 1 {
		return truncate(p1.items, target), p1.total, nil
	}

	rest, err := fetchPages(ctx, c, next, 2, pages, decode)
	if err != nil {
		return nil, 0, err
	}
	items := p1.items
	for _, p := range rest {
		items = append(items, p.items...)
	}
	return truncate(items, target), p1.total, nil
}

// fetchPages fetches pages from..to, addressed by rewriting the page
// parameter of GitHub's own next link, with at most c.concurrency in flight
// (the client's slots bound its requests too; this bounds the goroutines).
func fetchPages[T any](ctx context.Context, c *Client, next string, from, to int, decode pageDecoder[T]) ([]page[T], error) {
	tmpl, err := url.Parse(next)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]page[T], to-from+1)
	sem := make(chan struct{}, c.concurrency)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
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
		wg.Add(1)
		go func(i int, raw string) {
			defer wg.Done()
			defer func() { <-sem }()
			p, _, err := decode(c, ctx, raw)
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			results[i] = p
		}(n-from, u.String())
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return results, ctx.Err()
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
