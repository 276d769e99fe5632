package view

import (
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// A run of 2020 shows its commit's title, its workflow's name, its commit's
// author and attempt 1; its elapsed time ends with its job, and --attempt 1
// lists the job though it carries no run_attempt.
func TestViewHistoricRuns(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 4)
	fakegh.SeedHistoric(s)
	for _, args := range [][]string{{"6000000001"}, {"6000000001", "--attempt", "1"}} {
		out, _, err := runView(t, c, true, args...)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Speed up the parser · Build #1", "by Mona Lisa Octocat", "Attempt:  1", "Elapsed:  2m25s", "build in 2m20s"} {
			if !strings.Contains(out, want) {
				t.Errorf("view %v lacks %q:\n%s", args, want, out)
			}
		}
	}
	out, _, err := runView(t, c, false, "6000000003")
	if err != nil || !strings.Contains(out, "elapsed\t2m22s\n") {
		t.Errorf("a run whose updated_at moved: %v\n%s", err, out)
	}
}
