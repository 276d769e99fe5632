package sweep

import (
	"context"
	"fmt"
	"strings"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
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
	if yes {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", strings.SplitN(e.Error(), "\n", 2)[0])
		return nil
	}
	return e
}
