package api

import (
	"context"
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
	capped := f.IsSearch() && total > SearchCap && (limit == 0 || limit > SearchCap)
	return &RunList{Runs: runs, TotalCount: total, Capped: capped}, nil
}

// DedupeRuns keeps the first of runs that share an ID: a run created while
// paging shifts every later page by one, and listings of windows may meet.
func DedupeRuns(runs []Run) []Run {
	seen := make(map[int64]bool, len(runs))
	out := runs[:0]
	for _, r := range runs {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
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
// (and their dependents) with failedOnly. When the request fails in passing
// it is repeated only if the run shows that no new attempt started.
func (c *Client) Rerun(ctx context.Context, repo Repo, id int64, failedOnly, debug bool) error {
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
	seen := 0 // the run's attempt at the latest check; 0 before any
	for failures := 1; ; failures++ {
		_, err := c.doWith(ctx, http.MethodPost, runPath(repo, id, rest), nil, body, nil, sendOpts{})
		if err == nil || failures >= maxAttempts || !isTransient(ctx, err) {
			return err
		}
		started, attempt, cerr := c.rerunStarted(ctx, repo, id, seen)
		if cerr != nil {
			return fmt.Errorf("%w; checking whether the rerun started anyway: %v", err, cerr)
		}
		if started {
			c.logf("! %v, but run %d has started attempt %d: the rerun went through", err, id, attempt)
			return nil
		}
		seen = attempt
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

// rerunStarted tells, after a rerun request failed in passing, whether the
// run has started a new attempt all the same. GitHub refuses to rerun a run
// that is not completed (cli/cli#9221), so a run that is queued or running
// again is running the attempt asked for. And once a check has seen the
// run's attempt (seen > 0), a higher one means an attempt started since,
// even one that has already finished.
func (c *Client) rerunStarted(ctx context.Context, repo Repo, id int64, seen int) (bool, int, error) {
	r, err := c.GetRun(ctx, repo, id, 0)
	if err != nil {
		return false, 0, err
	}
	return !r.Completed() || (seen > 0 && r.RunAttempt > seen), r.RunAttempt, nil
}

// Cancel cancels a run; force bypasses always() conditions. GitHub answers
// 409 for a run that is already completed. A request that fails in passing
// is repeated.
func (c *Client) Cancel(ctx context.Context, repo Repo, id int64, force bool) error {
	rest := "cancel"
	if force {
		rest = "force-cancel"
	}
	// Repeating a cancel that GitHub carried out is harmless: the repeat is
	// answered 409, as for any completed run.
	_, err := c.doWith(ctx, http.MethodPost, runPath(repo, id, rest), nil, nil, nil, sendOpts{retry: true})
	return err
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

// ListJobs lists the jobs of a run's latest attempt, or of attempt when it is above 0.
func (c *Client) ListJobs(ctx context.Context, repo Repo, id int64, attempt int) ([]Job, error) {
	q := url.Values{"filter": {"latest"}}
	if attempt > 0 {
		// Every attempt's jobs, then keep the one asked for: this stays on
		// the documented jobs endpoint.
		q.Set("filter", "all")
	}
	jobs, _, err := listAll(ctx, c, runPath(repo, id, "jobs"), q, 0, identity, decodeJobs)
	if err != nil || attempt == 0 {
		return jobs, err
	}
	kept := jobs[:0]
	for _, j := range jobs {
		if j.RunAttempt == attempt {
			kept = append(kept, j)
		}
	}
	return kept, nil
}

func identity(n int) int { return n }
