package runquery

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

// WorkflowStates are the states GitHub gives a workflow; "disabled" names
// the three disabled ones together.
var WorkflowStates = []string{"active", "deleted", "disabled_manually", "disabled_inactivity", "disabled_fork"}

// ParseWorkflowStates reads --workflow-state: states separated by commas.
func ParseWorkflowStates(s string) ([]string, error) {
	var out []string
	for _, st := range strings.Split(s, ",") {
		st = strings.TrimSpace(st)
		switch {
		case st == "disabled":
			out = append(out, "disabled_manually", "disabled_inactivity", "disabled_fork")
		case slices.Contains(WorkflowStates, st):
			out = append(out, st)
		default:
			return nil, fmt.Errorf("invalid --workflow-state %q: valid values are %s, disabled", st, strings.Join(WorkflowStates, ", "))
		}
	}
	return out, nil
}

// WorkflowState is the state of the workflow a run belongs to, from the
// repository's workflows; a workflow missing from the list is gone:
// "deleted".
func WorkflowState(ws []api.Workflow, id int64) string {
	for _, w := range ws {
		if w.ID == id {
			return w.State
		}
	}
	return "deleted"
}

// WorkflowGroup is what a retention policy does to one workflow's runs.
type WorkflowGroup struct {
	WorkflowID int64
	// Name and Path are the workflow's as its newest selected run gives them.
	Name, Path string
	// Go are the runs to delete, newest first; Stay counts those kept.
	Go   []api.Run
	Stay int
}

// Retain applies --keep and --older-than to runs: of each workflow, by
// workflow_id (so that a renamed workflow is one), the newest keep runs
// stay, and of the others those created before cut go (all of them when
// cut is zero). Groups come in the order of their workflow IDs.
func Retain(runs []api.Run, keep int, cut time.Time) []WorkflowGroup {
	byID := map[int64]*WorkflowGroup{}
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b api.Run) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	seen := map[int64]int{}
	for _, r := range sorted {
		g := byID[r.WorkflowID]
		if g == nil {
			g = &WorkflowGroup{WorkflowID: r.WorkflowID, Name: r.Name, Path: r.Path}
			byID[r.WorkflowID] = g
		}
		seen[r.WorkflowID]++
		if seen[r.WorkflowID] <= keep || (!cut.IsZero() && !r.CreatedAt.Before(cut)) {
			g.Stay++
			continue
		}
		g.Go = append(g.Go, r)
	}
	groups := make([]WorkflowGroup, 0, len(byID))
	for _, g := range byID {
		groups = append(groups, *g)
	}
	slices.SortFunc(groups, func(a, b WorkflowGroup) int { return cmp.Compare(a.WorkflowID, b.WorkflowID) })
	return groups
}
