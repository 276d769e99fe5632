package logs

import (
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// Two jobs of a run share the name "build": GitHub's archive holds the
// second's logs as "1_build (1).txt" and in the folder "build (1)". Each
// job's lines come under the job's own name and its steps, and --job picks
// the second job's logs by its ID. (The fake's log lines name the archive
// folder they come from: "job build" or "job build (1)".)
func TestLogsViewTwoJobsOfOneName(t *testing.T) {
	s := cmdtest.Serve(t)
	fakegh.SeedHistoric(s)

	r := execCmd(t, viewCmd, false, "", "6000000005")
	if r.err != nil {
		t.Fatal(r.err)
	}
	var folders []string
	for _, line := range strings.Split(strings.TrimSuffix(r.out, "\n"), "\n") {
		if !strings.HasPrefix(line, "build\t") || strings.Contains(line, unknownStep) {
			t.Errorf("line %q: want job build and a named step", line)
		}
		if _, folder, ok := strings.Cut(line, "attempt 1, "); ok && !strings.HasSuffix(line, "##[endgroup]") {
			folders = append(folders, folder)
		}
	}
	want := []string{"job build)", "job build)", "job build)", "job build (1))", "job build (1))", "job build (1))"}
	if strings.Join(folders, "|") != strings.Join(want, "|") {
		t.Errorf("lines from %q, want from %q", folders, want)
	}

	r = execCmd(t, viewCmd, false, "", "6000000005", "--job", "6000000052")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if !strings.Contains(r.out, "job build (1))") || strings.Contains(r.out, "job build)") {
		t.Errorf("--job of the second build printed:\n%s\nwant the lines of the archive's \"build (1)\" only", r.out)
	}
	for _, line := range strings.Split(strings.TrimSuffix(r.out, "\n"), "\n") {
		if !strings.HasPrefix(line, "build\t") || strings.Contains(line, unknownStep) {
			t.Errorf("line %q: want job build and a named step", line)
		}
	}
}

// The real archive numbers both files 1: "1_build.txt" and "1_build (1).txt".
// With no step logs each job's whole log is printed, under its own name.
func TestLogsViewTwoJobsOfOneNameNumberedAlike(t *testing.T) {
	s := cmdtest.Serve(t)
	fakegh.SeedHistoric(s)
	files := map[string][]byte{"1_build.txt": []byte("first\n"), "1_build (1).txt": []byte("second\n")}
	setLogs(s, 6000000005, zipOf(t, files, "1_build.txt", "1_build (1).txt"))

	r := execCmd(t, viewCmd, false, "", "6000000005")
	if want := "build\tUNKNOWN STEP\tfirst\nbuild\tUNKNOWN STEP\tsecond\n"; r.err != nil || r.out != want {
		t.Errorf("got %v\n%s\nwant\n%s", r.err, r.out, want)
	}
	r = execCmd(t, viewCmd, false, "", "6000000005", "--job", "6000000052")
	if want := "build\tUNKNOWN STEP\tsecond\n"; r.err != nil || r.out != want {
		t.Errorf("--job of the second build: %v\n%s\nwant\n%s", r.err, r.out, want)
	}
}
