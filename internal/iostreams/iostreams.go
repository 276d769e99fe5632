// Package iostreams carries a command's standard streams and what is known
// about them: whether each is a terminal, its width, and whether to colour.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/cli/go-gh/v2/pkg/term"
	xterm "golang.org/x/term"
)

// IOStreams is where a command reads and writes. Data goes to Out;
// progress, prompts and warnings to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	inTTY, outTTY, errTTY bool
	color                 bool
	width                 int
}

// New describes the given streams, detecting terminals on *os.File values.
// color is auto, never or always.
func New(in io.Reader, out, errOut io.Writer, color string) *IOStreams {
	s := &IOStreams{In: in, Out: out, ErrOut: errOut, width: 80}
	s.inTTY = isTerminal(in)
	s.outTTY = isTerminal(out)
	s.errTTY = isTerminal(errOut)
	if s.outTTY {
		// The terminal that output goes to, which need not be the
		// process's own (a test's pseudo-terminal, for one).
		if w, _, err := xterm.GetSize(int(out.(*os.File).Fd())); err == nil && w > 0 {
			s.width = w
		} else if w, _, err := term.FromEnv().Size(); err == nil && w > 0 {
			s.width = w
		}
	}
	s.SetColor(color)
	return s
}

// Test returns streams over buffers, none of them a terminal.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, width: 80}, in, out, errOut
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f)
}

// SetColor applies a colour setting: auto colours only a terminal.
func (s *IOStreams) SetColor(setting string) {
	switch setting {
	case "always":
		s.color = true
	case "never":
		s.color = false
	default:
		s.color = s.outTTY
	}
}

// SetTTY overrides terminal detection for all three streams (tests).
func (s *IOStreams) SetTTY(tty bool) {
	s.inTTY, s.outTTY, s.errTTY = tty, tty, tty
}

// SetTerminalWidth overrides the terminal's width (tests).
func (s *IOStreams) SetTerminalWidth(w int) { s.width = w }

// SetColorEnabled overrides the colour decision (tests).
func (s *IOStreams) SetColorEnabled(on bool) { s.color = on }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// CanPrompt reports whether the user can answer a question.
func (s *IOStreams) CanPrompt() bool { return s.inTTY && s.outTTY }

// ColorEnabled reports whether output may carry colour.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// TerminalWidth is the output terminal's width, 80 when unknown.
func (s *IOStreams) TerminalWidth() int { return s.width }
