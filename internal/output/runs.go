package output

import (
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

// RunFields are the --json fields of a run, named as gh names them.
var RunFields = []string{
	"databaseId", "number", "attempt", "name", "displayTitle", "workflowName",
	"workflowDatabaseId", "headBranch", "headSha", "event", "status", "conclusion",
	"createdAt", "updatedAt", "startedAt", "url", "actor",
}

// RunData is every run field as exported by --json.
func RunData(r api.Run) map[string]any {
	var actor any
	if r.Actor != nil {
		actor = map[string]any{"login": r.Actor.Login, "id": r.Actor.ID}
	}
	return map[string]any{
		"databaseId":         r.ID,
		"number":             r.RunNumber,
		"attempt":            r.RunAttempt,
		"name":               r.Name,
		"displayTitle":       r.DisplayTitle,
		"workflowName":       r.Name,
		"workflowDatabaseId": r.WorkflowID,
		"headBranch":         r.HeadBranch,
		"headSha":            r.HeadSHA,
		"event":              r.Event,
		"status":             string(r.Status),
		"conclusion":         string(r.Conclusion),
		"createdAt":          Timestamp(r.CreatedAt),
		"updatedAt":          Timestamp(r.UpdatedAt),
		"startedAt":          Timestamp(r.StartedTime()),
		"url":                r.HTMLURL,
		"actor":              actor,
	}
}

// Timestamp is t in RFC 3339, or nil (JSON null) when unset.
func Timestamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// JobData is a job as exported inside a run's "jobs" field.
func JobData(j api.Job) map[string]any {
	steps := make([]map[string]any, len(j.Steps))
	for i, s := range j.Steps {
		steps[i] = map[string]any{
			"name": s.Name, "number": s.Number, "status": string(s.Status), "conclusion": string(s.Conclusion),
			"startedAt": Timestamp(s.StartedAt), "completedAt": Timestamp(s.CompletedAt),
		}
	}
	return map[string]any{
		"databaseId": j.ID, "name": j.Name, "status": string(j.Status), "conclusion": string(j.Conclusion),
		"startedAt": Timestamp(j.StartedAt), "completedAt": Timestamp(j.CompletedAt),
		"url": j.HTMLURL, "labels": j.Labels, "steps": steps,
	}
}
