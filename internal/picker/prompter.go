package picker

import (
	"errors"
	"os"
	"strings"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/cli/go-gh/v2/pkg/text"
	"golang.org/x/term"
)

// ErrInterrupted is returned when the person pressed Ctrl-C at a prompt.
var ErrInterrupted = errors.New("interrupted at a prompt")

// pageSize is how many entries a list shows at once at most, as gh's does.
const pageSize = 10

// TerminalPrompter asks on the terminal: a list the person moves through
// with the arrow keys, or types in to filter. (go-gh's prompter package does
// much the same, but shows 20 entries whatever the terminal's height, and
// links its test mock, with the testing package, testify and two YAML
// libraries, into every start of ghruns.)
type TerminalPrompter struct {
	in       *os.File
	out, err *os.File
}

// NewTerminalPrompter asks on the given terminal streams.
func NewTerminalPrompter(in, out, errOut *os.File) *TerminalPrompter {
	return &TerminalPrompter{in: in, out: out, err: errOut}
}

// Select shows options one line each, as many at a time as fit the
// terminal (at most ten), and returns the index of the one chosen. Ctrl-C
// returns ErrInterrupted.
func (p *TerminalPrompter) Select(prompt, defaultValue string, options []string) (int, error) {
	q := &survey.Select{
		Message:  prompt,
		Options:  options,
		PageSize: p.pageSize(),
		Filter:   latinMatch,
	}
	if defaultValue != "" {
		q.Default = defaultValue
	}
	var i int
	err := survey.AskOne(q, &i, survey.WithStdio(p.in, p.out, p.err))
	if errors.Is(err, terminal.InterruptErr) {
		return 0, ErrInterrupted
	}
	return i, err
}

// MultiSelect shows options as Select does, each with a box the person
// ticks with the space bar, and returns the indexes of those ticked, in
// the order shown. Ctrl-C returns ErrInterrupted.
func (p *TerminalPrompter) MultiSelect(prompt string, options []string) ([]int, error) {
	q := &survey.MultiSelect{
		Message:  prompt,
		Options:  options,
		PageSize: p.pageSize(),
		Filter:   latinMatch,
	}
	var picked []int
	err := survey.AskOne(q, &picked, survey.WithStdio(p.in, p.out, p.err))
	if errors.Is(err, terminal.InterruptErr) {
		return nil, ErrInterrupted
	}
	return picked, err
}

// pageSize leaves room for the question and the line the answer goes on.
func (p *TerminalPrompter) pageSize() int {
	_, h, err := term.GetSize(int(p.out.Fd()))
	if err != nil || h <= 0 {
		return pageSize
	}
	return max(1, min(pageSize, h-2))
}

// latinMatch keeps an option that contains the filter, in any case, and
// with or without its diacritics: "resume" finds "Résumé".
func latinMatch(filter, value string, _ int) bool {
	filter, value = strings.ToLower(filter), strings.ToLower(value)
	return strings.Contains(value, filter) || strings.Contains(text.RemoveDiacritics(value), filter)
}
