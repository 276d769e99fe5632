package sweep

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// Estimate is the fewest requests a sweep of repos repositories costs
// against the primary rate limit: per repository, the pages of runs that
// -L asks for (one when every run is wanted, since more is not known before
// the first answer), and the workflows list when -w names a workflow by
// name. Answers a cache revalidates (304) would cost less.
func Estimate(repos int, f runquery.Filter) int {
	pages := 1
	if f.Limit > 0 {
		pages = (f.Limit + 99) / 100
	}
	if named(f.Workflow) {
		pages++
	}
	return repos * pages
}

func named(workflow string) bool {
	if workflow == "" || strings.HasSuffix(workflow, ".yml") || strings.HasSuffix(workflow, ".yaml") {
		return false
	}
	return strings.Trim(workflow, "0123456789") != ""
}

// BudgetError refuses a sweep that does not fit the rate limit left.
type BudgetError struct {
	Need, Left, Repos, Fit int
	Reset                  string
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("this sweep needs at least %d requests for %d repositories, but GitHub's rate limit allows %d more until %s: "+
		"about %d repositories fit\nhint: narrow the selection (--repo-filter, -L), wait for the reset, or pass --yes to go on anyway",
		e.Need, e.Repos, e.Left, e.Reset, e.Fit)
}

// CheckBudget asks GitHub how much of its rate limit is left
// (GET /rate_limit, which costs none of it) and refuses a sweep of repos
// repositories that does not fit, unless yes. On a terminal it says what
// the sweep costs either way.
func CheckBudget(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repos int, f runquery.Filter, yes bool) error {
	return CheckRequests(ctx, ios, c, repos, Estimate(repos, f), yes)
}

// CheckRequests is CheckBudget for a sweep whose cost is known otherwise:
// need requests across repos repositories, such as Estimate's and a
// request more in each repository.
func CheckRequests(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repos, need int, yes bool) error {
	st, err := c.RateLimitStatus(ctx)
	if err != nil {
		// GitHub Enterprise Server with rate limits off answers 404:
		// nothing to check against.
		return nil
	}
	reset := st.Reset.Local().Format("15:04 MST")
	if int64(need) <= st.Remaining {
		if ios.IsStderrTTY() {
			fmt.Fprintf(ios.ErrOut, "this sweep needs at least %d requests; GitHub's rate limit allows %d more until %s\n", need, st.Remaining, reset)
		}
		return nil
	}
	e := &BudgetError{Need: need, Left: int(st.Remaining), Repos: repos, Reset: reset, Fit: int(st.Remaining) * repos / need}
	return overBudget(ios, e, yes)
}

// overBudget answers a cost that does not fit the rate limit left: e, or
// with yes a warning of e's first line on stderr, and on.
func overBudget(ios *iostreams.IOStreams, e error, yes bool) error {
	if yes {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", strings.SplitN(e.Error(), "\n", 2)[0])
		return nil
	}
	return e
}

// JobsError refuses reading the jobs of listed runs when the requests do
// not fit the rate limit left.
type JobsError struct {
	// What is read of each run: "jobs", or "usage" when some runs cost
	// more than their jobs listing.
	What             string
	Runs, Need, Left int
	// Fit is how many of the runs, newest first, a repeat with -L Fit
	// could read: their listing and their jobs.
	Fit   int
	Reset string
}

func (e *JobsError) Error() string {
	fit, hint := "no run fits", "hint: wait for the reset, or pass --yes to go on anyway"
	switch {
	case e.Fit == 1:
		fit = "only the newest run fits"
	case e.Fit > 1:
		fit = fmt.Sprintf("the newest %d runs fit", e.Fit)
	}
	if e.Fit > 0 {
		hint = fmt.Sprintf("hint: pass -L %d, wait for the reset, or pass --yes to go on anyway", e.Fit)
	}
	return fmt.Sprintf("reading the %s of %s takes up to %s (fewer where the cache holds unchanged answers), "+
		"but GitHub's rate limit allows %d more until %s: %s\n%s",
		e.What, output.Plural(e.Runs, "run"), output.Plural(e.Need, "request"), e.Left, e.Reset, fit, hint)
}

// CheckJobs checks, once the runs are listed and before anything is read
// of each, that those reads fit the rate limit left, and refuses them
// (JobsError) unless yes. perRun[i] is what the i-th run costs, newest
// first: one request per jobs listing, counted whether or not the cache
// could answer it, since only GitHub knows whether the answer changed.
// repos and f are the listing's, for what a repeat with -L costs. The rate
// limit left is that of GitHub's latest answer, or else GET /rate_limit's;
// neither costs a request against it.
func CheckJobs(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, what string, perRun []int, repos int, f runquery.Filter, yes bool) error {
	need := 0
	for _, n := range perRun {
		need += n
	}
	left, reset, ok := rateLeft(ctx, c)
	if !ok || int64(need) <= left {
		return nil
	}
	e := &JobsError{What: what, Runs: len(perRun), Need: need, Left: int(left), Reset: reset.Local().Format("15:04 MST")}
	// The newest k runs come back with -L k, which lists again before
	// reading their jobs.
	spent := 0
	for k, n := range perRun {
		spent += n
		f.Limit = k + 1
		if int64(Estimate(repos, f)+spent) > left {
			break
		}
		e.Fit = k + 1
	}
	return overBudget(ios, e, yes)
}

// rateLeft is the primary rate limit left and its reset, as GitHub's
// latest answer gave them (the listing just made; should its window have
// ended since, the figure is only too low), or else as GET /rate_limit
// does. ok is false when neither says: GitHub Enterprise Server with rate
// limits off.
func rateLeft(ctx context.Context, c *api.Client) (left int64, reset time.Time, ok bool) {
	if left, reset, ok = c.RateLimit(); ok {
		return left, reset, true
	}
	st, err := c.RateLimitStatus(ctx)
	if err != nil {
		return 0, time.Time{}, false
	}
	return st.Remaining, st.Reset, true
}
