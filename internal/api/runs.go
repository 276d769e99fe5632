package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// SearchCap is how many runs GitHub returns at most for a filtered listing.
const SearchCap = 1000

// RunFilter selects runs; empty fields are not sent.
type RunFilter struct {
	// Workflow is a workflow ID or file name; it selects the workflow's own listing.
	Workflow string
	Actor    string
	Branch   string
	Event    string
	Status   string
	Created  string
	HeadSHA  string
}

// IsSearch reports whether GitHub treats the listing as a search, which it
// cuts at SearchCap results.
func (f RunFilter) IsSearch() bool {
	return f.Actor != "" || f.Branch != "" || f.Event != "" || f.Status != "" || f.Created != "" || f.HeadSHA != ""
}

func (f RunFilter) query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("actor", f.Actor)
	set("branch", f.Branch)
	set("event", f.Event)
	set("status", f.Status)
	set("created", f.Created)
	set("head_sha", f.HeadSHA)
	// Pull request lists are large and never shown: GitHub CLI drops them too.
	q.Set("exclude_pull_requests", "true")
	return q
}

// RunList is a listing of runs.
type RunList struct {
	Runs []Run
	// TotalCount is GitHub's count of matching runs, which may exceed what it serves.
	TotalCount int
	// Capped is set when GitHub's search cap hid runs the caller asked for.
	Capped bool
}

type runsPage struct {
	TotalCount int   `json:"total_count"`
	Runs       []Run `json:"workflow_runs"`
}

func decodeRuns(c *Client, ctx context.Context, rawURL string) (page[Run], http.Header, error) {
	var p runsPage
	h, err := c.getJSON(ctx, rawURL, &p)
	return page[Run]{items: p.Runs, total: p.TotalCount}, h, err
}

// ListRuns lists up to limit runs (0: every reachable run) matching f, newest first.
func (c *Client) ListRuns(ctx context.Context, repo Repo, f RunFilter, limit int) (*RunList, error) {
	path := repo.path("runs")
	if f.Workflow != "" {
		path = repo.path("workflows/" + url.PathEscape(f.Workflow) + "/runs")
	}
	reachable := func(total int) int {
		if f.IsSearch() && total > SearchCap {
			return SearchCap
		}
		return total
	}
	runs, total, err := listAll(ctx, c, path, f.query(), limit, reachable, decodeRuns)
	if err != nil {
		return nil, err
	}
	runs = DedupeRuns(runs)
	c.fillRuns(ctx, repo, runs)
	capped := f.IsSearch() && total > SearchCap && (limit == 0 || limit > SearchCap)
	return &RunList{Runs: runs, TotalCount: total, Capped: capped}, nil
}

// DedupeRuns keeps the first of runs that share an ID: a run created while
// paging shifts every later page by one, and listings of windows may meet.
func DedupeRuns(runs []Run) []Run {
	return dedupeByID(runs, func(r Run) int64 { return r.ID })
}

func runPath(repo Repo, id int64, rest string) string {
	p := repo.path("runs/" + strconv.FormatInt(id, 10))
	if rest != "" {
		p += "/" + rest
	}
	return p
}

// GetRun fetches one run; attempt > 0 fetches that attempt of it.
func (c *Client) GetRun(ctx context.Context, repo Repo, id int64, attempt int) (*Run, error) {
	r, err := c.getRun(ctx, repo, id, attempt)
	if err != nil {
		return nil, err
	}
	one := []Run{*r}
	c.fillRuns(ctx, repo, one)
	return &one[0], nil
}

