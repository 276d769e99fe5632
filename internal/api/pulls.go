package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// PullRequest is what ghruns reads of a pull request: its number, state
// and head.
type PullRequest struct {
	Number int    `json:"number"`
	State  string `json:"state"`
	Title  string `json:"title"`
	Head   struct {
		// Ref is the head branch; SHA the commit its runs are for.
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	} `json:"head"`
}

// GetPullRequest fetches pull request number of repo. See
// https://docs.github.com/rest/pulls/pulls#get-a-pull-request
func (c *Client) GetPullRequest(ctx context.Context, repo Repo, number int) (*PullRequest, error) {
	var pr PullRequest
	p := "repos/" + url.PathEscape(repo.Owner) + "/" + url.PathEscape(repo.Name) + "/pulls/" + strconv.Itoa(number)
	if _, err := c.do(ctx, http.MethodGet, p, nil, nil, &pr); err != nil {
		return nil, err
	}
	return &pr, nil
}
