package api

import "time"

// Actor is the user who triggered a run.
type Actor struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
}

// Run is a workflow run as GitHub returns it. Nullable fields decode to
// their zero value; Conclusion is empty while a run is not completed.
type Run struct {
	ID                 int64      `json:"id"`
	Name               string     `json:"name"`
	DisplayTitle       string     `json:"display_title"`
	RunNumber          int        `json:"run_number"`
	RunAttempt         int        `json:"run_attempt"`
	Event              string     `json:"event"`
	Status             Status     `json:"status"`
	Conclusion         Conclusion `json:"conclusion"`
	WorkflowID         int64      `json:"workflow_id"`
	HeadBranch         string     `json:"head_branch"`
	HeadSHA            string     `json:"head_sha"`
	Path               string     `json:"path"`
	URL                string     `json:"url"`
	HTMLURL            string     `json:"html_url"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	RunStartedAt       time.Time  `json:"run_started_at"`
	Actor              *Actor     `json:"actor"`
	TriggeringActor    *Actor     `json:"triggering_actor"`
	PreviousAttemptURL string     `json:"previous_attempt_url"`
	// HeadCommit and Repository are read for what older and broken runs lack
	// (see fallback.go) and for billing.
	HeadCommit *Commit     `json:"head_commit"`
	Repository *Repository `json:"repository"`
}

// Commit is a run's head commit.
type Commit struct {
	Message string `json:"message"`
	Author  struct {
		Name string `json:"name"`
	} `json:"author"`
}

// Repository is the repository of a run, as far as ghruns needs it.
type Repository struct {
	Private bool `json:"private"`
}

// Completed reports whether the run has finished, whatever its conclusion.
func (r Run) Completed() bool { return r.Status == StatusCompleted }

// StartedTime is when the run started, falling back to its creation time
// for runs that GitHub has not started yet.
func (r Run) StartedTime() time.Time {
	if r.RunStartedAt.IsZero() {
		return r.CreatedAt
	}
	return r.RunStartedAt
}

// Elapsed is the run's wall-clock time so far: until its last update once
// completed, until now while it runs.
func (r Run) Elapsed(now time.Time) time.Duration {
	end := r.UpdatedAt
	if !r.Completed() {
		end = now
	}
	d := end.Sub(r.StartedTime())
	if d < 0 {
		return 0
	}
	return d.Round(time.Second)
}

// ActorLogin is the login of the user who triggered the run. Runs from
// before 2021 name nobody but the head commit's author, whose name it then is;
// "" when there is none.
func (r Run) ActorLogin() string {
	switch {
	case r.Actor != nil:
		return r.Actor.Login
	case r.TriggeringActor != nil:
		return r.TriggeringActor.Login
	case r.HeadCommit != nil:
		return r.HeadCommit.Author.Name
	}
	return ""
}

// Step is one step of a job.
type Step struct {
	Name        string     `json:"name"`
	Number      int        `json:"number"`
	Status      Status     `json:"status"`
	Conclusion  Conclusion `json:"conclusion"`
	StartedAt   time.Time  `json:"started_at"`
	CompletedAt time.Time  `json:"completed_at"`
}

// Job is one job of a workflow run.
type Job struct {
	ID          int64      `json:"id"`
	RunID       int64      `json:"run_id"`
	RunAttempt  int        `json:"run_attempt"`
	Name        string     `json:"name"`
	Status      Status     `json:"status"`
	Conclusion  Conclusion `json:"conclusion"`
	StartedAt   time.Time  `json:"started_at"`
	CompletedAt time.Time  `json:"completed_at"`
	HTMLURL     string     `json:"html_url"`
	Labels      []string   `json:"labels"`
	RunnerName  string     `json:"runner_name"`
	Steps       []Step     `json:"steps"`
}

// Completed reports whether the job has finished, whatever its conclusion.
func (j Job) Completed() bool { return j.Status == StatusCompleted }

// Duration is how long the job ran, or has been running at now.
func (j Job) Duration(now time.Time) time.Duration {
	if j.StartedAt.IsZero() {
		return 0
	}
	end := j.CompletedAt
	if !j.Completed() || end.IsZero() {
		end = now
	}
	d := end.Sub(j.StartedAt)
	if d < 0 {
		return 0
	}
	return d.Round(time.Second)
}

// Workflow is a workflow file of a repository.
type Workflow struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Path  string `json:"path"`
	State string `json:"state"`
}

// JobRun is one job's billable time in a usage report.
type JobRun struct {
	JobID      int64 `json:"job_id"`
	DurationMS int64 `json:"duration_ms"`
}

// OSUsage is the billable time on one runner OS.
type OSUsage struct {
	TotalMS int64    `json:"total_ms"`
	Jobs    int      `json:"jobs"`
	JobRuns []JobRun `json:"job_runs,omitempty"`
}

// Usage is a run's billable time per runner OS (UBUNTU, MACOS, WINDOWS)
// and its wall-clock duration, from the timing endpoint.
type Usage struct {
	Billable      map[string]OSUsage `json:"billable"`
	RunDurationMS int64              `json:"run_duration_ms"`
}
