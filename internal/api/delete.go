package api

import (
	"context"
	"net/http"
)

// DeleteRun deletes a run. GitHub refuses a run that has not completed,
// and answers 404 for one already gone. A request that fails in passing is
// repeated: a repeat of a delete that went through is answered 404.
func (c *Client) DeleteRun(ctx context.Context, repo Repo, id int64) error {
	_, err := c.doWith(ctx, http.MethodDelete, runPath(repo, id, ""), nil, nil, nil, sendOpts{retry: true})
	return err
}
