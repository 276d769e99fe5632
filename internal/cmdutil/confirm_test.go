package cmdutil

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/iostreams"
)

// TestConfirmInterrupted: Ctrl-C at the [y/N] question ends it at once as
// a no (exit 2), without waiting for Enter.
func TestConfirmInterrupted(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	ios.SetTTY(true)
	in, w := io.Pipe() // a person who types nothing
	defer w.Close()
	ios.In = in
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel) // Ctrl-C
	done := make(chan error, 1)
	go func() { done <- ConfirmContext(ctx, ios, "Cancel 3 runs in octo/hello?", "--yes") }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCancel) || ExitCode(err) != 2 {
			t.Errorf("error %v (exit %d), want the cancel of exit 2", err, ExitCode(err))
		}
		if got := errOut.String(); got != "? Cancel 3 runs in octo/hello? [y/N] \n" {
			t.Errorf("stderr %q: want the question, then a new line and nothing more", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the question was still waiting for Enter after Ctrl-C")
	}
}

// TestConfirmAnswers: y and yes go on; anything else, or no input, is a no.
func TestConfirmAnswers(t *testing.T) {
	for in, want := range map[string]error{"y\n": nil, "YES\n": nil, "n\n": ErrCancel, "\n": ErrCancel, "": ErrCancel} {
		ios, stdin, _, _ := iostreams.Test()
		ios.SetTTY(true)
		stdin.WriteString(in)
		if err := ConfirmContext(context.Background(), ios, "Go on?", "--yes"); !errors.Is(err, want) || (err == nil) != (want == nil) {
			t.Errorf("answer %q: %v, want %v", in, err, want)
		}
	}
}
