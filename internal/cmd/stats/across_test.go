package stats

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func statsCmd(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }

// TestStatsAcrossEqualsEach: across acme/api and acme/web (both with a
// workflow CI of ID 1) each row is that repository's own, REPO first, and
// the two CI workflows stay apart.
func TestStatsAcrossEqualsEach(t *testing.T) {
	cmdtest.ServeOwner(t)
	for _, by := range groupings {
		across, stderr, err := cmdtest.Run(false, "", statsCmd, "-R", "acme/api", "-R", "acme/web", "--by", by)
		if err != nil {
			t.Fatalf("--by %s: %v\n%s", by, err, stderr)
		}
		var want []string
		for _, repo := range []string{"acme/api", "acme/web"} {
			out, stderr, err := cmdtest.Run(false, "", statsCmd, "-R", repo, "--by", by)
			if err != nil {
				t.Fatalf("-R %s: %v\n%s", repo, err, stderr)
			}
			for _, row := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				want = append(want, repo+"\t"+row)
			}
		}
		got := strings.Split(strings.TrimSuffix(across, "\n"), "\n")
		if strings.Join(sorted(got), "\n") != strings.Join(sorted(want), "\n") {
			t.Errorf("--by %s across:\n%s\nwant the repositories' own rows:\n%s", by, across, strings.Join(want, "\n"))
		}
	}
	// api's CI: 9101 failed, 9102 succeeded; web's: 9201 queued, 9202
	// succeeded. Merged they would be one row of 4 runs.
	across, _, _ := cmdtest.Run(false, "", statsCmd, "-R", "acme/api", "-R", "acme/web")
	for _, prefix := range []string{"acme/api\tCI\t2\t50.0\t", "acme/web\tCI\t2\t100.0\t", "acme/api\tDeploy\t1\t100.0\t"} {
		if !strings.Contains(across, prefix) {
			t.Errorf("across lacks %q:\n%s", prefix, across)
		}
	}
}

func sorted(rows []string) []string {
	out := slices.Clone(rows)
	slices.Sort(out)
	return out
}

// TestStatsAcrossOwner: --owner covers the organisation's repositories
// (archived ones and forks left out), notes one with Actions disabled, and
// shows REPO on a terminal.
func TestStatsAcrossOwner(t *testing.T) {
	cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(true, "", statsCmd, "--owner", "acme")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	rows := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		rows[strings.Join(strings.Fields(line)[:2], " ")] = true
	}
	for _, want := range []string{"REPO WORKFLOW", "acme/api CI", "acme/api Deploy", "acme/web CI", "acme/secret CI"} {
		if !rows[want] {
			t.Errorf("no row %q:\n%s", want, stdout)
		}
	}
	if rows["acme/old CI"] || rows["acme/fork CI"] {
		t.Errorf("archived or forked repository reported:\n%s", stdout)
	}
	if !strings.Contains(stderr, "skipping acme/locked: Actions is disabled") {
		t.Errorf("stderr: %s", stderr)
	}
}

// TestStatsAcrossFailureGoesOn: a repository whose listing fails is
// reported; the others' figures are printed, and the exit code is 1.
func TestStatsAcrossFailureGoesOn(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	for _, r := range o.Repos() {
		if r.Repo == "web" {
			r.Refuse(fakegh.Refusal{Method: "GET", Path: "runs", Status: 422, Message: "Unprocessable Entity"})
		}
	}
	stdout, stderr, err := cmdtest.Run(false, "", statsCmd, "-R", "acme/api", "-R", "acme/web")
	if !errors.Is(err, cmdutil.ErrSilent) || cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v, want exit 1 after reporting", err)
	}
	if !strings.HasPrefix(stdout, "acme/api\tCI\t2\t") || strings.Contains(stdout, "acme/web") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if !strings.Contains(stderr, "listing runs in acme/web: Unprocessable Entity (HTTP 422") {
		t.Errorf("stderr: %s", stderr)
	}
}

// TestStatsAcrossBudget: a sweep that cannot fit the rate limit left is
// refused before any listing.
func TestStatsAcrossBudget(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	o.SetRateRemaining(cmdtest.Token, 1)
	_, _, err := cmdtest.Run(false, "", statsCmd, "-R", "acme/api", "-R", "acme/web")
	if err == nil || !strings.Contains(err.Error(), "this sweep needs at least 2 requests for 2 repositories") {
		t.Fatalf("err = %v, want the budget refused", err)
	}
	for _, r := range o.Requests() {
		if strings.Contains(r.Path, "/runs") {
			t.Errorf("listed runs after refusing: %s", r.Path)
		}
	}
}

// TestStatsAcrossJobsBudget: across acme/api and acme/web the sweep fits
// (2 listings of 5 left), but the jobs of the 5 runs then found do not (3
// left): refused before any is read, with the -L that fits, which then
// goes on.
func TestStatsAcrossJobsBudget(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	o.SetRateRemaining(cmdtest.Token, 5)
	jobs := func() int {
		n := 0
		for _, r := range o.Requests() {
			if strings.HasSuffix(r.Path, "/jobs") {
				n++
			}
		}
		return n
	}
	_, _, err := cmdtest.Run(false, "", statsCmd, "-R", "acme/api", "-R", "acme/web")
	want := "reading the jobs of 5 runs takes up to 5 requests (fewer where the cache holds unchanged answers), " +
		"but GitHub's rate limit allows 3 more until HH:MM: only the newest run fits\n" +
		"hint: pass -L 1, wait for the reset, or pass --yes to go on anyway"
	if got := budgetText(err); got != want {
		t.Fatalf("err = %q\nwant %q", got, want)
	}
	if n := jobs(); n != 0 {
		t.Errorf("%d jobs listings read after refusing", n)
	}
	// -L 1: the sweep's 2 listings and the newest run's jobs, 3 of 3.
	stdout, stderr, err := cmdtest.Run(false, "", statsCmd, "-R", "acme/api", "-R", "acme/web", "-L", "1")
	if err != nil {
		t.Fatalf("-L 1: %v\n%s", err, stderr)
	}
	if n := jobs(); n != 1 || !strings.HasPrefix(stdout, "acme/web\tCI\t1\t") {
		t.Errorf("-L 1 read %d jobs listings and printed:\n%s", n, stdout)
	}
	if left := o.RateRemaining(cmdtest.Token); left != 0 {
		t.Errorf("%d requests left, want the 3 spent", left)
	}
}
