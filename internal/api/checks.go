package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// Annotation is one annotation of a check run (a job is one), as GitHub
// returns it: an error or warning a step reported, with where it points.
type Annotation struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	// Level is notice, warning or failure.
	Level   string `json:"annotation_level"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

// maxAnnotations is the largest page the annotations endpoint serves. GitHub
// keeps at most 10 annotations a step, so one page holds a job's failures.
const maxAnnotations = 50

// ListAnnotations lists the annotations of a job, which GitHub serves as
// the check run of the same ID:
// https://docs.github.com/rest/checks/runs#list-check-run-annotations.
// Fine-grained tokens and GitHub App tokens without the checks permission
// cannot read them: GitHub then answers 403 (or 404), which comes back as
// ErrNoChecksAccess.
func (c *Client) ListAnnotations(ctx context.Context, repo Repo, jobID int64) ([]Annotation, error) {
	path := "repos/" + url.PathEscape(repo.Owner) + "/" + url.PathEscape(repo.Name) +
		"/check-runs/" + strconv.FormatInt(jobID, 10) + "/annotations"
	var as []Annotation
	q := url.Values{"per_page": {strconv.Itoa(maxAnnotations)}}
	if _, err := c.do(ctx, http.MethodGet, path, q, nil, &as); err != nil {
		var he *HTTPError
		if errors.As(err, &he) && (he.StatusCode == http.StatusForbidden && !he.IsRateLimit() || he.StatusCode == http.StatusNotFound) {
			return nil, ErrNoChecksAccess
		}
		return nil, err
	}
	return as, nil
}

// ErrNoChecksAccess means the token cannot read a job's annotations.
var ErrNoChecksAccess = errors.New("the token cannot read check runs")

// GetJob fetches one job by its ID, whichever run and attempt it belongs to.
func (c *Client) GetJob(ctx context.Context, repo Repo, jobID int64) (*Job, error) {
	var j Job
	if _, err := c.do(ctx, http.MethodGet, repo.path("jobs/"+strconv.FormatInt(jobID, 10)), nil, nil, &j); err != nil {
		return nil, err
	}
	return &j, nil
}
