package cmdutil

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/ghruns/gh-runs/internal/iostreams"
)

// Confirm asks a yes/no question on the terminal; anything but y or yes is
// no. Without a terminal it refuses, naming the flag that answers instead.
func Confirm(ios *iostreams.IOStreams, question, flag string) error {
	if !ios.CanPrompt() {
		return &FlagError{Err: fmt.Errorf("%s needs confirmation: pass %s when not running interactively", question, flag), NoUsage: true}
	}
	fmt.Fprintf(ios.ErrOut, "? %s [y/N] ", question)
	line, err := bufio.NewReader(ios.In).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(ios.ErrOut)
		return ErrCancel
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return ErrCancel
}
