package output

import (
	"fmt"
	"strings"

	"github.com/ghruns/gh-runs/internal/api"
)

// WaitReason says in a few words why a run waits on a person, for a line
// under the run in a table: a fork pull request's run held until a
// maintainer approves it, or a deployment waiting on environments (pds as
// GitHub listed them; listed is false when they could not be listed). It
// is "" for a run that waits on neither. Environment names are made safe
// to print.
func WaitReason(r api.Run, pds []api.PendingDeployment, listed bool) string {
	switch {
	case r.AwaitsApproval():
		return "waiting for approval: fork pull request"
	case !r.AwaitsReview():
		return ""
	case !listed:
		return "waiting for review: environments unknown"
	case len(pds) == 0:
		return "waiting: GitHub lists no pending deployment"
	}
	reviewed := false
	envs := make([]string, len(pds))
	for i, pd := range pds {
		envs[i] = OneLine(pd.Environment.Name)
		if pd.WaitTimer > 0 {
			envs[i] += fmt.Sprintf(" (wait timer %s)", minutes(pd.WaitTimer))
		}
		reviewed = reviewed || len(pd.Reviewers) > 0
	}
	if !reviewed {
		// Only wait timers: nobody is asked to review.
		return "waiting: " + strings.Join(envs, ", ")
	}
	return "waiting for review: " + strings.Join(envs, ", ")
}

// minutes prints a wait timer compactly: 30m, 2h, 1h30m.
func minutes(n int) string {
	h, m := n/60, n%60
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

// PendingDeploymentData is --json pendingDeployments for a run: the
// environments it waits on, with their fields named as gh names fields,
// and each reviewer as GitHub gave it. It is [] when pds is empty.
func PendingDeploymentData(pds []api.PendingDeployment) []map[string]any {
	out := make([]map[string]any, len(pds))
	for i, pd := range pds {
		reviewers := make([]map[string]any, len(pd.Reviewers))
		for j, rv := range pd.Reviewers {
			var who any
			if len(rv.Reviewer) > 0 {
				who = rv.Reviewer
			}
			reviewers[j] = map[string]any{"type": rv.Type, "reviewer": who}
		}
		out[i] = map[string]any{
			"id":                    pd.Environment.ID,
			"name":                  pd.Environment.Name,
			"waitTimer":             pd.WaitTimer,
			"waitTimerStartedAt":    Timestamp(pd.WaitTimerStartedAt),
			"currentUserCanApprove": pd.CanApprove,
			"reviewers":             reviewers,
		}
	}
	return out
}
