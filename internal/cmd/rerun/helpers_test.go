package rerun

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

type result struct {
	out, errOut string
	err         error
}

// execCmd runs the whole rerun command, TTY or not, with stdin.
func execCmd(t *testing.T, tty bool, stdin string, args ...string) result {
	t.Helper()
	out, errOut, err := cmdtest.Run(tty, stdin, func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }, args...)
	return result{out, errOut, err}
}
