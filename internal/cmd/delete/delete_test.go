package delete

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/pace"
)

const runsPath = "/repos/octo/hello/actions/runs/"

type result struct {
	out, errOut string
	err         error
}

// fake starts an empty fake GitHub on clock, with ghruns pointed at it.
func fake(t *testing.T, clock *pace.SimClock) *fakegh.Server {
	t.Helper()
	cmdtest.Isolate(t)
	s := fakegh.Start(t)
	s.Token = cmdtest.Token
	s.Now = clock.Now
	t.Setenv("GHRUNS_API_URL", s.URL)
	return s
}

// execOn runs delete with args over streams that are terminals when tty is
// set, pacing on clock.
func execOn(clock *pace.SimClock, tty bool, stdin string, args ...string) result {
	ios, in, out, errOut := cmdtest.Streams(tty)
	in.WriteString(stdin)
	env := cmdtest.Env(ios)
	env.PaceClock = clock
	err := cmdtest.Exec(env, NewCmd(env, nil), args...)
	return result{out.String(), errOut.String(), err}
}

// deletes counts the DELETE requests per run ID.
func deletes(s *fakegh.Server) map[int64]int {
	n := map[int64]int{}
	for _, r := range s.Requests() {
		if r.Method == "DELETE" {
			var id int64
			fmt.Sscanf(strings.TrimPrefix(r.Path, runsPath), "%d", &id)
			n[id]++
		}
	}
	return n
}

// remaining lists the IDs of runs still in the fake, among ids.
func remaining(s *fakegh.Server, ids ...int64) []int64 {
	var out []int64
	for _, id := range ids {
		if _, ok := s.Run(id); ok {
			out = append(out, id)
		}
	}
	return out
}

// TestDeleteByID: a completed run goes, a run already gone counts as done,
// an active one fails with GitHub's refusal; the others go on.
func TestDeleteByID(t *testing.T) {
	clock := pace.NewSimClock(cmdtest.Now)
	s := fake(t, clock)
	s.AddRuns(fakegh.GenerateRuns(2, 100, cmdtest.Now.Add(-time.Hour), func(i int, r *fakegh.Run) {
		if i == 1 {
			r.Status, r.Conclusion = "in_progress", ""
		}
	})...)
	r := execOn(clock, false, "", "100", "101", "999")
	if !errors.Is(r.err, cmdutil.ErrSilent) {
		t.Errorf("error %v, want the silent failure of one run", r.err)
	}
	want := "100\tdeleted\n" +
		"101\tfailed\tdelete run 101: Cannot delete a workflow run that is not completed. (HTTP 403)\n" +
		"999\talready deleted\n"
	if r.out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.out, want)
	}
	if got := remaining(s, 100, 101); !slices.Equal(got, []int64{101}) {
		t.Errorf("runs left %v, want the active one only", got)
	}
}

