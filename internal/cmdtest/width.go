package cmdtest

import (
	"strings"
	"testing"

	"github.com/cli/go-gh/v2/pkg/text"
	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/output"
)

// Widths are the terminal sizes commands are checked at: the 80 columns of
// a default terminal and a wider one.
var Widths = []int{80, 120}

// RunAtWidth runs the command newCmd builds as Run does, on terminals width
// columns wide, in colour.
func RunAtWidth(width int, newCmd func(*cmdutil.Env) *cobra.Command, args ...string) (stdout, stderr string, err error) {
	ios, _, out, errOut := Streams(true)
	ios.SetTerminalWidth(width)
	ios.SetColorEnabled(true)
	env := Env(ios)
	err = Exec(env, newCmd(env), args...)
	return out.String(), errOut.String(), err
}

// CheckFits fails t for every line of out wider than width columns, colour
// codes aside: on a terminal such a line wraps. Links are allowed to, since
// cutting one breaks it.
func CheckFits(t testing.TB, out string, width int) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		plain := StripANSI(line)
		if w := text.DisplayWidth(plain); w > width && !strings.Contains(plain, "https://") {
			t.Errorf("line of %d columns on a %d-column terminal: %q", w, width, plain)
		}
	}
}

// StripANSI removes colour codes from s.
func StripANSI(s string) string { return output.StripANSI(s) }
