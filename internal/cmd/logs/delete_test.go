package logs

import (
	"errors"
	"fmt"
	"maps"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

const runsPath = "/repos/octo/hello/actions/runs/"

func TestDeleteByID(t *testing.T) {
	s := cmdtest.Serve(t)
	r := execCmd(t, deleteCmd, false, "", cmdtest.Arg(fakegh.FailedRun))
	if r.err != nil || r.out != "7000000110\tlogs deleted\n" || r.errOut != "" {
		t.Errorf("got %q, %q, %v", r.out, r.errOut, r.err)
	}
	if run, _ := s.Run(fakegh.FailedRun); run.Logs != nil {
		t.Error("the run still has logs")
	}
	if got, want := cmdtest.Changes(s), map[string]int{fmt.Sprintf("DELETE %s%d/logs", runsPath, fakegh.FailedRun): 1}; !maps.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
}

// TestDeleteMixed: a run in progress gets the fake's 403 and an unknown run
// a 404, each reported; the others go on.
func TestDeleteMixed(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			s := cmdtest.Serve(t)
			r := execCmd(t, deleteCmd, tty, "", cmdtest.Arg(fakegh.InProgressRun), cmdtest.Arg(fakegh.FailedRun), "999", cmdtest.Arg(fakegh.CancelledRun))
			if !errors.Is(r.err, cmdutil.ErrSilent) {
				t.Errorf("error = %v, want ErrSilent", r.err)
			}
			cmdtest.Golden(t, "delete-mixed-"+cmdtest.TTYName(tty), r.out, r.errOut)
			for _, id := range []int64{fakegh.FailedRun, fakegh.CancelledRun} {
				if run, _ := s.Run(id); run.Logs != nil {
					t.Errorf("run %d still has logs", id)
				}
			}
		})
	}
}

// TestDeleteByFilter deletes the logs of the completed runs among the matches.
func TestDeleteByFilter(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		deleted []int64
	}{
		{"branch", []string{"-b", "main", "-e", "schedule", "--yes"}, []int64{fakegh.CancelledRun, fakegh.TimedOutRun}},
		{"workflow", []string{"-w", "CI", "--yes"}, []int64{fakegh.FailedRun, fakegh.ReleaseRun, fakegh.OlderSuccessfulRun, fakegh.DependabotRun}},
		{"dry-run", []string{"-w", "CI", "--dry-run"}, nil},
	} {
		for _, tty := range []bool{false, true} {
			t.Run(tc.name+"-"+cmdtest.TTYName(tty), func(t *testing.T) {
				s := cmdtest.Serve(t)
				r := execCmd(t, deleteCmd, tty, "", tc.args...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				cmdtest.Golden(t, "delete-filter-"+tc.name+"-"+cmdtest.TTYName(tty), r.out, r.errOut)
				want := map[string]int{}
				for _, id := range tc.deleted {
					want[fmt.Sprintf("DELETE %s%d/logs", runsPath, id)] = 1
				}
				if got := cmdtest.Changes(s); !maps.Equal(got, want) {
					t.Errorf("requests %v, want %v", got, want)
				}
				if run, _ := s.Run(fakegh.FailedRun); (run.Logs == nil) != (tc.name == "workflow") {
					t.Errorf("run 7000000110 has logs: %v", run.Logs != nil)
				}
			})
		}
	}
}

// TestDeleteKeep: --keep leaves the logs of the newest runs of each
// workflow among those selected; with --older-than a run must also be old.
func TestDeleteKeep(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		deleted []int64
	}{
		// CI's runs, newest first: 113 and 112 (active), 110, 106, 103 (73h old), 102 (241h).
		{"keep", []string{"-w", "CI", "--keep", "4", "--yes"}, []int64{7000000103, 7000000102}},
		{"keep and older-than", []string{"-w", "CI", "--keep", "4", "--older-than", "100h", "--yes"}, []int64{7000000102}},
		{"keep 2 and older-than", []string{"-w", "CI", "--keep", "2", "--older-than", "48h", "--yes"}, []int64{7000000103, 7000000102}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			r := execCmd(t, deleteCmd, false, "", tc.args...)
			if r.err != nil {
				t.Fatal(r.err)
			}
			want := map[string]int{}
			for _, id := range tc.deleted {
				want[fmt.Sprintf("DELETE %s%d/logs", runsPath, id)] = 1
			}
			if got := cmdtest.Changes(s); !maps.Equal(got, want) {
				t.Errorf("requests %v, want %v\n%s", got, want, r.out)
			}
		})
	}
}
