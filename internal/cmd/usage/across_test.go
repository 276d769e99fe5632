package usage

import (
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

func usageCmd(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }

// osTotal is the TOTAL row of the "os" rows of usage's tab-separated output.
func osTotal(t *testing.T, stdout string) string {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "os\tTOTAL\t") {
			return line
		}
	}
	t.Fatalf("no os TOTAL row in:\n%s", stdout)
	return ""
}

func TestUsageAcrossByRepo(t *testing.T) {
	cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", usageCmd, "--owner", "acme", "--created", "2026-11-20", "--by", "repo")
	if err != nil {
		t.Fatalf("usage: %v\n%s", err, stderr)
	}
	// api: 3 minutes on Linux; web: 5 on Windows; secret's run is going on, no job yet.
	for _, row := range []string{
		"repo\tacme/api\t3\t180000\t0\t0\t180000\t1\t0.02\n",
		"repo\tacme/web\t2\t0\t0\t300000\t300000\t1\t0.05\n",
		"repo\tacme/secret\t1\t0\t0\t0\t0\t0\t0.00\n",
		"run\tacme/web\t9202\tCI\t0\t0\t300000\t300000\t1\t",
	} {
		if !strings.Contains(stdout, row) {
			t.Errorf("stdout lacks %q:\n%s", row, stdout)
		}
	}
	// The totals across the organisation are the sum of each repository's own.
	sum := 0
	for _, repo := range []string{"acme/api", "acme/web", "acme/secret"} {
		out, stderr, err := cmdtest.Run(false, "", usageCmd, "-R", repo, "--created", "2026-11-20")
		if err != nil {
			t.Fatalf("usage -R %s: %v\n%s", repo, err, stderr)
		}
		ms, _ := strconv.Atoi(strings.Split(osTotal(t, out), "\t")[2])
		sum += ms
	}
	if got, want := osTotal(t, stdout), "os\tTOTAL\t"+strconv.Itoa(sum)+"\t2\t\t0.07"; got != want || sum != 480000 {
		t.Errorf("total = %q, want %q, the sum of the repositories' own", got, want)
	}
}

func TestUsageAcrossRefusesRunIDs(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	_, _, err := cmdtest.Run(false, "", usageCmd, "--owner", "acme", "9101")
	if cmdutil.ExitCode(err) != 1 || len(o.Requests()) != 0 {
		t.Errorf("err = %v after %d requests, want a usage error before any", err, len(o.Requests()))
	}
}

// TestUsageAcrossJobsBudget: across acme/api and acme/web the sweep fits
// (2 listings of 5 left), but the jobs of the 5 runs then found do not (3
// left): refused before any is read.
func TestUsageAcrossJobsBudget(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	o.SetRateRemaining(cmdtest.Token, 5)
	_, _, err := cmdtest.Run(false, "", usageCmd, "-R", "acme/api", "-R", "acme/web", "--created", "2026-11-20")
	want := "reading the jobs of 5 runs takes up to 5 requests (fewer where the cache holds unchanged answers), " +
		"but GitHub's rate limit allows 3 more until HH:MM: only the newest run fits\n" +
		"hint: pass -L 1, wait for the reset, or pass --yes to go on anyway"
	if got := budgetText(err); got != want {
		t.Fatalf("err = %q\nwant %q", got, want)
	}
	for _, r := range o.Requests() {
		if strings.HasSuffix(r.Path, "/jobs") {
			t.Errorf("read after refusing: %s", r.Path)
		}
	}
}
