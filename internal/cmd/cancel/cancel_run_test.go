package cancel

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

// TestCancelByID cancels the in-progress run.
func TestCancelByID(t *testing.T) {
	s := cmdtest.Serve(t)
	r := execCmd(t, false, "", cmdtest.Arg(fakegh.InProgressRun))
	if r.err != nil || r.out != "7000000113\tcancelled\n" || r.errOut != "" {
		t.Errorf("got %q, %q, %v; want the run cancelled on stdout only", r.out, r.errOut, r.err)
	}
	if run, _ := s.Run(fakegh.InProgressRun); run.Status != "completed" || run.Conclusion != "cancelled" {
		t.Errorf("run is %s/%s, want completed/cancelled", run.Status, run.Conclusion)
	}
	if got, want := cmdtest.Changes(s), map[string]int{fmt.Sprintf("POST %s%d/cancel", runsPath, fakegh.InProgressRun): 1}; !maps.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
}

// TestCancelMixed: a completed run gets GitHub's 409, said as "already
// completed", and an unknown run its 404; the others are cancelled.
func TestCancelMixed(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			s := cmdtest.Serve(t)
			r := execCmd(t, tty, "", cmdtest.Arg(fakegh.SuccessfulRun), cmdtest.Arg(fakegh.InProgressRun), "999", cmdtest.Arg(fakegh.QueuedRun))
			if !errors.Is(r.err, cmdutil.ErrSilent) {
				t.Errorf("error = %v, want ErrSilent", r.err)
			}
			cmdtest.Golden(t, "mixed-"+cmdtest.TTYName(tty), r.out, r.errOut)
			for _, id := range []int64{fakegh.InProgressRun, fakegh.QueuedRun} {
				if run, _ := s.Run(id); run.Conclusion != "cancelled" {
					t.Errorf("run %d is %s/%s, want cancelled", id, run.Status, run.Conclusion)
				}
			}
			if run, _ := s.Run(fakegh.SuccessfulRun); run.Conclusion != "success" {
				t.Errorf("the completed run became %s", run.Conclusion)
			}
		})
	}
}

func TestCancelForce(t *testing.T) {
	s := cmdtest.Serve(t)
	r := execCmd(t, false, "", "--force", cmdtest.Arg(fakegh.QueuedRun))
	if r.err != nil || r.out != "7000000112\tforce-cancelled\n" || r.errOut != "" {
		t.Errorf("got %q, %q, %v", r.out, r.errOut, r.err)
	}
	if got, want := cmdtest.Changes(s), map[string]int{fmt.Sprintf("POST %s%d/force-cancel", runsPath, fakegh.QueuedRun): 1}; !maps.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
}

// TestCancelByFilter lists the runs, skips the completed ones with a note
// and cancels the rest.
func TestCancelByFilter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		posted []int64
	}{
		{"status", []string{"-s", "in_progress", "--yes"}, []int64{fakegh.InProgressRun}},
		{"branch", []string{"-b", "main", "--yes"}, []int64{fakegh.InProgressRun}},
		{"workflow", []string{"-w", "CI", "--yes"}, []int64{fakegh.InProgressRun, fakegh.QueuedRun}},
		{"dry-run", []string{"-w", "CI", "--dry-run"}, nil},
		{"none", []string{"-b", "release/v1.2", "--yes"}, nil},
	} {
		for _, tty := range []bool{false, true} {
			t.Run(tc.name+"-"+cmdtest.TTYName(tty), func(t *testing.T) {
				s := cmdtest.Serve(t)
				r := execCmd(t, tty, "", tc.args...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				cmdtest.Golden(t, "filter-"+tc.name+"-"+cmdtest.TTYName(tty), r.out, r.errOut)
				want := map[string]int{}
				for _, id := range tc.posted {
					want[fmt.Sprintf("POST %s%d/cancel", runsPath, id)] = 1
				}
				if got := cmdtest.Changes(s); !maps.Equal(got, want) {
					t.Errorf("requests %v, want %v", got, want)
				}
				if run, _ := s.Run(fakegh.InProgressRun); (run.Conclusion == "cancelled") != (len(tc.posted) > 0) {
					t.Errorf("run 7000000113 is %s/%s", run.Status, run.Conclusion)
				}
			})
		}
	}
}
