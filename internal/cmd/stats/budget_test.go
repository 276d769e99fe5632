package stats

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// resetTime is the reset time in a budget message, in the local zone.
var resetTime = regexp.MustCompile(`until \d\d:\d\d [^:]+:`)

// budgetText is err's text with the reset time left out.
func budgetText(err error) string {
	if err == nil {
		return ""
	}
	return resetTime.ReplaceAllString(err.Error(), "until HH:MM:")
}

// jobsRead counts the jobs listings the fake answered.
func jobsRead(s *fakegh.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/jobs") {
			n++
		}
	}
	return n
}

// TestStatsJobsBudget: CI's 6 runs in the seed take 7 jobs listings (the
// third newest ran twice). Once the runs are listed, those listings are
// checked against the rate limit left: refused when they do not fit, with
// how many runs would, and read at once when they do.
func TestStatsJobsBudget(t *testing.T) {
	const (
		fitTwo = "reading the jobs of 6 runs takes up to 7 requests (fewer where the cache holds unchanged answers), " +
			"but GitHub's rate limit allows 4 more until HH:MM: the newest 2 runs fit\n" +
			"hint: pass -L 2, wait for the reset, or pass --yes to go on anyway"
		fitNone = "reading the jobs of 6 runs takes up to 7 requests (fewer where the cache holds unchanged answers), " +
			"but GitHub's rate limit allows 1 more until HH:MM: no run fits\n" +
			"hint: wait for the reset, or pass --yes to go on anyway"
	)
	tests := []struct {
		name string
		// limit is the rate limit of the window; the listing of the runs
		// takes one request of it.
		limit   int
		args    []string
		wantErr string
		// wantJobs is the jobs listings read.
		wantJobs int
	}{
		{"refused", 5, nil, fitTwo, 0},
		// -L 2 lists again (1 request) and reads 2 jobs listings: 3 of 4.
		{"the -L that fits", 5, []string{"-L", "2"}, "", 2},
		{"none fits", 2, nil, fitNone, 0},
		// 1 listing and 7 jobs listings: exactly the window.
		{"fits", 8, nil, "", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			s.InjectFaults(fakegh.Faults{RateLimit: tt.limit})
			_, stderr, err := cmdtest.Run(false, "", statsCmd, append([]string{"-w", "ci.yml"}, tt.args...)...)
			if got := budgetText(err); got != tt.wantErr {
				t.Fatalf("err = %q\nwant %q", got, tt.wantErr)
			}
			if n := jobsRead(s); n != tt.wantJobs {
				t.Errorf("%d jobs listings read, want %d", n, tt.wantJobs)
			}
			// As in a window of 5000: the default window's note, and no
			// word of the budget.
			if wantNote := "selecting runs created >=2026-10-21T13:00:00Z\n"; tt.wantErr == "" && stderr != wantNote {
				t.Errorf("stderr %q, want %q", stderr, wantNote)
			}
		})
	}
}

// TestStatsJobsBudgetYes: the count is of every jobs listing, though an
// answer the cache holds costs nothing when GitHub finds it unchanged.
// Refused over a small window after a first reading, stats goes on with
// --yes, warns, and reads everything from the cache within that window.
func TestStatsJobsBudgetYes(t *testing.T) {
	s := cmdtest.Serve(t)
	want, _, err := cmdtest.Run(false, "", statsCmd, "-w", "ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	s.InjectFaults(fakegh.Faults{RateLimit: 3})
	_, _, err = cmdtest.Run(false, "", statsCmd, "-w", "ci.yml")
	if !strings.HasPrefix(budgetText(err), "reading the jobs of 6 runs takes up to 7 requests") {
		t.Fatalf("err = %v, want the jobs refused", err)
	}
	s.ResetRequests()
	stdout, stderr, err := cmdtest.Run(false, "", statsCmd, "-w", "ci.yml", "--yes")
	if err != nil {
		t.Fatalf("--yes: %v\n%s", err, stderr)
	}
	if stdout != want {
		t.Errorf("--yes printed:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "warning: reading the jobs of 6 runs takes up to 7 requests") || strings.Contains(stderr, "hint:") {
		t.Errorf("stderr %q, want the warning's first line", stderr)
	}
	if n := jobsRead(s); n != 7 {
		t.Errorf("--yes read %d jobs listings, want 7", n)
	}
}
