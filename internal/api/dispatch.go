package api

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	gojson "github.com/goccy/go-json"
)

// DispatchRequest is the body of a workflow dispatch. See
// https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event
type DispatchRequest struct {
	// Ref is the branch or tag whose workflow file runs.
	Ref string `json:"ref"`
	// Inputs are the workflow_dispatch inputs, by name.
	Inputs map[string]any `json:"inputs,omitempty"`
	// ReturnRunDetails asks GitHub to answer with the run it created.
	ReturnRunDetails bool `json:"return_run_details"`
}

// Dispatched is the run a dispatch created, as GitHub answers when asked
// with return_run_details.
type Dispatched struct {
	RunID   int64  `json:"workflow_run_id"`
	RunURL  string `json:"run_url"`
	HTMLURL string `json:"html_url"`
}

// Dispatch triggers a workflow_dispatch run of workflow (an ID or file
// name). It returns nil and no error when GitHub created the run but did
// not say which (204 No Content, as servers without return_run_details
// answer). It is sent once: a repeat would start a second run.
func (c *Client) Dispatch(ctx context.Context, repo Repo, workflow string, body DispatchRequest) (*Dispatched, error) {
	req, err := c.newRequest(ctx, http.MethodPost, repo.path("workflows/"+url.PathEscape(workflow)+"/dispatches"), nil, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req, sendOpts{})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil, nil
	}
	var d Dispatched
	if err := gojson.NewDecoder(resp.Body).Decode(&d); err != nil && err != io.EOF {
		return nil, fmt.Errorf("POST %s: decoding the answer: %w", redact(req.URL), err)
	}
	if d.RunID == 0 {
		return nil, nil
	}
	return &d, nil
}

// FileContent reads a file of the repository at ref (a branch, tag or
// commit; "" is the default branch). See
// https://docs.github.com/rest/repos/contents#get-repository-content
func (c *Client) FileContent(ctx context.Context, repo Repo, path, ref string) ([]byte, error) {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	q := url.Values{}
	if ref != "" {
		q.Set("ref", ref)
	}
	var out struct {
		Type     string `json:"type"`
		Encoding string `json:"encoding"`
		Content  string `json:"content"`
	}
	p := "repos/" + url.PathEscape(repo.Owner) + "/" + url.PathEscape(repo.Name) + "/contents/" + strings.Join(segs, "/")
	if _, err := c.doWith(ctx, http.MethodGet, p, q, nil, &out, sendOpts{retry: true}); err != nil {
		return nil, err
	}
	if out.Type != "file" || out.Encoding != "base64" {
		return nil, fmt.Errorf("%s is not a file GitHub serves whole (type %q, encoding %q)", path, out.Type, out.Encoding)
	}
	// GitHub wraps the base64 text at 60 characters.
	b, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\n", "", "\r", "").Replace(out.Content))
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	return b, nil
}

// DefaultBranch is the repository's default branch, which a dispatch
// without a ref runs on, as gh's does. See
// https://docs.github.com/rest/repos/repos#get-a-repository
func (c *Client) DefaultBranch(ctx context.Context, repo Repo) (string, error) {
	var out struct {
		DefaultBranch string `json:"default_branch"`
	}
	p := "repos/" + url.PathEscape(repo.Owner) + "/" + url.PathEscape(repo.Name)
	if _, err := c.doWith(ctx, http.MethodGet, p, nil, nil, &out, sendOpts{retry: true}); err != nil {
		return "", err
	}
	if out.DefaultBranch == "" {
		// An empty repository has no branch to run on.
		return "", fmt.Errorf("GitHub names no default branch for %s", repo)
	}
	return out.DefaultBranch, nil
}
