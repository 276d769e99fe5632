package view

import (
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// A token that cannot read check runs (fine-grained tokens cannot) still
// gets the failed run's view: its failed steps and the --log-failed hint,
// without annotations and without a word about them.
func TestViewFailedChecksDenied(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	s.ChecksDenied = true
	stdout, stderr, err := runView(t, c, true, cmdtest.Arg(fakegh.FailedRun))
	if err != nil {
		t.Fatal(err)
	}
	want := "X test in 3m20s (ID 8000001107)\n  X Run test\n\n" +
		"To see what failed, try: ghruns view 7000000110 --log-failed\n" +
		"View this run on GitHub: https://github.com/octo/hello/actions/runs/7000000110\n"
	if !strings.HasSuffix(stdout, want) || strings.Contains(stdout, "ANNOTATIONS") {
		t.Errorf("stdout does not end with\n%s\ngot\n%s", want, stdout)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
}

// Annotation text comes from the repository's workflow and tests: it reaches
// the terminal without control sequences, a message's lines indented under
// its symbol and the scripts' form on one line.
func TestViewFailedAnnotationsSanitised(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	r, _ := s.Run(fakegh.FailedRun)
	r.Jobs[1].Annotations = []fakegh.Annotation{
		{Path: "a\x1b[2Jb.go", StartLine: 7, Level: "warning", Message: "first\x1b]0;title\x07 line\nsecond\u202eline\n"},
	}
	s.AddRuns(r)

	stdout, _, err := runView(t, c, true, cmdtest.Arg(fakegh.FailedRun))
	if err != nil {
		t.Fatal(err)
	}
	want := "ANNOTATIONS\n! first line\n  secondline\n  test: ab.go#7\n\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks\n%q\ngot\n%q", want, stdout)
	}
	stdout, _, err = runView(t, c, false, cmdtest.Arg(fakegh.FailedRun))
	if err != nil {
		t.Fatal(err)
	}
	if want := "\nannotation\twarning\tab.go#7\tfirst line secondline\t8000001107\n"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q, got\n%s", want, stdout)
	}
	if strings.ContainsAny(stdout, "\x1b\x07\u202e") {
		t.Errorf("a control character reached stdout: %q", stdout)
	}
}

// --job with the ID of a job of another attempt says which attempt ran it.
func TestViewJobOfOtherAttempt(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	_, _, err := runView(t, c, false, cmdtest.Arg(fakegh.FailedRun), "--job", "8000001102")
	want := `no job "8000001102" in run 7000000110; its jobs: build (ID 8000001106), test (ID 8000001107)` +
		"\nhint: job 8000001102 ran in attempt 1 of run 7000000110; add --attempt 1"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
	// With that attempt, the job is there.
	stdout, _, err := runView(t, c, false, cmdtest.Arg(fakegh.FailedRun), "--job", "8000001102", "--attempt", "1")
	if err != nil || !strings.Contains(stdout, "\njob\tcompleted\tfailure\ttest\t3m20s\t8000001102\n") {
		t.Errorf("error = %v, stdout:\n%s", err, stdout)
	}
}
