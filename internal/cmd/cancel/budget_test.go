package cancel

import (
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestCancelWarnsWhenBudgetIsShort: a job needing more requests than the
// rate limit leaves says so before it starts; the runs past the limit fail
// with the reset time, and the report says which were done.
func TestCancelWarnsWhenBudgetIsShort(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Now = time.Now // the client checks the rate limit's reset against the real clock
	s.AddRuns(fakegh.GenerateRuns(6, 500, fakegh.SeedBase.Add(-time.Hour), func(_ int, r *fakegh.Run) {
		r.HeadBranch, r.Status, r.Conclusion = "budget", "in_progress", ""
	})...)
	s.InjectFaults(fakegh.Faults{RateLimit: 4}) // the listing, then 3 cancels
	t.Setenv("GHRUNS_CONCURRENCY", "1")
	ios, _, out, errOut := cmdtest.Streams(false)
	env := cmdtest.Env(ios)
	err := cmdtest.Exec(env, NewCmd(env, nil), "-b", "budget", "--yes")
	if err == nil {
		t.Fatal("want an error: 3 runs could not be cancelled")
	}
	if !strings.Contains(errOut.String(), "warning: this needs 6 requests, but GitHub's rate limit allows 3 more until") {
		t.Errorf("stderr %q: want the budget warning", errOut.String())
	}
	cancelled, limited := strings.Count(out.String(), "\tcancelled\n"), strings.Count(out.String(), "rate limit is used up until")
	if cancelled != 3 || limited != 3 {
		t.Errorf("stdout:\n%s\nwant 3 cancelled and 3 failed on the rate limit", out.String())
	}
	posts := 0
	for _, r := range s.Requests() {
		if r.Method == "POST" {
			posts++
		}
	}
	if posts != 3 {
		t.Errorf("%d cancels sent; the rest must not be sent past the limit", posts)
	}
}
