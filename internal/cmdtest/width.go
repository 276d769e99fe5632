package cmdtest

import (
	"strings"
	"testing"

	"github.com/cli/go-gh/v2/pkg/text"
	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdutil"
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
func StripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
