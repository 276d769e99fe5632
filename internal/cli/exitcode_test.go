package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// TestRefusedTokenExits4: a token GitHub refuses (401) exits 4 whatever the
// command, as the exit code table says, including the commands that report
// one line per run before they end.
func TestRefusedTokenExits4(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"list"},
		{"view", "7000000111"},
		{"watch", "7000000111"},
		{"logs", "view", "7000000111"},
		{"logs", "download", "7000000111", "-o", dir + "/logs.zip"},
		{"logs", "delete", "7000000111"},
		{"logs", "delete", "-b", "main", "--yes"},
		{"cancel", "7000000113"},
		{"cancel", "7000000113", "7000000112"},
		{"cancel", "-b", "main", "--yes"},
		{"rerun", "7000000110"},
		{"rerun", "7000000110", "--failed"},
		{"rerun", "-b", "main", "--yes"},
		{"usage", "7000000111"},
		{"usage", "7000000111", "7000000110"},
		{"usage", "-b", "main"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmdtest.Serve(t)
			t.Setenv("GH_TOKEN", "ghp_refused")
			r := ghruns(context.Background(), args...)
			if r.code != 4 {
				t.Errorf("exit %d, want 4\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.errOut)
			}
			if !strings.Contains(r.out+r.errOut, "Bad credentials") {
				t.Errorf("GitHub's message is not shown\nstdout:\n%s\nstderr:\n%s", r.out, r.errOut)
			}
		})
	}
}