// TestDeleteRefusesNoFilter: a filtered delete that names no filter is
// refused before any request, unless --all.
func TestDeleteRefusesNoFilter(t *testing.T) {
	clock := pace.NewSimClock(cmdtest.Now)
	s := fake(t, clock)
	s.AddRuns(fakegh.GenerateRuns(3, 100, cmdtest.Now.Add(-time.Hour), nil)...)
	for _, args := range [][]string{{"--yes"}, {"--dry-run"}, {"-L", "2", "--yes"}, {"--all=false", "--yes"}} {
		for _, tty := range []bool{false, true} {
			r := execOn(clock, tty, "", args...)
			var fe *cmdutil.FlagError
			if !errors.As(r.err, &fe) || !strings.Contains(r.err.Error(), "--all") {
				t.Errorf("%v (tty %v): error %v, want a usage error naming --all", args, tty, r.err)
			}
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("%d requests sent before refusing", n)
	}
	if r := execOn(clock, false, "", "--all", "--yes"); r.err != nil || len(remaining(s, 100, 101, 102)) != 0 {
		t.Errorf("--all: error %v, runs left %v", r.err, remaining(s, 100, 101, 102))
	}
}

// retentionRepo holds three workflows: CI (ID 1), renamed half way from
// "Build"; Old (ID 2), whose file is deleted; Nightly (ID 3), disabled.
// Each has 6 runs, one a day, the newest a day old; CI's newest is active.
func retentionRepo(s *fakegh.Server) {
	s.AddWorkflows(
		fakegh.Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"},
		fakegh.Workflow{ID: 2, Name: "Old", Path: ".github/workflows/old.yml", State: "deleted"},
		fakegh.Workflow{ID: 3, Name: "Nightly", Path: ".github/workflows/nightly.yml", State: "disabled_inactivity"},
	)
	for w := int64(1); w <= 3; w++ {
		s.AddRuns(fakegh.GenerateRuns(6, w*100, cmdtest.Now.Add(-24*time.Hour-time.Duration(w)*time.Minute), func(i int, r *fakegh.Run) {
			r.CreatedAt = r.CreatedAt.Add(-time.Duration(i) * 24 * time.Hour)
			r.WorkflowID, r.Name = w, []string{"", "CI", "Old", "Nightly"}[w]
			if w == 1 && i >= 3 {
				r.Name = "Build" // the workflow's name before it was renamed
			}
			if w == 1 && i == 0 {
				r.Status, r.Conclusion = "in_progress", ""
			}
		})...)
	}
}

func ids(from, to int64) []int64 {
	var out []int64
	for id := from; id <= to; id++ {
		out = append(out, id)
	}
	return out
}

// TestDeleteKeep: --keep counts per workflow ID, renamed and deleted
// workflows included; with --older-than a run must be both old and
// outside the newest N; the active run is kept by the count but never sent.
func TestDeleteKeep(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		left []int64
	}{
		{"keep", []string{"--keep", "2"}, []int64{100, 101, 200, 201, 300, 301}},
		// Runs 3 to 5 of each workflow are older than 96h.
		{"older-than alone", []string{"--older-than", "96h"}, []int64{100, 101, 102, 200, 201, 202, 300, 301, 302}},
		{"keep and older-than", []string{"--keep", "4", "--older-than", "96h"}, []int64{100, 101, 102, 103, 200, 201, 202, 203, 300, 301, 302, 303}},
		{"deleted workflows", []string{"--workflow-state", "deleted"}, append(ids(100, 105), ids(300, 305)...)},
		{"disabled, keep 1", []string{"--workflow-state", "disabled", "--keep", "1"}, append(append(ids(100, 105), ids(200, 205)...), 300)},
		{"deleted workflow's file", []string{"-w", "old.yml", "--keep", "3"}, append(append(ids(100, 105), ids(200, 202)...), ids(300, 305)...)},
		{"keep among a branch", []string{"-b", "main", "--keep", "5"}, append(append(ids(100, 104), ids(200, 204)...), ids(300, 304)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := pace.NewSimClock(cmdtest.Now)
			s := fake(t, clock)
			retentionRepo(s)
			r := execOn(clock, false, "", append(tc.args, "--yes")...)
			if r.err != nil {
				t.Fatalf("error %v\n%s", r.err, r.errOut)
			}
			all := append(append(ids(100, 105), ids(200, 205)...), ids(300, 305)...)
			if got := remaining(s, all...); !slices.Equal(got, tc.left) {
				t.Errorf("runs left %v, want %v\nstdout:\n%s", got, tc.left, r.out)
			}
			if _, sent := deletes(s)[100]; sent {
				t.Error("the active run was sent a DELETE")
			}
		})
	}
}

// TestDeletePlan: a dry run sends no write and its plan's counts are what
// the real run then deletes; the plan tells per workflow what goes and stays.
func TestDeletePlan(t *testing.T) {
	clock := pace.NewSimClock(cmdtest.Now)
	s := fake(t, clock)
	retentionRepo(s)
	args := []string{"--keep", "2", "--older-than", "96h"}
	dry := execOn(clock, false, "", append(args, "--dry-run")...)
	if dry.err != nil {
		t.Fatal(dry.err)
	}
	if n := len(deletes(s)); n != 0 {
		t.Fatalf("the dry run sent %d DELETEs", n)
	}
	for _, line := range []string{
		"selecting runs created before ",
		"WORKFLOW                                   DELETE     KEEP  OLDEST      NEWEST",
		"Build (ci.yml)                                  3        3  2026-11-14  2026-11-16\n",
		"Old (old.yml)                                   3        3  2026-11-14  2026-11-16\n",
		"Nightly (nightly.yml)                           3        3  2026-11-14  2026-11-16\n",
	} {
		if !strings.Contains(dry.errOut, line) {
			t.Errorf("plan %q lacks %q", dry.errOut, line)
		}
	}
	would := strings.Count(dry.out, "\twould delete\n")
	real := execOn(clock, false, "", append(args, "--yes")...)
	if real.err != nil {
		t.Fatal(real.err)
	}
	if done := strings.Count(real.out, "\tdeleted\n"); done != would || would != 9 || len(deletes(s)) != 9 {
		t.Errorf("dry run would delete %d, the run deleted %d with %d DELETEs; want 9", would, done, len(deletes(s)))
	}
}

