package picker

import (
	"fmt"
	"os"
	"strings"

	"github.com/AlecAivazis/survey/v2"
	"github.com/cli/go-gh/v2/pkg/text"
)

// Terminal asks at a terminal, with survey's list as GitHub CLI shows it.
// (go-gh's prompter package does the same, but also links its test mock,
// with the testing package, testify and two YAML libraries, into every
// start of ghruns.)
type Terminal struct {
	in, out, errOut *os.File
}

// NewTerminal returns a Prompter that reads in and draws on out and errOut.
func NewTerminal(in, out, errOut *os.File) *Terminal {
	return &Terminal{in: in, out: out, errOut: errOut}
}

// Select asks to pick one of options, listed 20 at a time, filtered by
// what is typed; defaultValue, when one of them, is picked at first.
func (t *Terminal) Select(prompt, defaultValue string, options []string) (int, error) {
	q := &survey.Select{Message: prompt, Options: options, PageSize: 20, Filter: latinMatch}
	for _, o := range options {
		if o == defaultValue && o != "" {
			q.Default = o
			break
		}
	}
	var picked int
	if err := survey.AskOne(q, &picked, survey.WithStdio(t.in, t.out, t.errOut)); err != nil {
		return 0, fmt.Errorf("could not prompt: %w", err)
	}
	return picked, nil
}

// latinMatch keeps an option that contains the filter, in any case, and
// with or without its diacritics: "resume" finds "Résumé".
func latinMatch(filter, value string, _ int) bool {
	filter, value = strings.ToLower(filter), strings.ToLower(value)
	return strings.Contains(value, filter) || strings.Contains(text.RemoveDiacritics(value), filter)
}
