package artifacts

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/pace"
)

const artifactsPath = "/repos/octo/hello/actions/artifacts/"

func deletes(ids ...int64) map[string]int {
	want := map[string]int{}
	for _, id := range ids {
		want[fmt.Sprintf("DELETE %s%d", artifactsPath, id)] = 1
	}
	return want
}

// TestDeleteByID: each artifact named is deleted and reported; one
// already gone counts as done, an error fails the exit code, the rest go on.
func TestDeleteByID(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Refuse(fakegh.Refusal{Method: "DELETE", Path: "artifacts/9000001102", Status: 403, Message: "Resource not accessible by integration"})
	r := execCmd(t, deleteCmd, false, "", cmdtest.Arg(fakegh.FailedRunTestResults), "123", cmdtest.Arg(fakegh.FailedRunCoverage))
	if !errors.Is(r.err, cmdutil.ErrSilent) {
		t.Errorf("error = %v, want ErrSilent (exit 1)", r.err)
	}
	want := "9000001101\tdeleted\n123\talready deleted\n9000001102\tfailed\tdelete artifact 9000001102: Resource not accessible by integration (HTTP 403)\n"
	if r.out != want {
		t.Errorf("stdout %q, want %q", r.out, want)
	}
	if _, ok := s.Artifact(fakegh.FailedRunTestResults); ok {
		t.Error("artifact 9000001101 is still there")
	}
	if got := cmdtest.Changes(s); !maps.Equal(got, deletes(fakegh.FailedRunTestResults, 123, fakegh.FailedRunCoverage)) {
		t.Errorf("requests %v", got)
	}
}

// TestDeleteByFilter: what each filter selects, on a terminal and in a
// pipe, with the bytes freed.
func TestDeleteByFilter(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		deleted []int64
	}{
		// Seed ages at cmdtest.Now: 1h, 1h, 1h, 9h, 1d×4, 3d×2, 10d×2.
		{"older-than", []string{"--older-than", "2d", "--yes"},
			[]int64{fakegh.OlderTestResults, fakegh.OlderCoverage, fakegh.DependabotTestResults, fakegh.DependabotCoverage}},
		{"name", []string{"-n", "coverage", "--yes"}, []int64{fakegh.FailedRunCoverage, fakegh.OlderCoverage, fakegh.DependabotCoverage}},
		// test-results: 101 (1h), 064 (1d), 031 (3d), 021 (10d); coverage: 102, 032, 022.
		{"keep", []string{"--keep", "2", "--yes"}, []int64{fakegh.OlderTestResults, fakegh.DependabotTestResults, fakegh.DependabotCoverage}},
		{"keep-older-than", []string{"--keep", "1", "--older-than", "5d", "--yes"}, []int64{fakegh.DependabotTestResults, fakegh.DependabotCoverage}},
		{"keep-name", []string{"--keep", "1", "-n", "test-results", "--yes"},
			[]int64{fakegh.ReleaseTestResults, fakegh.OlderTestResults, fakegh.DependabotTestResults}},
		{"all", []string{"--all", "--yes"}, []int64{
			fakegh.DeployManifest, fakegh.FailedRunTestResults, fakegh.FailedRunCoverage, fakegh.NightlyScreenshots,
			fakegh.ReleaseLinux, fakegh.ReleaseMacOS, fakegh.ReleaseWindows, fakegh.ReleaseTestResults,
			fakegh.OlderTestResults, fakegh.OlderCoverage, fakegh.DependabotTestResults, fakegh.DependabotCoverage}},
		{"dry-run", []string{"--keep", "2", "--dry-run"}, nil},
	} {
		for _, tty := range []bool{false, true} {
			t.Run(tc.name+"-"+cmdtest.TTYName(tty), func(t *testing.T) {
				s := cmdtest.Serve(t)
				r := execCmd(t, deleteCmd, tty, "", tc.args...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				cmdtest.Golden(t, "delete-"+tc.name+"-"+cmdtest.TTYName(tty), r.out, r.errOut)
				if got := cmdtest.Changes(s); !maps.Equal(got, deletes(tc.deleted...)) {
					t.Errorf("requests %v, want %v", got, deletes(tc.deleted...))
				}
			})
		}
	}
}

// TestDeleteDryRunIDs: artifacts named by ID are looked up, not deleted;
// the bytes freed leave out the expired one; one not there fails.
func TestDeleteDryRunIDs(t *testing.T) {
	s := cmdtest.Serve(t)
	r := execCmd(t, deleteCmd, false, "", "--dry-run", cmdtest.Arg(fakegh.ReleaseLinux), cmdtest.Arg(fakegh.DependabotCoverage), "42")
	if !errors.Is(r.err, cmdutil.ErrSilent) {
		t.Errorf("error = %v, want ErrSilent", r.err)
	}
	wantOut := "9000001061\twould delete\n9000001022\twould delete\n42\tfailed\tartifact 42 not found in octo/hello (HTTP 404)\n"
	wantErr := "would free 12.6 MB of storage (12582912 bytes); 1 artifact already expired, stored no more\n"
	if r.out != wantOut || r.errOut != wantErr {
		t.Errorf("got %q, %q; want %q, %q", r.out, r.errOut, wantOut, wantErr)
	}
	if got := cmdtest.Changes(s); len(got) != 0 {
		t.Errorf("a dry run changed %v", got)
	}
}

