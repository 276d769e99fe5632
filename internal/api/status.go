package api

// Status is where a run, job or step is in its life. GitHub lists the
// values at https://docs.github.com/en/rest/actions/workflow-runs.
type Status string

// The statuses GitHub gives runs, jobs and steps.
const (
	StatusRequested  Status = "requested"
	StatusQueued     Status = "queued"
	StatusPending    Status = "pending"
	StatusWaiting    Status = "waiting"
	StatusInProgress Status = "in_progress"
	StatusCompleted  Status = "completed"
)

// Waiting reports whether s is a state before running: waiting for a
// runner, an approval, or a job it needs.
func (s Status) Waiting() bool {
	switch s {
	case StatusQueued, StatusWaiting, StatusPending, StatusRequested:
		return true
	}
	return false
}

// Conclusion is how a completed run, job or step ended; it is empty until
// then.
type Conclusion string

// The conclusions GitHub gives runs, jobs and steps.
const (
	ConclusionSuccess        Conclusion = "success"
	ConclusionFailure        Conclusion = "failure"
	ConclusionCancelled      Conclusion = "cancelled"
	ConclusionSkipped        Conclusion = "skipped"
	ConclusionNeutral        Conclusion = "neutral"
	ConclusionStale          Conclusion = "stale"
	ConclusionTimedOut       Conclusion = "timed_out"
	ConclusionActionRequired Conclusion = "action_required"
	ConclusionStartupFailure Conclusion = "startup_failure"
)

// IsFailure reports whether c counts as failed: for --exit-status, for
// --failed, and for which steps of a job to show. A cancelled or skipped
// run did not fail.
func (c Conclusion) IsFailure() bool {
	switch c {
	case ConclusionFailure, ConclusionTimedOut, ConclusionStartupFailure, ConclusionActionRequired:
		return true
	}
	return false
}
