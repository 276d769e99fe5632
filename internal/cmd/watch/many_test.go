package watch

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// commitFake is fake with SeedCommit's runs of one commit added.
func commitFake(t *testing.T) (*fakegh.Server, *api.Client) {
	t.Helper()
	s, c := fake(t)
	fakegh.SeedCommit(s)
	return s, c
}

// runWatchMany is runWatch for a watch of many runs, on a terminal width
// columns wide when tty is set.
func runWatchMany(t *testing.T, c *api.Client, clk *clock, tty bool, width int, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Setenv("NO_COLOR", "1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk.cancel = cancel
	ios, _, out, errOut := cmdtest.Streams(tty)
	ios.SetTerminalWidth(width)
	env := cmdtest.Env(ios)
	cmd := NewCmd(env, func(ctx context.Context, o *Options) error {
		if !o.Target.set() {
			t.Fatal("not a watch of many runs")
		}
		o.Client, o.Now, o.Sleep = c, clk.Now, clk.Sleep
		return runMany(ctx, o)
	})
	cmd.SetContext(ctx)
	err = cmdtest.Exec(env, cmd, args...)
	return out.String(), errOut.String(), err
}

// finishCommit plays SeedCommit's runs to their end: after the first
// sleep CI's test job fails, after the second Lint succeeds.
func finishCommit(s *fakegh.Server, ciConclusion string) func(int, time.Duration) bool {
	return func(n int, elapsed time.Duration) bool {
		at := cmdtest.Now.Add(elapsed)
		switch n {
		case 1:
			s.UpdateRun(fakegh.CommitCIRun, func(r *fakegh.Run) { r.Finish(ciConclusion, at) })
		case 2:
			s.UpdateRun(fakegh.CommitLintRun, func(r *fakegh.Run) { r.Finish("success", at) })
		}
		return true
	}
}

// TestWatchCommitOneFails watches the three runs of a commit, of which one
// is done before the watch and one fails: a line per change, exit 1 under
// --exit-status, and the failed step's last log lines.
func TestWatchCommitOneFails(t *testing.T) {
	s, c := commitFake(t)
	clk := newClock()
	clk.after = finishCommit(s, "failure")
	stdout, stderr, err := runWatchMany(t, c, clk, false, 0, "-c", fakegh.CommitSHA, "--exit-status")
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Fatalf("error = %v, want ErrSilent (exit 1) for the failed run\n%s", err, stderr)
	}
	want := "" +
		"2026-11-20T13:00:00Z\trun 7000000301 CI\trun\tin_progress\n" +
		"2026-11-20T13:00:00Z\trun 7000000301 CI\tjob build\tcompleted (success)\n" +
		"2026-11-20T13:00:00Z\trun 7000000301 CI\tjob test\tin_progress\n" +
		"2026-11-20T13:00:00Z\trun 7000000301 CI\tstep test / Set up job\tcompleted (success)\n" +
		"2026-11-20T13:00:00Z\trun 7000000301 CI\tstep test / Run test\tin_progress\n" +
		"2026-11-20T13:00:00Z\trun 7000000302 Lint\trun\tin_progress\n" +
		"2026-11-20T13:00:00Z\trun 7000000302 Lint\tjob lint\tin_progress\n" +
		"2026-11-20T13:00:00Z\trun 7000000302 Lint\tstep lint / Set up job\tcompleted (success)\n" +
		"2026-11-20T13:00:00Z\trun 7000000302 Lint\tstep lint / Run lint\tin_progress\n" +
		"2026-11-20T13:00:00Z\trun 7000000303 Docs\trun\tcompleted (success)\n" +
		"2026-11-20T13:00:00Z\trun 7000000303 Docs\tjob docs\tcompleted (success)\n" +
		"2026-11-20T13:00:02Z\trun 7000000301 CI\tjob test\tin_progress -> completed (failure)\n" +
		"2026-11-20T13:00:02Z\trun 7000000301 CI\tstep test / Run test\tin_progress -> completed (failure)\n" +
		"2026-11-20T13:00:02Z\trun 7000000301 CI\tstep test / Complete job\tqueued -> completed (skipped)\n" +
		"2026-11-20T13:00:02Z\trun 7000000301 CI\trun\tin_progress -> completed (failure)\n" +
		"2026-11-20T13:00:04Z\trun 7000000302 Lint\tjob lint\tin_progress -> completed (success)\n" +
		"2026-11-20T13:00:04Z\trun 7000000302 Lint\tstep lint / Run lint\tin_progress -> completed (success)\n" +
		"2026-11-20T13:00:04Z\trun 7000000302 Lint\tstep lint / Complete job\tqueued -> completed (success)\n" +
		"2026-11-20T13:00:04Z\trun 7000000302 Lint\trun\tin_progress -> completed (success)\n" +
		"\n" +
		"Run 7000000301 (CI) failed; the last 20 lines of each failed step:\n" +
		"test\tRun test\t2026-11-20T12:51:42.0000000Z ##[group]Run test\n" +
		"test\tRun test\t2026-11-20T12:51:42.0010000Z Run test (run 7000000301 attempt 1, job test)\n" +
		"test\tRun test\t2026-11-20T12:51:42.0020000Z ##[error]Process completed with exit code 1.\n" +
		"test\tRun test\t2026-11-20T12:51:42.0030000Z ##[endgroup]\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if stderr != "" {
		t.Errorf("stderr: %q", stderr)
	}
	if len(clk.sleeps) != 2 {
		t.Errorf("sleeps %v, want 2: the watch ends once every run completed", clk.sleeps)
	}
	// The run completed before the watch is read once, not polled again.
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/runs/7000000303/jobs") && r.Header.Get("If-None-Match") != "" {
			t.Errorf("the jobs of the completed run were read again")
		}
	}
}