// TestDeleteConfirm: on a terminal the confirmation follows the plan, and
// says how many runs of which repository.
func TestDeleteConfirm(t *testing.T) {
	clock := pace.NewSimClock(cmdtest.Now)
	s := fake(t, clock)
	retentionRepo(s)
	r := execOn(clock, true, "n\n", "--workflow-state", "deleted")
	if !errors.Is(r.err, cmdutil.ErrCancel) {
		t.Errorf("error %v, want the declined confirmation", r.err)
	}
	if !strings.Contains(r.errOut, "Old (old.yml)") || !strings.Contains(r.errOut, "Delete 6 runs in octo/hello?") {
		t.Errorf("stderr %q: want the plan, then the count and the repository", r.errOut)
	}
	if len(deletes(s)) != 0 {
		t.Error("declined, yet runs were deleted")
	}
}

// TestDeleteResumes: a job stopped part way (here by the primary rate
// limit) continues when run again, and no run is deleted twice.
func TestDeleteResumes(t *testing.T) {
	clock := pace.NewSimClock(cmdtest.Now)
	s := fake(t, clock)
	s.AddRuns(fakegh.GenerateRuns(30, 1000, cmdtest.Now.Add(-48*time.Hour), nil)...)
	s.InjectFaults(fakegh.Faults{RateLimit: 11}) // the listing, then 10 deletes
	first := execOn(clock, false, "", "--older-than", "1d", "--yes")
	if first.err == nil || strings.Count(first.out, "\tdeleted\n") != 10 {
		t.Fatalf("first: error %v, stdout:\n%s", first.err, first.out)
	}
	s.InjectFaults(fakegh.Faults{})
	second := execOn(clock, false, "", "--older-than", "1d", "--yes")
	if second.err != nil || strings.Count(second.out, "\tdeleted\n") != 20 {
		t.Fatalf("second: error %v, stdout:\n%s", second.err, second.out)
	}
	for _, line := range strings.Split(first.out, "\n") {
		if id, ok := strings.CutSuffix(line, "\tdeleted"); ok && strings.Contains(second.out, id+"\t") {
			t.Errorf("run %s, deleted by the first run, came up again:\n%s", id, second.out)
		}
	}
	if left := remaining(s, ids(1000, 1029)...); len(left) != 0 {
		t.Errorf("runs left: %v", left)
	}
}

// TestDeleteThousandsPaced: `delete -w CI --keep 10 --older-than 30d` on a
// repository of 3,000 runs, against a fake that enforces GitHub's 900
// points a minute, trips the limit 0 times and finishes within 15% of the
// time the budget allows for its writes (on the simulated clock).
func TestDeleteThousandsPaced(t *testing.T) {
	clock := pace.NewSimClock(cmdtest.Now)
	s := fake(t, clock)
	s.Unchecked = true // the contract checks cost seconds here, and are tested elsewhere
	s.AddRuns(fakegh.GenerateRuns(3000, 10000, cmdtest.Now.Add(-24*time.Hour), func(i int, r *fakegh.Run) {
		r.CreatedAt = r.CreatedAt.Add(-time.Duration(i) * time.Hour)
		if i%3 == 2 {
			r.WorkflowID, r.Name = 2, "Lint"
		}
	})...)
	s.EnforceBudget(fakegh.Budget{Points: pace.Budget})
	start := clock.Now()
	r := execOn(clock, false, "", "-w", "1", "--keep", "10", "--older-than", "30d", "--yes")
	if r.err != nil {
		t.Fatalf("error %v\n%s", r.err, r.errOut)
	}
	deleted := strings.Count(r.out, "\tdeleted\n")
	elapsed := clock.Now().Sub(start)
	allowed := time.Duration(float64(deleted*pace.WritePoints) / pace.Budget * float64(time.Minute))
	t.Logf("%d deleted in %s (simulated); the budget allows %s; %d secondary limits, peak %d points a minute",
		deleted, elapsed, allowed, s.SecondaryLimits(), s.PeakPoints())
	if deleted < 1000 {
		t.Errorf("%d deleted, want over 1,000", deleted)
	}
	if n := s.SecondaryLimits(); n != 0 {
		t.Errorf("%d secondary-limit answers, want 0", n)
	}
	if p := s.PeakPoints(); p > pace.Budget {
		t.Errorf("peak %d points in a minute", p)
	}
	if elapsed > allowed*115/100 {
		t.Errorf("took %s, over 15%% more than the %s the budget allows", elapsed, allowed)
	}
}
