package logs

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func TestLastLines(t *testing.T) {
	var in strings.Builder
	for i := 1; i <= 50; i++ {
		fmt.Fprintf(&in, "line %d\n", i)
	}
	got, err := lastLines(strings.NewReader(in.String()), 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 || string(got[0]) != "line 31\n" || string(got[19]) != "line 50\n" {
		t.Errorf("got %d lines, %q … %q", len(got), got[0], got[len(got)-1])
	}

	// Fewer lines than asked, the last without a line break, one too long.
	long := strings.Repeat("x", 3*maxTailLineBytes)
	got, err = lastLines(strings.NewReader("a\n"+long+"\nb"), 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || string(got[0]) != "a\n" || string(got[2]) != "b" {
		t.Fatalf("got %q", got)
	}
	if want := strings.Repeat("x", maxTailLineBytes) + " …\n"; string(got[1]) != want {
		t.Errorf("long line kept as %d bytes, want %d", len(got[1]), len(want))
	}
}

// TestFailedTail prints the last lines of a failed step from the run's
// archive, with terminal control removed, and counts what it left out.
func TestFailedTail(t *testing.T) {
	s, c := cmdtest.Fake(t, 4)
	var step strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&step, "2026-11-20T10:53:%02d.0000000Z output %d\n", i, i)
	}
	step.WriteString("2026-11-20T10:53:31.0000000Z \x1b[31mFAIL\x1b[0m TestCacheHit\x1b]0;owned\x07\n")
	files := map[string][]byte{
		"0_build.txt": []byte("built\n"), "build/2_Run build.txt": []byte("built\n"),
		"1_test.txt": []byte(step.String()), "test/2_Run test.txt": []byte(step.String()),
	}
	setLogs(s, fakegh.FailedRun, zipOf(t, files, "0_build.txt", "build/2_Run build.txt", "1_test.txt", "test/2_Run test.txt"))
	repo := api.Repo{Owner: "octo", Name: "hello"}
	jobs, err := c.ListJobs(context.Background(), repo, fakegh.FailedRun, 0)
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	tail, err := FailedTail(context.Background(), c, repo, fakegh.FailedRun, jobs, &out, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := "test\tRun test\t2026-11-20T10:53:29.0000000Z output 29\n" +
		"test\tRun test\t2026-11-20T10:53:30.0000000Z output 30\n" +
		"test\tRun test\t2026-11-20T10:53:31.0000000Z FAIL TestCacheHit\n"
	if out.String() != want || tail != (Tail{Steps: 1}) {
		t.Errorf("printed %+v:\n%q\nwant:\n%q", tail, out.String(), want)
	}

	out.Reset()
	tail, err = FailedTail(context.Background(), c, repo, fakegh.FailedRun, jobs, &out, 0, 3)
	if err != nil || out.Len() != 0 || tail != (Tail{Left: 1}) {
		t.Errorf("with no room: %+v, %v, %q", tail, err, out.String())
	}
}