// TestWatchCommitSuccess: every run succeeds, so --exit-status exits 0 and
// no log is read.
func TestWatchCommitSuccess(t *testing.T) {
	s, c := commitFake(t)
	clk := newClock()
	clk.after = finishCommit(s, "success")
	stdout, _, err := runWatchMany(t, c, clk, false, 0, "-c", strings.ToUpper(fakegh.CommitSHA), "--exit-status")
	if err != nil {
		t.Fatalf("error = %v", err)
	}
	if strings.Contains(stdout, "failed") || len(s.LogRequests()) != 0 {
		t.Errorf("logs read or a failure reported:\n%s", stdout)
	}
}

// TestWatchCommitPicksUpNewRun: a run that starts on the commit while
// watching is followed to its end too.
func TestWatchCommitPicksUpNewRun(t *testing.T) {
	s, c := commitFake(t)
	clk := newClock()
	const newRun = 7000000304
	clk.after = func(n int, elapsed time.Duration) bool {
		at := cmdtest.Now.Add(elapsed)
		switch n {
		case 1:
			s.AddRuns(fakegh.Run{ID: newRun, Number: 9, WorkflowID: 7, Name: "Release", HeadBranch: fakegh.CommitBranch,
				HeadSHA: fakegh.CommitSHA, Event: "push", Status: "queued", Actor: "monalisa", CreatedAt: at,
				Jobs: []fakegh.Job{{ID: 8000003041, Name: "publish", Status: "queued", Labels: []string{"ubuntu-latest"}}}})
		case 2:
			for _, id := range []int64{fakegh.CommitCIRun, fakegh.CommitLintRun} {
				s.UpdateRun(id, func(r *fakegh.Run) { r.Finish("success", at) })
			}
		case 4:
			s.UpdateRun(newRun, func(r *fakegh.Run) { r.Finish("failure", at) })
		}
		return true
	}
	stdout, _, err := runWatchMany(t, c, clk, false, 0, "--commit", fakegh.CommitSHA, "--exit-status")
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Fatalf("error = %v, want ErrSilent: the new run failed", err)
	}
	for _, l := range []string{
		"2026-11-20T13:00:02Z\trun 7000000304 Release\trun\tqueued\n",
		"2026-11-20T13:00:02Z\trun 7000000304 Release\tjob publish\tqueued\n",
		"\trun 7000000304 Release\trun\tqueued -> completed (failure)\n",
		"Run 7000000304 (Release) failed; the last 20 lines of each failed step:\n",
	} {
		if !strings.Contains(stdout, l) {
			t.Errorf("stdout lacks %q:\n%s", l, stdout)
		}
	}
	if len(clk.sleeps) != 4 {
		t.Errorf("sleeps %v, want 4: until the new run completed", clk.sleeps)
	}
}

