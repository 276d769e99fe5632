package api

import (
	"context"
	"net/http"
	"net/url"
)

type workflowsPage struct {
	TotalCount int        `json:"total_count"`
	Workflows  []Workflow `json:"workflows"`
}

func decodeWorkflows(c *Client, ctx context.Context, rawURL string) (page[Workflow], http.Header, error) {
	var p workflowsPage
	h, err := c.getJSON(ctx, rawURL, &p)
	return page[Workflow]{items: p.Workflows, total: p.TotalCount}, h, err
}

// ListWorkflows lists every workflow of a repository.
func (c *Client) ListWorkflows(ctx context.Context, repo Repo) ([]Workflow, error) {
	ws, _, err := listAll(ctx, c, repo.path("workflows"), url.Values{}, 0, identity, decodeWorkflows)
	return ws, err
}
