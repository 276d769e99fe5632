package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// OwnedRepo is a repository as an owner's repository listing gives it.
type OwnedRepo struct {
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Owner    Actor  `json:"owner"`
	Private  bool   `json:"private"`
	Fork     bool   `json:"fork"`
	Archived bool   `json:"archived"`
}

func decodeOwnedRepos(c *Client, ctx context.Context, rawURL string) (page[OwnedRepo], http.Header, error) {
	var items []OwnedRepo
	h, err := c.getJSON(ctx, rawURL, &items)
	return page[OwnedRepo]{items: items}, h, err
}

// ListOwnerRepos lists every repository of an organisation
// (GET /orgs/{org}/repos) or, when no organisation has that name, of a
// user (GET /users/{user}/repos). The listing has no total count, so the
// first page's Link header names the last page, and the pages between are
// asked for together.
func (c *Client) ListOwnerRepos(ctx context.Context, owner string) ([]OwnedRepo, error) {
	repos, err := c.listRepoPages(ctx, "orgs/"+url.PathEscape(owner)+"/repos", url.Values{"type": {"all"}})
	if IsNotFound(err) {
		// type=owner: a user's own repositories, not those they only belong to.
		repos, err = c.listRepoPages(ctx, "users/"+url.PathEscape(owner)+"/repos", url.Values{"type": {"owner"}})
	}
	return repos, err
}

func (c *Client) listRepoPages(ctx context.Context, path string, query url.Values) ([]OwnedRepo, error) {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("per_page", strconv.Itoa(maxPerPage))
	first := c.base.JoinPath(path)
	first.RawQuery = q.Encode()
	p1, h, err := decodeOwnedRepos(c, ctx, first.String())
	if err != nil {
		return nil, err
	}
	links := ParseLink(h.Get("Link"))
	if links["next"] == "" || len(p1.items) < maxPerPage {
		return p1.items, nil
	}
	last := 0
	if u, err := url.Parse(links["last"]); err == nil {
		last, _ = strconv.Atoi(u.Query().Get("page"))
	}
	repos := p1.items
	if last >= 2 {
		rest, err := fetchPages(ctx, c, c.pageTemplate(links["next"], first), 2, last, maxPerPage, decodeOwnedRepos)
		if err != nil {
			return nil, err
		}
		// A full last page may be followed by one created while listing.
		more := len(rest) == last-1 && len(rest[len(rest)-1].items) == maxPerPage
		short := false
		for _, p := range rest {
			repos = append(repos, p.items...)
			short = len(p.items) < maxPerPage
		}
		if short || !more {
			return repos, nil
		}
		// Repositories created while listing may follow the last page
		// named: the loop below asks from the one after it.
	} else {
		last = 1
	}
	// No usable last link (or the listing grew): follow next links one by one.
	for n := last + 1; ; n++ {
		u := *c.pageTemplate(links["next"], first)
		pq := u.Query()
		pq.Set("page", strconv.Itoa(n))
		u.RawQuery = pq.Encode()
		p, _, err := decodeOwnedRepos(c, ctx, u.String())
		if err != nil {
			return nil, err
		}
		repos = append(repos, p.items...)
		if len(p.items) < maxPerPage {
			return repos, nil
		}
	}
}

// RateStatus is the primary (core) rate limit as GET /rate_limit reports it.
type RateStatus struct {
	Limit, Remaining int64
	Reset            time.Time
}

// RateLimitStatus asks GitHub how much of the primary rate limit is left.
// The request itself does not count against it:
// https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user
func (c *Client) RateLimitStatus(ctx context.Context) (*RateStatus, error) {
	var body struct {
		Resources struct {
			Core struct {
				Limit     int64 `json:"limit"`
				Remaining int64 `json:"remaining"`
				Reset     int64 `json:"reset"`
			} `json:"core"`
		} `json:"resources"`
	}
	if _, err := c.do(ctx, http.MethodGet, "rate_limit", nil, nil, &body); err != nil {
		return nil, err
	}
	core := body.Resources.Core
	return &RateStatus{Limit: core.Limit, Remaining: core.Remaining, Reset: time.Unix(core.Reset, 0)}, nil
}
