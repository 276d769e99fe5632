package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// TestRunInterruptedReport: after Ctrl-C a bulk job shows the runs done or
// failed, then one line with the count not attempted and how to resume; in
// a pipe every run gets one line with its ID, and not-attempted ones say so
// once. It ends with exit 130 and nothing more.
func TestRunInterruptedReport(t *testing.T) {
	ids := make([]int64, 10)
	for i := range ids {
		ids[i] = int64(100 + i)
	}
	for _, tty := range []bool{true, false} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			cmdtest.Isolate(t)
			_, c := cmdtest.Fake(t, 1) // one at a time: the cut is exact
			ios, _, out, errOut := cmdtest.Streams(tty)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err := Run(ctx, Request{IO: ios, Client: c, Repo: cmdtest.Repo, IDs: ids}, Action{
				Verb: "cancel", Done: "cancelled",
				Act: func(_ context.Context, tg Target) error {
					if tg.ID == 102 {
						cancel() // Ctrl-C while the third run is handled
						return errors.New("cancel run 102: boom")
					}
					return nil
				},
			})
			if code := cmdutil.ExitCode(err); code != 130 {
				t.Errorf("exit code %d (%v), want 130", code, err)
			}
			summary := "interrupted: 7 of 10 runs not attempted; run the command again for the rest\n"
			if !strings.HasSuffix(errOut.String(), summary) || strings.Count(errOut.String(), "interrupted") != 1 {
				t.Errorf("stderr:\n%s\nwant it to end with one line:\n%s", errOut, summary)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if tty {
				want := []string{"✓ run 100: cancelled", "✓ run 101: cancelled", "X cancel run 102: boom"}
				if strings.Join(lines, "\n") != strings.Join(want, "\n") {
					t.Errorf("stdout:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
				}
				return
			}
			if len(lines) != 10 {
				t.Fatalf("%d lines in a pipe, want one per run:\n%s", len(lines), out)
			}
			for i, line := range lines[3:] {
				if want := fmt.Sprintf("%d\tnot attempted", 103+i); line != want {
					t.Errorf("line %q, want %q", line, want)
				}
			}
		})
	}
}