// TestWatchPullRequest: --pr reads the pull request's head commit and
// watches its runs.
func TestWatchPullRequest(t *testing.T) {
	s, c := commitFake(t)
	clk := newClock()
	clk.after = finishCommit(s, "success")
	stdout, _, err := runWatchMany(t, c, clk, false, 0, "--pr", "42", "--exit-status")
	if err != nil {
		t.Fatalf("error = %v", err)
	}
	reqs := s.Requests()
	if len(reqs) < 2 || reqs[0].Path != "/repos/octo/hello/pulls/42" || reqs[1].Query.Get("head_sha") != fakegh.CommitSHA {
		t.Errorf("first requests: %+v", reqs[:min(2, len(reqs))])
	}
	if !strings.Contains(stdout, "\trun 7000000303 Docs\trun\tcompleted (success)\n") {
		t.Errorf("stdout:\n%s", stdout)
	}

	_, _, err = runWatchMany(t, c, newClock(), false, 0, "--pr", "7")
	if err == nil || err.Error() != "pull request 7 not found in octo/hello (HTTP 404)" {
		t.Errorf("error = %v", err)
	}
}

// TestWatchBranch: -b follows the runs of the branch's newest commit, not
// those of the push before (whose failure does not count), and then the
// runs of a push made while watching.
func TestWatchBranch(t *testing.T) {
	s, c := commitFake(t)
	clk := newClock()
	const pushRun = 7000000305
	clk.after = func(n int, elapsed time.Duration) bool {
		at := cmdtest.Now.Add(elapsed)
		switch n {
		case 1:
			for _, id := range []int64{fakegh.CommitCIRun, fakegh.CommitLintRun} {
				s.UpdateRun(id, func(r *fakegh.Run) { r.Finish("success", at) })
			}
			s.AddRuns(fakegh.Run{ID: pushRun, Number: 61, WorkflowID: 1, Name: "CI", HeadBranch: fakegh.CommitBranch,
				HeadSHA: strings.Repeat("ab", 20), Event: "push", Status: "queued", Actor: "monalisa", CreatedAt: at})
		case 3:
			s.UpdateRun(pushRun, func(r *fakegh.Run) { r.Finish("success", at) })
		}
		return true
	}
	stdout, _, err := runWatchMany(t, c, clk, false, 0, "-b", fakegh.CommitBranch, "--exit-status")
	if err != nil {
		t.Fatalf("error = %v; the older push's failed run must not count", err)
	}
	if strings.Contains(stdout, "7000000300") {
		t.Errorf("the run of the push before was followed:\n%s", stdout)
	}
	if !strings.Contains(stdout, "\trun 7000000305 CI\trun\tqueued -> completed (success)\n") {
		t.Errorf("the run of the push made while watching was not followed:\n%s", stdout)
	}
	if reqs := s.Requests(); reqs[0].Query.Get("branch") != fakegh.CommitBranch {
		t.Errorf("first request %s %v", reqs[0].Path, reqs[0].Query)
	}
}

// TestWatchCommitNoRunsYet: a commit with no runs is waited for, said
// once, and given up after the bound.
func TestWatchCommitNoRunsYet(t *testing.T) {
	_, c := commitFake(t)
	clk := newClock()
	sha := strings.Repeat("0", 40)
	stdout, stderr, err := runWatchMany(t, c, clk, false, 0, "-c", sha)
	if err == nil || err.Error() != "no runs for commit 0000000 in octo/hello after 5m0s" {
		t.Errorf("error = %v", err)
	}
	if stdout != "" || stderr != "no runs for commit 0000000 in octo/hello yet; waiting up to 5m0s\n" {
		t.Errorf("stdout %q\nstderr %q", stdout, stderr)
	}
	var waited time.Duration
	for _, d := range clk.sleeps {
		waited += d
	}
	if waited < firstRunWait || waited > firstRunWait+slowInterval {
		t.Errorf("waited %s", waited)
	}
}

