package cancel

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

type result struct {
	out, errOut string
	err         error
}

// execCmd runs the whole cancel command, TTY or not, with stdin.
func execCmd(t *testing.T, tty bool, stdin string, args ...string) result {
	t.Helper()
	out, errOut, err := cmdtest.Run(tty, stdin, func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }, args...)
	return result{out, errOut, err}
}

// posts counts the POST requests the fake received, by path.
func posts(s *fakegh.Server) map[string]int {
	n := map[string]int{}
	for _, r := range s.Requests() {
		if r.Method != "GET" {
			n[r.Method+" "+r.Path]++
		}
	}
	return n
}

func ttyName(tty bool) string {
	if tty {
		return "tty"
	}
	return "notty"
}
