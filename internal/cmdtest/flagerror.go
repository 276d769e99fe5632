package cmdtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// WantFlagError checks that err is what bad input on the command line must
// give: a *cmdutil.FlagError, exit code 1, a message containing want, and
// runF never reached (ran reports whether it was, i.e. the parsed options
// are non-nil). Every failed check is reported, so one run shows them all.
func WantFlagError(t testing.TB, err error, want string, ran bool) {
	t.Helper()
	if err == nil {
		t.Errorf("error = nil, want a *cmdutil.FlagError containing %q", want)
	} else {
		var flagErr *cmdutil.FlagError
		if !errors.As(err, &flagErr) {
			t.Errorf("error = %v (%T), want a *cmdutil.FlagError", err, err)
		}
		if got := cmdutil.ExitCode(err); got != 1 {
			t.Errorf("exit code = %d, want 1", got)
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error = %q, want it to contain %q", err, want)
		}
	}
	if ran {
		t.Error("runF was called")
	}
}
