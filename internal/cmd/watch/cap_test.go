package watch

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestWatchCommitTooManyRuns: a commit with more runs than one listing
// shows cannot be watched whole, so the watch says so instead of calling
// the newest 100 "all" (here the oldest run failed, and a watch that
// followed only the newest would exit 0 under --exit-status).
func TestWatchCommitTooManyRuns(t *testing.T) {
	s, c := fake(t)
	const sha = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"
	s.AddRuns(fakegh.GenerateRuns(manyLimit+1, 7100000000, cmdtest.Now.Add(-time.Hour), func(i int, r *fakegh.Run) {
		r.HeadSHA = sha
		if i == manyLimit {
			r.Conclusion = "failure"
		}
	})...)
	clk := newClock()
	stdout, stderr, err := runWatchMany(t, c, clk, false, 0, "-c", sha, "--exit-status")
	if err == nil || errors.Is(err, cmdutil.ErrSilent) {
		t.Fatalf("error = %v, want one saying there are too many runs\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	want := fmt.Sprintf("commit %s in octo/hello has %d runs, more than the %d a watch follows", sha[:7], manyLimit+1, manyLimit)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error:\n%v\nwant it to say %q", err, want)
	}
}

// TestWatchBranchTooManyRuns: the runs of pushes made while watching a
// branch join the watch up to 100 runs in all; one more stops it with an
// error, rather than a board that grows without end.
func TestWatchBranchTooManyRuns(t *testing.T) {
	s, c := fake(t)
	const branch, sha = "busy", "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"
	s.AddRuns(fakegh.GenerateRuns(manyLimit, 7100000000, cmdtest.Now.Add(-time.Hour), func(i int, r *fakegh.Run) {
		r.HeadBranch, r.HeadSHA, r.Status, r.Conclusion = branch, sha, "in_progress", ""
	})...)
	clk := newClock()
	clk.after = func(n int, _ time.Duration) bool {
		if n == 1 {
			s.AddRuns(fakegh.GenerateRuns(1, 7100000500, cmdtest.Now, func(i int, r *fakegh.Run) {
				r.HeadBranch, r.Status, r.Conclusion = branch, "in_progress", ""
			})...)
		}
		return n < 5
	}
	stdout, stderr, err := runWatchMany(t, c, clk, false, 0, "-b", branch)
	want := fmt.Sprintf("branch %s (commit %s) in octo/hello has more than the %d runs a watch follows", branch, sha[:7], manyLimit)
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q\nstdout:\n%.500s\nstderr:\n%s", err, want, stdout, stderr)
	}
}
