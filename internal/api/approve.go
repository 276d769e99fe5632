package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// AwaitsApproval reports whether the run waits for a maintainer to approve
// it: GitHub holds runs of pull requests from forks (by first-time or
// outside contributors, as the repository's settings say) completed with
// the conclusion action_required until someone approves them.
func (r Run) AwaitsApproval() bool {
	return r.Conclusion == ConclusionActionRequired
}

// AwaitsReview reports whether the run waits on an environment's
// protection rules, such as required reviewers: GitHub shows such a run as
// waiting, and lists what it waits on as pending deployments.
func (r Run) AwaitsReview() bool {
	return r.Status == StatusWaiting
}

// Environment is a deployment environment, as a pending deployment names it.
type Environment struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// PendingDeployment is an environment a run waits on. See
// https://docs.github.com/rest/actions/workflow-runs#get-pending-deployments-for-a-workflow-run
type PendingDeployment struct {
	Environment Environment `json:"environment"`
	// WaitTimer is the environment's wait timer, in minutes; 0 when none.
	WaitTimer int `json:"wait_timer"`
	// WaitTimerStartedAt is when the timer started; zero when GitHub gave none.
	WaitTimerStartedAt time.Time `json:"wait_timer_started_at"`
	// CanApprove is whether the token's user may review the deployment.
	CanApprove bool `json:"current_user_can_approve"`
	// Reviewers are the people and teams who may review it.
	Reviewers []Reviewer `json:"reviewers"`
}

// Reviewer is a person or team who may review a deployment.
type Reviewer struct {
	// Type is "User" or "Team".
	Type string `json:"type"`
	// Reviewer is the user or team object as GitHub gave it: their fields
	// differ, and --json passes it on unchanged.
	Reviewer json.RawMessage `json:"reviewer"`
}

// Approve approves a fork pull request's run that waits in
// action_required. GitHub refuses (403) a run that does not wait so. It is
// sent once: a repeat after a lost answer would meet a run that no longer
// waits, and be refused.
func (c *Client) Approve(ctx context.Context, repo Repo, id int64) error {
	_, err := c.doWith(ctx, http.MethodPost, runPath(repo, id, "approve"), nil, nil, nil, sendOpts{})
	return err
}

// PendingDeployments lists the environments a run waits on.
func (c *Client) PendingDeployments(ctx context.Context, repo Repo, id int64) ([]PendingDeployment, error) {
	var out []PendingDeployment
	_, err := c.doWith(ctx, http.MethodGet, runPath(repo, id, "pending_deployments"), nil, nil, &out, sendOpts{retry: true})
	return out, err
}

// Review is a decision on a run's pending deployments.
type Review struct {
	EnvironmentIDs []int64 `json:"environment_ids"`
	// State is "approved" or "rejected".
	State string `json:"state"`
	// Comment is required by GitHub.
	Comment string `json:"comment"`
}

// The states of a Review.
const (
	ReviewApproved = "approved"
	ReviewRejected = "rejected"
)

// ReviewDeployments approves or rejects a run's pending deployments to the
// environments named in rv. See
// https://docs.github.com/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run
func (c *Client) ReviewDeployments(ctx context.Context, repo Repo, id int64, rv Review) error {
	_, err := c.doWith(ctx, http.MethodPost, runPath(repo, id, "pending_deployments"), nil, rv, nil, sendOpts{})
	return err
}
