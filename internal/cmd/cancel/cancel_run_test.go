package cancel

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
)

const runsPath = "/repos/octo/hello/actions/runs/"

// TestCancelByID cancels the in-progress run.
func TestCancelByID(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			s := cmdtest.Serve(t)
			r := execCmd(t, tty, "", "7000000113")
			if r.err != nil {
				t.Fatal(r.err)
			}
			want := "7000000113\tcancelled\n"
			if tty {
				want = "\x1b[32m✓\x1b[0m run 7000000113: cancelled\n"
			}
			if r.out != want || r.errOut != "" {
				t.Errorf("got %q, %q; want %q on stdout only", r.out, r.errOut, want)
			}
			if run, _ := s.Run(7000000113); run.Status != "completed" || run.Conclusion != "cancelled" {
				t.Errorf("run is %s/%s, want completed/cancelled", run.Status, run.Conclusion)
			}
			if got, want := cmdtest.Changes(s), map[string]int{"POST " + runsPath + "7000000113/cancel": 1}; !maps.Equal(got, want) {
				t.Errorf("requests %v, want %v", got, want)
			}
		})
	}
}

// TestCancelMixed: a completed run and an unknown one are reported, the
// others go on, and the command fails silently after its report.
func TestCancelMixed(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"mixed", nil},
		{"mixed-json", []string{"--json", "databaseId,result,error"}},
	} {
		for _, tty := range []bool{false, true} {
			t.Run(tc.name+"-"+cmdtest.TTYName(tty), func(t *testing.T) {
				s := cmdtest.Serve(t)
				r := execCmd(t, tty, "", append([]string{"7000000111", "7000000113", "999", "7000000112"}, tc.args...)...)
				if !errors.Is(r.err, cmdutil.ErrSilent) {
					t.Errorf("error = %v, want ErrSilent", r.err)
				}
				cmdtest.Golden(t, tc.name+"-"+cmdtest.TTYName(tty), r.out, r.errOut)
				for _, id := range []int64{7000000113, 7000000112} {
					if run, _ := s.Run(id); run.Conclusion != "cancelled" {
						t.Errorf("run %d is %s/%s, want cancelled", id, run.Status, run.Conclusion)
					}
				}
				if run, _ := s.Run(7000000111); run.Conclusion != "success" {
					t.Errorf("the completed run became %s", run.Conclusion)
				}
			})
		}
	}
}

func TestCancelForce(t *testing.T) {
	s := cmdtest.Serve(t)
	r := execCmd(t, false, "", "--force", "7000000112")
	if r.err != nil || r.out != "7000000112\tforce-cancelled\n" || r.errOut != "" {
		t.Errorf("got %q, %q, %v", r.out, r.errOut, r.err)
	}
	if got, want := cmdtest.Changes(s), map[string]int{"POST " + runsPath + "7000000112/force-cancel": 1}; !maps.Equal(got, want) {
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
		{"status", []string{"-s", "in_progress", "--yes"}, []int64{7000000113}},
		{"branch", []string{"-b", "main", "--yes"}, []int64{7000000113}},
		{"workflow", []string{"-w", "CI", "--yes"}, []int64{7000000113, 7000000112}},
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
				if run, _ := s.Run(7000000113); (run.Conclusion == "cancelled") != (len(tc.posted) > 0) {
					t.Errorf("run 7000000113 is %s/%s", run.Status, run.Conclusion)
				}
			})
		}
	}
}

// TestCancelConfirm: filters without --yes ask on a terminal and refuse
// elsewhere; a refusal changes nothing.
func TestCancelConfirm(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tty     bool
		stdin   string
		wantErr error
		exit    int
	}{
		{"notty", false, "y\n", &cmdutil.FlagError{}, 1},
		{"yes", true, "y\n", nil, 0},
		{"no", true, "n\n", cmdutil.ErrCancel, 2},
		{"eof", true, "", cmdutil.ErrCancel, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			r := execCmd(t, tc.tty, tc.stdin, "-w", "CI")
			var flagErr *cmdutil.FlagError
			switch {
			case tc.wantErr == nil && r.err != nil,
				tc.wantErr == cmdutil.ErrCancel && !errors.Is(r.err, cmdutil.ErrCancel),
				tc.wantErr != nil && tc.wantErr != cmdutil.ErrCancel && !errors.As(r.err, &flagErr):
				t.Fatalf("error = %v (%T), want %v", r.err, r.err, tc.wantErr)
			}
			if got := cmdutil.ExitCode(r.err); got != tc.exit {
				t.Errorf("exit code %d, want %d", got, tc.exit)
			}
			cmdtest.Golden(t, "confirm-"+tc.name, r.out, r.errOut+errText(r.err))
			if n := len(cmdtest.Changes(s)); (n > 0) != (tc.wantErr == nil) {
				t.Errorf("%d runs cancelled", n)
			}
			if n := len(s.Requests()); tc.name == "notty" && n > 0 {
				t.Errorf("%d requests sent before refusing", n)
			}
		})
	}
}

// errText is the error as ghruns prints it, after stderr; a declined
// confirmation prints nothing.
func errText(err error) string {
	if err == nil || errors.Is(err, cmdutil.ErrCancel) {
		return ""
	}
	return "error: " + err.Error() + "\n"
}

// TestCancelMany cancels 200 runs selected by filter: each exactly once,
// reported in the listing's order.
func TestCancelMany(t *testing.T) {
	cmdtest.Isolate(t)
	s := fakegh.Start(t)
	s.Token = cmdtest.Token
	runs := fakegh.GenerateRuns(200, 9000000001, cmdtest.Now.Add(-time.Minute), func(i int, r *fakegh.Run) {
		r.Status, r.Conclusion, r.Usage = "in_progress", "", nil
		r.Jobs[0].Status, r.Jobs[0].Conclusion = "in_progress", ""
	})
	s.AddRuns(runs...)
	t.Setenv("GHRUNS_API_URL", s.URL)
	t.Setenv("GHRUNS_CONCURRENCY", "8")

	r := execCmd(t, false, "", "-s", "in_progress", "--yes")
	if r.err != nil || r.errOut != "" {
		t.Fatalf("error %v, stderr %q", r.err, r.errOut)
	}
	var want strings.Builder
	for _, run := range runs { // GenerateRuns returns them newest first, as listed
		fmt.Fprintf(&want, "%d\tcancelled\n", run.ID)
	}
	if r.out != want.String() {
		t.Errorf("outcomes not in the listing's order:\n%s", r.out)
	}
	got := cmdtest.Changes(s)
	if len(got) != len(runs) {
		t.Errorf("%d runs got POSTs, want %d", len(got), len(runs))
	}
	for _, run := range runs {
		if n := got[fmt.Sprintf("POST %s%d/cancel", runsPath, run.ID)]; n != 1 {
			t.Errorf("run %d cancelled %d times", run.ID, n)
		}
		if now, _ := s.Run(run.ID); now.Conclusion != "cancelled" {
			t.Errorf("run %d is %s/%s", run.ID, now.Status, now.Conclusion)
		}
	}
}
