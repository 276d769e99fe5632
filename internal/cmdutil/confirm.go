package cmdutil

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/ghruns/gh-runs/internal/iostreams"
)

// Confirm asks a yes/no question on the terminal; anything but y or yes is
// no. Without a terminal it refuses, naming the flag that answers instead.
func Confirm(ios *iostreams.IOStreams, question, flag string) error {
	return ConfirmContext(context.Background(), ios, question, flag)
}

// ConfirmContext is Confirm that gives up, as a no, when ctx ends: Ctrl-C
// at the question ends the command at once instead of after Enter.
func ConfirmContext(ctx context.Context, ios *iostreams.IOStreams, question, flag string) error {
	if !ios.CanPrompt() {
		return &FlagError{Err: fmt.Errorf("%s needs confirmation: pass %s when not running interactively", question, flag), NoUsage: true}
	}
	fmt.Fprintf(ios.ErrOut, "? %s [y/N] ", question)
	type answer struct {
		line string
		err  error
	}
	// The read cannot be stopped; on Ctrl-C it is left behind, and the
	// process ends soon after.
	got := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(ios.In).ReadString('\n')
		got <- answer{line, err}
	}()
	var a answer
	select {
	case a = <-got:
	case <-ctx.Done():
		fmt.Fprintln(ios.ErrOut)
		return ErrCancel
	}
	if a.err != nil && a.line == "" {
		fmt.Fprintln(ios.ErrOut)
		return ErrCancel
	}
	switch strings.ToLower(strings.TrimSpace(a.line)) {
	case "y", "yes":
		return nil
	}
	return ErrCancel
}