// TestWatchCommitTTY: on a terminal, one block per run redrawn in place,
// every line within the terminal's width.
func TestWatchCommitTTY(t *testing.T) {
	for _, width := range []int{60, 120} {
		s, c := commitFake(t)
		clk := newClock()
		clk.after = finishCommit(s, "failure")
		stdout, stderr, err := runWatchMany(t, c, clk, true, width, "-c", fakegh.CommitSHA, "--exit-status")
		if !errors.Is(err, cmdutil.ErrSilent) {
			t.Fatalf("error = %v", err)
		}
		// Log lines are data, printed whole; the blocks are cut to fit.
		blocks, _, _ := strings.Cut(stdout, "\nRun 7000000301 (CI) failed")
		cmdtest.CheckFits(t, blocks, width)
		if width == 120 {
			golden(t, "watch-commit-tty", stdout, stderr)
		}
	}
}

func TestWatchManyErrors(t *testing.T) {
	sha := fakegh.CommitSHA
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"branch and commit", []string{"-b", "main", "-c", sha}, "specify only one of -b, -c and --pr"},
		{"commit and pull request", []string{"-c", sha, "--pr", "3"}, "specify only one of -b, -c and --pr"},
		{"run ID and branch", []string{"42", "-b", "main"}, "specify a run ID or one of -b, -c and --pr, not both"},
		{"run ID and pull request", []string{"--pr", "3", "42"}, "specify a run ID or one of -b, -c and --pr, not both"},
		{"pull request not a number", []string{"--pr", "abc"}, `invalid --pr "abc": want a pull request number, 1 or more`},
		{"pull request zero", []string{"--pr", "0"}, `invalid --pr "0"`},
		{"pull request negative", []string{"--pr=-3"}, `invalid --pr "-3"`},
		{"pull request with a hash", []string{"--pr", "#3"}, `invalid --pr "#3"`},
		{"short commit", []string{"-c", "5e1f0c3"}, `invalid -c "5e1f0c3": want the whole 40-character commit SHA`},
		{"empty branch", []string{"-b", ""}, "--branch needs a value"},
		{"pull request across repositories", []string{"--owner", "acme", "--pr", "3"}, "--pr watches one repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			_, _, err := cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }, tt.args...)
			cmdtest.WantFlagError(t, err, tt.wantErr, false)
			if n := len(s.Requests()); n != 0 {
				t.Errorf("%d requests before the refusal", n)
			}
		})
	}
}

func TestWatchManyOptions(t *testing.T) {
	cmdtest.Isolate(t)
	ios, _, _, _ := cmdtest.Streams(false)
	opts, err := cmdtest.Parse(ios, NewCmd, "--pr", "42", "-i", "5")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Target.PR != 42 || opts.RunID != 0 || opts.Interval != 5*time.Second || opts.Repo != cmdtest.Repo {
		t.Errorf("options %+v", opts)
	}
}

// TestWatchCommitUnchangedIsFree: polls of runs that have not moved are
// answered 304 from the ETag cache and cost no rate limit, print nothing,
// and come less and less often.
func TestWatchCommitUnchangedIsFree(t *testing.T) {
	s, c := commitFake(t)
	clk := newClock()
	clk.after = func(n int, _ time.Duration) bool { return n < 6 }
	stdout, _, err := runWatchMany(t, c, clk, false, 0, "-c", fakegh.CommitSHA)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v", err)
	}
	// The first poll: the listing and the jobs of three runs.
	if remaining, _, _ := c.RateLimit(); remaining != 4996 {
		t.Errorf("rate limit remaining = %d, want 4996: only the first poll's four requests count", remaining)
	}
	// Later polls: the listing and the jobs of the two runs going.
	if n := len(s.Requests()); n != 4+5*3 {
		t.Errorf("%d requests, want %d", n, 4+5*3)
	}
	if strings.Count(stdout, "\n") != 11 {
		t.Errorf("an unchanged watch printed more than its first poll:\n%s", stdout)
	}
	if want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 15 * time.Second, 15 * time.Second, 15 * time.Second}; !slices.Equal(clk.sleeps, want) {
		t.Errorf("sleeps = %v, want %v", clk.sleeps, want)
	}
}