// TestDeleteConfirm: on a terminal a filtered delete asks, showing the
// count and bytes; no keeps everything. In a pipe it needs --yes, and
// says so before any request.
func TestDeleteConfirm(t *testing.T) {
	s := cmdtest.Serve(t)
	r := execCmd(t, deleteCmd, true, "n\n", "-n", "coverage")
	if !errors.Is(r.err, cmdutil.ErrCancel) {
		t.Errorf("error = %v, want ErrCancel", r.err)
	}
	want := "deleting 3 artifacts, freeing 485.8 KB of storage (485760 bytes); 1 artifact already expired, stored no more\n? Delete 3 artifacts in octo/hello? [y/N] "
	if r.errOut != want {
		t.Errorf("stderr %q, want %q", r.errOut, want)
	}
	if got := cmdtest.Changes(s); len(got) != 0 {
		t.Errorf("declined, yet changed %v", got)
	}
	r = execCmd(t, deleteCmd, true, "y\n", "-n", "coverage")
	if r.err != nil || cmdtest.Changes(s)["DELETE "+artifactsPath+"9000001102"] != 1 {
		t.Errorf("confirmed: %v, changes %v", r.err, cmdtest.Changes(s))
	}

	s.ResetRequests()
	r = execCmd(t, deleteCmd, false, "", "-n", "coverage")
	if r.err == nil || !strings.Contains(r.err.Error(), "pass --yes") || len(s.Requests()) != 0 {
		t.Errorf("in a pipe: %v after %d requests, want a refusal naming --yes and none", r.err, len(s.Requests()))
	}
}

// TestDeletePaced: 300 deletes, 1,500 points against a fake that enforces
// GitHub's 900 points a minute, on the pace's simulated clock: the limit is
// never tripped, and the job takes about the time the budget allows.
func TestDeletePaced(t *testing.T) {
	s := cmdtest.Serve(t)
	clock := pace.NewSimClock(cmdtest.Now)
	s.Now = clock.Now
	s.Unchecked = true // the contract checks are tested elsewhere
	var more []fakegh.Artifact
	for i := range 300 {
		more = append(more, fakegh.Artifact{ID: int64(1000 + i), Name: "bulk", RunID: fakegh.StartupFailureRun})
	}
	s.AddArtifacts(more...)
	s.EnforceBudget(fakegh.Budget{Points: pace.Budget})
	ios, _, out, errOut := cmdtest.Streams(false)
	env := cmdtest.Env(ios)
	env.PaceClock = clock
	if err := cmdtest.Exec(env, NewDeleteCmd(env, nil), "-n", "bulk", "--yes"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if n := strings.Count(out.String(), "\tdeleted\n"); n != 300 || len(cmdtest.Changes(s)) != 300 {
		t.Errorf("%d deleted, %d DELETE requests; want 300", n, len(cmdtest.Changes(s)))
	}
	if n := s.SecondaryLimits(); n != 0 {
		t.Errorf("%d secondary-limit refusals, want 0", n)
	}
	if elapsed := clock.Now().Sub(cmdtest.Now); elapsed < time.Minute {
		t.Errorf("300 writes took %s on the simulated clock: not paced", elapsed)
	}
}

// TestDeleteBadInput is refused before any request.
func TestDeleteBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"abc"}, `invalid artifact ID "abc"`},
		{[]string{"-5"}, "unknown shorthand flag"},
		{[]string{"0"}, `invalid artifact ID "0"`},
		{[]string{"--keep", "0", "--yes"}, "invalid --keep 0: must be 1 or more"},
		{[]string{"--older-than", "yesterday", "--yes"}, "want a duration"},
		{[]string{"--yes"}, "refusing to delete every artifact"},
		{[]string{"--dry-run"}, "refusing to delete every artifact"},
		{[]string{"123", "-n", "coverage"}, "not both"},
		{[]string{"123", "--all"}, "not both"},
		{[]string{"-n", "", "--yes"}, "empty value"},
		{[]string{"--all", "--write-rate", "-3"}, "invalid --write-rate"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			opts, err := cmdtest.Parse(ios, NewDeleteCmd, tc.args...)
			cmdtest.WantFlagError(t, err, tc.want, opts != nil)
		})
	}
}
