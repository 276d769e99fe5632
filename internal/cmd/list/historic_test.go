package list

import (
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// Runs in the shapes the real GitHub serves: a run of 2020 with no title,
// workflow name or actor, a startup failure named by its file path, a run
// whose updated_at GitHub moved a year on, and a run stuck in progress for
// longer than a run may last.
func TestListHistoricRuns(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 4)
	fakegh.SeedHistoric(s)
	out, _, err := runList(t, c, false, "-L", "0")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "\t")
		rows[f[6]] = f
	}
	check := func(id, title, workflow, elapsed string) {
		t.Helper()
		f := rows[id]
		if f == nil || f[2] != title || f[3] != workflow || f[7] != elapsed {
			t.Errorf("run %s: %q, want title %q, workflow %q, elapsed %q", id, f, title, workflow, elapsed)
		}
	}
	check("6000000001", "Speed up the parser", "Build", "2m26s")
	check("6000000002", "Release v2.0.0", "Release", "1s")
	check("6000000003", "Tidy the README", "CI", "")
	check("6000000006", "Wait for the deploy lock", "CI", "")

	out, _, _ = runList(t, c, true, "-L", "0")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "6000000003") && !strings.Contains(line, " -  ") {
			t.Errorf("a terminal shows no elapsed time as -: %q", line)
		}
	}
}
