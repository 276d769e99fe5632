package rerun

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

// TestRerunByID: each form of the request, and what it sends.
func TestRerunByID(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		out      string
		endpoint string
		body     string
	}{
		{"plain", nil, "7000000110\trerun requested\n", "rerun", ""},
		{"failed", []string{"--failed"}, "7000000110\trerun requested\n", "rerun-failed-jobs", ""},
		{"debug", []string{"-d"}, "7000000110\trerun requested\n", "rerun", `{"enable_debug_logging":true}`},
		{"failed debug", []string{"--failed", "--debug"}, "7000000110\trerun requested\n", "rerun-failed-jobs", `{"enable_debug_logging":true}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			before, _ := s.Run(fakegh.FailedRun)
			r := execCmd(t, false, "", append([]string{cmdtest.Arg(fakegh.FailedRun)}, tc.args...)...)
			if r.err != nil || r.out != tc.out || r.errOut != "" {
				t.Errorf("got %q, %q, %v; want %q", r.out, r.errOut, r.err, tc.out)
			}
			reqs := s.Requests()
			if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Path != fmt.Sprintf("%s%d/%s", runsPath, fakegh.FailedRun, tc.endpoint) {
				t.Fatalf("requests %+v, want one POST to …/%s", reqs, tc.endpoint)
			}
			if got := string(reqs[0].Body); got != tc.body {
				t.Errorf("body %q, want %q", got, tc.body)
			}
			if after, _ := s.Run(fakegh.FailedRun); after.Attempt != before.Attempt+1 || after.Status != "queued" {
				t.Errorf("attempt %d → %d, status %s; want a new queued attempt", before.Attempt, after.Attempt, after.Status)
			}
		})
	}
}

// TestRerunMixed: a run still in progress gets GitHub's 403 and an unknown
// run its 404, each reported; the others go on.
func TestRerunMixed(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			s := cmdtest.Serve(t)
			r := execCmd(t, tty, "", cmdtest.Arg(fakegh.InProgressRun), cmdtest.Arg(fakegh.FailedRun), "999", cmdtest.Arg(fakegh.FailedLintRun))
			if !errors.Is(r.err, cmdutil.ErrSilent) {
				t.Errorf("error = %v, want ErrSilent", r.err)
			}
			cmdtest.Golden(t, "mixed-"+cmdtest.TTYName(tty), r.out, r.errOut)
			for id, attempt := range map[int64]int{fakegh.InProgressRun: 1, fakegh.FailedRun: 3, fakegh.FailedLintRun: 2} {
				if run, _ := s.Run(id); run.Attempt != attempt {
					t.Errorf("run %d is at attempt %d, want %d", id, run.Attempt, attempt)
				}
			}
		})
	}
}

// TestRerunByFilter reruns the completed runs among the matches.
func TestRerunByFilter(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		rerun []int64
	}{
		{"failure", []string{"-s", "failure", "--yes", "--failed"}, []int64{fakegh.FailedRun, fakegh.FailedLintRun}},
		{"workflow", []string{"-w", "CI", "-b", "main", "--yes"}, []int64{fakegh.FailedRun, fakegh.OlderSuccessfulRun}},
		{"dry-run", []string{"-w", "CI", "--dry-run"}, nil},
	} {
		for _, tty := range []bool{false, true} {
			t.Run(tc.name+"-"+cmdtest.TTYName(tty), func(t *testing.T) {
				s := cmdtest.Serve(t)
				r := execCmd(t, tty, "", tc.args...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				cmdtest.Golden(t, "filter-"+tc.name+"-"+cmdtest.TTYName(tty), r.out, r.errOut)
				endpoint := "rerun"
				if tc.name == "failure" {
					endpoint = "rerun-failed-jobs"
				}
				want := map[string]int{}
				for _, id := range tc.rerun {
					want[fmt.Sprintf("POST %s%d/%s", runsPath, id, endpoint)] = 1
				}
				if got := cmdtest.Changes(s); !maps.Equal(got, want) {
					t.Errorf("requests %v, want %v", got, want)
				}
			})
		}
	}
}
