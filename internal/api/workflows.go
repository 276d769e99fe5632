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

// GetWorkflow fetches a workflow by ID or file name.
func (c *Client) GetWorkflow(ctx context.Context, repo Repo, idOrFile string) (*Workflow, error) {
	var w Workflow
	if _, err := c.do(ctx, http.MethodGet, repo.path("workflows/"+url.PathEscape(idOrFile)), nil, nil, &w); err != nil {
		return nil, err
	}
	return &w, nil
}
