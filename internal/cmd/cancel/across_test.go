package cancel

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func cancelCmd(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }

// cancels counts the cancel requests the owner's host received, by path.
func cancels(o *fakegh.Owner) map[string]int {
	n := map[string]int{}
	for _, r := range o.Requests() {
		if r.Method == "POST" {
			n[r.Path]++
		}
	}
	return n
}

func TestCancelAcrossOwner(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", cancelCmd, "--owner", "acme", "-b", "main", "--yes")
	if err != nil {
		t.Fatalf("cancel: %v\n%s", err, stderr)
	}
	if want := "acme/web\t9201\tcancelled\nacme/secret\t9501\tcancelled\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	got := cancels(o)
	want := map[string]int{"/repos/acme/web/actions/runs/9201/cancel": 1, "/repos/acme/secret/actions/runs/9501/cancel": 1}
	if len(got) != len(want) || got["/repos/acme/web/actions/runs/9201/cancel"] != 1 || got["/repos/acme/secret/actions/runs/9501/cancel"] != 1 {
		t.Errorf("cancels = %v, want %v", got, want)
	}
	for _, note := range []string{"skipping 3 matching runs: already completed\n", "skipping acme/locked: "} {
		if !strings.Contains(stderr, note) {
			t.Errorf("stderr lacks %q:\n%s", note, stderr)
		}
	}
}

func TestCancelAcrossConfirmsWithCountsPerRepository(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	t.Setenv("NO_COLOR", "1")
	stdout, stderr, err := cmdtest.Run(true, "y\n", cancelCmd, "-R", "acme/web", "-R", "acme/secret", "-R", "acme/api", "-b", "main")
	if err != nil {
		t.Fatalf("cancel: %v\n%s", err, stderr)
	}
	if q := "? Cancel 2 runs in 2 repositories (acme/web 1, acme/secret 1)? [y/N] "; !strings.Contains(stderr, q) {
		t.Errorf("stderr lacks the question %q:\n%s", q, stderr)
	}
	for _, line := range []string{"✓ acme/web run 9201 (CI: CI run): cancelled\n", "✓ acme/secret run 9501 (CI: CI run): cancelled\n"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("stdout lacks %q:\n%s", line, stdout)
		}
	}
	if n := len(cancels(o)); n != 2 {
		t.Errorf("%d cancels, want 2", n)
	}
}

func TestCancelAcrossRefusesRunIDs(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	_, _, err := cmdtest.Run(false, "", cancelCmd, "--owner", "acme", "9201", "--yes")
	if cmdutil.ExitCode(err) != 1 || len(o.Requests()) != 0 {
		t.Errorf("err = %v after %d requests, want a usage error before any", err, len(o.Requests()))
	}
}