// getRun fetches a run as GitHub gives it.
func (c *Client) getRun(ctx context.Context, repo Repo, id int64, attempt int) (*Run, error) {
	path := runPath(repo, id, "")
	if attempt > 0 {
		path = runPath(repo, id, "attempts/"+strconv.Itoa(attempt))
	}
	var r Run
	q := url.Values{"exclude_pull_requests": {"true"}}
	if _, err := c.do(ctx, http.MethodGet, path, q, nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Rerun starts a new attempt of a run: every job, or only the failed ones
// (and their dependents) with failedOnly. seen is the run's attempt as the
// caller saw it before asking (from a listing), 0 when unknown. When the
// request fails in passing it is repeated only if the run shows that no new
// attempt started since seen.
func (c *Client) Rerun(ctx context.Context, repo Repo, id int64, seen int, failedOnly, debug bool) error {
	rest := "rerun"
	if failedOnly {
		rest = "rerun-failed-jobs"
	}
	var body any
	if debug {
		body = map[string]bool{"enable_debug_logging": true}
	}
	// A rerun is not repeated blindly: a request that failed in passing may
	// still have started an attempt, and a second would start another.
	for failures := 1; ; failures++ {
		_, err := c.doWith(ctx, http.MethodPost, runPath(repo, id, rest), nil, body, nil, sendOpts{})
		if err == nil || failures >= maxAttempts || !isTransient(ctx, err) {
			return err
		}
		// Only the state and attempt count here: no look-up of a missing
		// workflow name.
		r, cerr := c.getRun(ctx, repo, id, 0)
		if cerr != nil {
			return fmt.Errorf("%w; checking whether the rerun started anyway: %v", err, cerr)
		}
		fillRun(r)
		// GitHub refuses to rerun a run that is not completed
		// (cli/cli#9221), so a run that is queued or running again is
		// running the attempt asked for; and an attempt above the one seen
		// before asking started since, even one that has already finished.
		if !r.Completed() || seen > 0 && r.RunAttempt > seen {
			c.logf("! %v, but run %d is at attempt %d (%s): the rerun went through", err, id, r.RunAttempt, r.Status)
			return nil
		}
		if seen == 0 {
			return fmt.Errorf("%w; the run is completed at attempt %d, and whether that attempt is the one asked for cannot be told: check the run before asking again", err, r.RunAttempt)
		}
		if err := c.backoff(ctx, failures, err); err != nil {
			return err
		}
	}
}

// RerunJob starts a new attempt of the run that holds the job, rerunning
// that job and those that depend on it. It is sent once: a repeat could
// start a second attempt.
func (c *Client) RerunJob(ctx context.Context, repo Repo, jobID int64, debug bool) error {
	var body any
	if debug {
		body = map[string]bool{"enable_debug_logging": true}
	}
	_, err := c.doWith(ctx, http.MethodPost, repo.path("jobs/"+strconv.FormatInt(jobID, 10)+"/rerun"), nil, body, nil, sendOpts{})
	return err
}

// Cancel cancels a run; force bypasses always() conditions. GitHub answers
// 409 for a run that is already completed. A request that fails in passing
// is repeated; a 409 to a repeat, when GitHub may have carried out the
// first request and lost its answer, is read against the run: a run that
// is now cancelled was cancelled.
func (c *Client) Cancel(ctx context.Context, repo Repo, id int64, force bool) error {
	rest := "cancel"
	if force {
		rest = "force-cancel"
	}
	lost := false
	for failures := 1; ; failures++ {
		_, err := c.doWith(ctx, http.MethodPost, runPath(repo, id, rest), nil, nil, nil, sendOpts{})
		var he *HTTPError
		if lost && errors.As(err, &he) && he.StatusCode == http.StatusConflict {
			if r, gerr := c.getRun(ctx, repo, id, 0); gerr == nil && r.Conclusion == ConclusionCancelled {
				c.logf("! run %d answered 409 after a lost answer, and is cancelled: the cancel went through", id)
				return nil
			}
			return err
		}
		if err == nil || failures >= maxAttempts || !isTransient(ctx, err) {
			return err
		}
		lost = true
		if err := c.backoff(ctx, failures, err); err != nil {
			return err
		}
	}
}

// DeleteLogs deletes every log of a run.
func (c *Client) DeleteLogs(ctx context.Context, repo Repo, id int64) error {
	_, err := c.doWith(ctx, http.MethodDelete, runPath(repo, id, "logs"), nil, nil, nil, sendOpts{retry: true})
	return err
}

// Usage fetches a run's billable time.
func (c *Client) Usage(ctx context.Context, repo Repo, id int64) (*Usage, error) {
	var u Usage
	if _, err := c.do(ctx, http.MethodGet, runPath(repo, id, "timing"), nil, nil, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

type jobsPage struct {
	TotalCount int   `json:"total_count"`
	Jobs       []Job `json:"jobs"`
}

func decodeJobs(c *Client, ctx context.Context, rawURL string) (page[Job], http.Header, error) {
	var p jobsPage
	h, err := c.getJSON(ctx, rawURL, &p)
	return page[Job]{items: p.Jobs, total: p.TotalCount}, h, err
}

// ListJobs lists the jobs of a run's latest attempt, or of attempt when it
// is above 0, from GitHub's per-attempt listing: jobs of older answers carry
// no run_attempt to pick them out of every attempt's jobs by.
func (c *Client) ListJobs(ctx context.Context, repo Repo, id int64, attempt int) ([]Job, error) {
	path, q := runPath(repo, id, "jobs"), url.Values{"filter": {"latest"}}
	if attempt > 0 {
		path, q = runPath(repo, id, "attempts/"+strconv.Itoa(attempt)+"/jobs"), url.Values{}
	}
	jobs, _, err := listAll(ctx, c, path, q, 0, identity, decodeJobs)
	return jobs, err
}

func identity(n int) int { return n }
