package output

import (
	"encoding/json"
	"testing"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

func TestWaitReason(t *testing.T) {
	waiting := api.Run{Status: api.StatusWaiting}
	reviewer := []api.Reviewer{{Type: "Team", Reviewer: json.RawMessage(`{"slug":"ops"}`)}}
	env := func(name string, timer int, rv []api.Reviewer) api.PendingDeployment {
		return api.PendingDeployment{Environment: api.Environment{Name: name}, WaitTimer: timer, Reviewers: rv}
	}
	for _, tt := range []struct {
		name   string
		run    api.Run
		pds    []api.PendingDeployment
		listed bool
		want   string
	}{
		{"done", api.Run{Status: api.StatusCompleted, Conclusion: api.ConclusionSuccess}, nil, false, ""},
		{"in progress", api.Run{Status: api.StatusInProgress}, nil, false, ""},
		{"fork", api.Run{Status: api.StatusCompleted, Conclusion: api.ConclusionActionRequired}, nil, false, "waiting for approval: fork pull request"},
		{"reviewers", waiting, []api.PendingDeployment{env("staging", 0, reviewer), env("production", 90, reviewer)}, true,
			"waiting for review: staging, production (wait timer 1h30m)"},
		{"timers only", waiting, []api.PendingDeployment{env("canary", 30, nil), env("eu", 120, nil)}, true, "waiting: canary (wait timer 30m), eu (wait timer 2h)"},
		{"not listed", waiting, nil, false, "waiting for review: environments unknown"},
		{"none listed", waiting, []api.PendingDeployment{}, true, "waiting: GitHub lists no pending deployment"},
		{"name with controls", waiting, []api.PendingDeployment{env("prod\x1b[2J\x07\u202e", 0, reviewer)}, true, "waiting for review: prod"},
	} {
		if got := WaitReason(tt.run, tt.pds, tt.listed); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestTableNotes: a note goes under its row on a terminal, where its
// column starts, without widening the columns; rows for scripts leave it
// out.
func TestTableNotes(t *testing.T) {
	for _, tty := range []bool{true, false} {
		ios, _, out, _ := iostreams.Test()
		ios.SetTTY(tty)
		tb := NewTable(ios, "S", "TITLE", "ID")
		tb.AddRow("*", "Deploy", "1")
		tb.AddNote(1, "waiting for review: production, staging")
		tb.AddRow("X", "CI", "22")
		if err := tb.Render(); err != nil {
			t.Fatal(err)
		}
		want := "S  TITLE   ID\n*  Deploy  1\n   waiting for review: production, staging\nX  CI      22\n"
		if !tty {
			want = "*\tDeploy\t1\nX\tCI\t22\n"
		}
		if out.String() != want {
			t.Errorf("tty %v:\n%q\nwant\n%q", tty, out.String(), want)
		}
	}
}
