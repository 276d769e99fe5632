package fakegh

import (
	"net/http"
	"net/url"
	"time"
)

// Reporter receives contract violations and unexpected requests; *testing.T satisfies it.
type Reporter interface {
	Errorf(format string, args ...any)
}

// Workflow is a workflow file of the repository.
type Workflow struct {
	ID int64
	// Name is the workflow's name; two workflows may share one.
	Name string
	// Path is the file's path, like ".github/workflows/ci.yml".
	Path string
	// State is one of GitHub's workflow states; "" means "active".
	State string
}

// Step is one step of a job.
type Step struct {
	Name                   string
	Number                 int
	Status, Conclusion     string // Conclusion "" renders as null
	StartedAt, CompletedAt time.Time
}

// Job is one job of a run's attempt.
type Job struct {
	ID                     int64
	Name                   string
	Status, Conclusion     string // Conclusion "" renders as null
	StartedAt, CompletedAt time.Time
	// Labels are the runs-on labels, like ["ubuntu-latest"].
	Labels []string
	// RunnerName is "" while the job waits for a runner; runner fields then render as null.
	RunnerName string
	Steps      []Step
	// Annotations are the job's check-run annotations; nil gives a failed
	// job GitHub's one for each failed step ("Process completed with exit code 1.").
	Annotations []Annotation
}

// Annotation is one annotation of a job's check run.
type Annotation struct {
	Path               string
	StartLine, EndLine int
	Level              string // notice, warning or failure
	Title, Message     string
}

// JobRun is one job's billable duration.
type JobRun struct {
	JobID, DurationMS int64
}

// UsageOS is the billable time of a run on one runner operating system.
type UsageOS struct {
	TotalMS int64
	Jobs    int
	JobRuns []JobRun
}

// Usage is what GET …/runs/{id}/timing reports; a nil *UsageOS is left out of billable.
type Usage struct {
	Ubuntu, MacOS, Windows *UsageOS
	RunDurationMS          int64
}

// Run is a workflow run as the fake stores it.
type Run struct {
	ID      int64
	Number  int
	Attempt int // 0 means 1
	// WorkflowID names the run's workflow; a workflow unknown to the server is
	// registered by AddRuns from Name.
	WorkflowID int64
	// Name is the workflow's name (run.name); "" takes the workflow's.
	Name string
	// DisplayTitle is the title shown for the run (commit message, PR title); "" takes Name.
	DisplayTitle string
	HeadBranch   string
	HeadSHA      string
	Event        string
	// Status is queued, in_progress, completed, ...; "" means completed when Conclusion
	// is set and queued otherwise.
	Status string
	// Conclusion is success, failure, ...; "" renders as null.
	Conclusion string
	// Actor is the login of the user who triggered the run.
	Actor string
	// CreatedAt orders listings (newest first); zero UpdatedAt and StartedAt take it.
	CreatedAt, UpdatedAt, StartedAt time.Time
	Jobs                            []Job
	// Usage is nil when GitHub has no billing data: timing then answers with an empty billable {}.
	Usage *Usage
	// Logs is the run's log archive (a zip); nil makes GET …/logs answer 404,
	// as GitHub does once a run's logs are deleted or expired.
	Logs []byte
	// CommitMessage is the head commit's message; "" takes DisplayTitle.
	CommitMessage string
	// Legacy renders the run as GitHub serves runs from before 2021: with no
	// name, display_title, run_attempt, run_started_at, actor or
	// triggering_actor, and its jobs with no run_attempt.
	Legacy bool
}

// Request is one request as a host of the fake received it.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}
