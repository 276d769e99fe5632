package usage

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

// runReads counts the requests the fake answered about single runs: jobs
// listings and timings.
func runReads(s *fakegh.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/jobs") || strings.HasSuffix(r.Path, "/timing") {
			n++
		}
	}
	return n
}

// TestUsageJobsBudget: Deploy's 3 runs take a jobs listing each, and with
// --source timing a timing request before it. Once the runs are listed
// (one request), those reads are checked against the rate limit left.
func TestUsageJobsBudget(t *testing.T) {
	const hint = "hint: pass -L 1, wait for the reset, or pass --yes to go on anyway"
	tests := []struct {
		name      string
		limit     int
		args      []string
		wantErr   string
		wantReads int
	}{
		{"refused", 3, nil, "reading the jobs of 3 runs takes up to 3 requests (fewer where the cache holds unchanged answers), " +
			"but GitHub's rate limit allows 2 more until HH:MM: only the newest run fits\n" + hint, 0},
		{"timing refused", 4, []string{"--source", "timing"}, "reading the usage of 3 runs takes up to 6 requests (fewer where the cache holds unchanged answers), " +
			"but GitHub's rate limit allows 3 more until HH:MM: only the newest run fits\n" + hint, 0},
		{"fits", 4, nil, "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			s.InjectFaults(fakegh.Faults{RateLimit: tt.limit})
			_, stderr, err := cmdtest.Run(false, "", usageCmd, append([]string{"-w", "deploy.yml"}, tt.args...)...)
			if got := budgetText(err); got != tt.wantErr {
				t.Fatalf("err = %q\nwant %q", got, tt.wantErr)
			}
			if n := runReads(s); n != tt.wantReads {
				t.Errorf("%d runs read, want %d", n, tt.wantReads)
			}
			if tt.wantErr == "" && stderr != "" {
				t.Errorf("stderr %q, want nothing", stderr)
			}
		})
	}
}

// TestUsageJobsBudgetYes: refused over a small window after a first
// reading, usage goes on with --yes, warns, and reads every jobs listing
// from the cache (304s, which cost nothing) within that window.
func TestUsageJobsBudgetYes(t *testing.T) {
	s := cmdtest.Serve(t)
	want, _, err := cmdtest.Run(false, "", usageCmd, "-w", "deploy.yml")
	if err != nil {
		t.Fatal(err)
	}
	s.InjectFaults(fakegh.Faults{RateLimit: 2})
	if _, _, err := cmdtest.Run(false, "", usageCmd, "-w", "deploy.yml"); !strings.HasPrefix(budgetText(err), "reading the jobs of 3 runs") {
		t.Fatalf("err = %v, want the jobs refused", err)
	}
	s.ResetRequests()
	stdout, stderr, err := cmdtest.Run(false, "", usageCmd, "-w", "deploy.yml", "--yes")
	if err != nil {
		t.Fatalf("--yes: %v\n%s", err, stderr)
	}
	if stdout != want || runReads(s) != 3 {
		t.Errorf("--yes read %d runs and printed:\n%s\nwant:\n%s", runReads(s), stdout, want)
	}
	if !strings.HasPrefix(stderr, "warning: reading the jobs of 3 runs takes up to 3 requests") || strings.Contains(stderr, "hint:") {
		t.Errorf("stderr %q, want the warning's first line", stderr)
	}
}
