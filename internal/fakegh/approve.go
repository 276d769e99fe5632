package fakegh

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The runs SeedApprovals adds: runs that wait on a person.
const (
	// ForkRun is CI#58, a pull request from a fork by a first-time
	// contributor (newcomer), held completed/action_required until approved.
	ForkRun = 7000000202
	// SecondForkRun is CI#59, a second pull request's run from the same
	// fork, also waiting in action_required.
	SecondForkRun = 7000000203
	// WaitingDeployRun is Deploy#15 on main, waiting on the environments
	// staging and production, whose reviewers must approve it.
	WaitingDeployRun = 7000000201
)

// The environments WaitingDeployRun waits on.
var (
	StagingEnvironment    = Environment{ID: 161171787, Name: "staging"}
	ProductionEnvironment = Environment{ID: 161171788, Name: "production"}
)

// Environment is a deployment environment with protection rules.
type Environment struct {
	ID   int64
	Name string
	// WaitTimer is the minutes a deployment waits before it may go on.
	WaitTimer int
}

// approvals is what runs wait on beyond the run's own state: which runs
// come from forks, and the environments each run waits on.
type approvals struct {
	fork    map[int64]bool
	pending map[int64][]Environment
	since   map[int64]time.Time
}

// SeedApprovals adds, to a server seeded with Seed or not, two fork runs
// in action_required and a deployment waiting on two environments:
//
//	7000000203 CI#59       completed/action_required pull_request  newcomer:docs-typo  newcomer  11:58
//	7000000202 CI#58       completed/action_required pull_request  newcomer:patch-1    newcomer  11:57
//	7000000201 Deploy#15   waiting                   push          main                monalisa  11:56  on staging and production
func SeedApprovals(s *Server) {
	b := SeedBase
	fork := func(id int64, number int, title, branch string, created time.Time) Run {
		return Run{ID: id, Number: number, WorkflowID: 1, Name: "CI", DisplayTitle: title, HeadBranch: branch,
			HeadSHA: hexHash(fmt.Sprint("seed commit ", id)), Event: "pull_request", Status: "completed",
			Conclusion: "action_required", Actor: "newcomer", CreatedAt: created}
	}
	deploy := Run{ID: WaitingDeployRun, Number: 15, WorkflowID: 2, Name: "Deploy", DisplayTitle: "Deploy v1.5.0",
		HeadBranch: "main", HeadSHA: hexHash(fmt.Sprint("seed commit ", WaitingDeployRun)), Event: "push",
		Status: "waiting", Actor: "monalisa", CreatedAt: b.Add(-4 * time.Minute)}
	deploy.Jobs = []Job{{ID: 8000002011, Name: "deploy-staging", Status: "waiting", Labels: []string{"ubuntu-latest"}},
		{ID: 8000002012, Name: "deploy-production", Status: "waiting", Labels: []string{"ubuntu-latest"}}}
	s.AddWorkflows(Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"},
		Workflow{ID: 2, Name: "Deploy", Path: ".github/workflows/deploy.yml"})
	s.AddRuns(
		fork(SecondForkRun, 59, "Fix a typo in the README", "docs-typo", b.Add(-2*time.Minute)),
		fork(ForkRun, 58, "Support proxies", "patch-1", b.Add(-3*time.Minute)),
		deploy,
	)
	s.MarkFork(ForkRun, SecondForkRun)
	s.AddPendingDeployments(WaitingDeployRun, StagingEnvironment, ProductionEnvironment)
}

// MarkFork makes runs come from a fork: POST …/approve accepts them while
// they are in action_required.
func (s *Server) MarkFork(ids ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.approvals().fork[id] = true
	}
}

// AddPendingDeployments makes run id wait on envs, as a job that names a
// protected environment does; the run should be "waiting".
func (s *Server) AddPendingDeployments(id int64, envs ...Environment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.approvals()
	a.pending[id] = append(a.pending[id], envs...)
	if _, ok := a.since[id]; !ok {
		a.since[id] = s.now()
	}
}

// PendingEnvironments names the environments run id still waits on.
func (s *Server) PendingEnvironments(id int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for _, e := range s.approvals().pending[id] {
		names = append(names, e.Name)
	}
	return names
}

// approvals returns the state, made on first use; s.mu is held.
func (s *Server) approvals() *approvals {
	if s.waits == nil {
		s.waits = &approvals{fork: map[int64]bool{}, pending: map[int64][]Environment{}, since: map[int64]time.Time{}}
	}
	return s.waits
}

// approveRoutes are served by this file. GitHub has them; the description
// the fake checks against lacks them, so they get the header checks only.
var approveRoutes = []route{
	{"POST", "runs/{run_id}/approve", docRuns + "approve-a-workflow-run-for-a-fork-pull-request", false, (*Server).approveRun},
	{"GET", "runs/{run_id}/pending_deployments", docRuns + "get-pending-deployments-for-a-workflow-run", false, (*Server).pendingDeployments},
	{"POST", "runs/{run_id}/pending_deployments", docRuns + "review-pending-deployments-for-a-workflow-run", false, (*Server).reviewDeployments},
}

func init() { routes = append(routes, approveRoutes...) }

// approveRun serves POST …/approve: a fork run in action_required answers
// 201 with {} and is queued to run, as GitHub starts it; any other run is
// refused with 403 (the message is the fake's).
func (s *Server) approveRun(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	if !s.approvals().fork[rs.ID] || rs.Conclusion != "action_required" {
		return errorResponse(http.StatusForbidden, "This run is not waiting for approval of a fork pull request.", c.doc)
	}
	rs.Status, rs.Conclusion, rs.UpdatedAt = "queued", "", c.now
	return jsonResponse(http.StatusCreated, struct{}{})
}

// pendingDeployments serves GET …/pending_deployments: the environments
// the run waits on, each with monalisa as its required reviewer.
func (s *Server) pendingDeployments(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	rd := s.renderer()
	a := s.approvals()
	out := []map[string]any{}
	for _, e := range a.pending[rs.ID] {
		out = append(out, map[string]any{
			"environment": map[string]any{
				"id":       e.ID,
				"node_id":  nodeID("EN_", e.ID),
				"name":     e.Name,
				"url":      rd.base + "/environments/" + e.Name,
				"html_url": rd.web + "/deployments/activity_log?environments_filter=" + e.Name,
			},
			"wait_timer":               e.WaitTimer,
			"wait_timer_started_at":    rfc3339(a.since[rs.ID]),
			"current_user_can_approve": true,
			"reviewers":                []map[string]any{{"type": "User", "reviewer": rd.user("monalisa")}},
		})
	}
	return jsonResponse(http.StatusOK, out)
}

// reviewDeployments serves POST …/pending_deployments. Every field is
// required, as GitHub's documentation says; an environment the run does
// not wait on is refused with 422. Approving the last environment lets the
// run go on (in_progress); rejecting any fails the run, as its jobs are.
func (s *Server) reviewDeployments(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	var rv struct {
		EnvironmentIDs []int64 `json:"environment_ids"`
		State          *string `json:"state"`
		Comment        *string `json:"comment"`
	}
	if err := json.Unmarshal(c.body, &rv); err != nil {
		return errorResponse(http.StatusBadRequest, "Problems parsing JSON", c.doc)
	}
	switch {
	case rv.EnvironmentIDs == nil:
		return invalid(`"environment_ids" wasn't supplied.`, c.doc)
	case rv.State == nil:
		return invalid(`"state" wasn't supplied.`, c.doc)
	case rv.Comment == nil:
		return invalid(`"comment" wasn't supplied.`, c.doc)
	case *rv.State != "approved" && *rv.State != "rejected":
		return invalid(fmt.Sprintf("For 'properties/state', %q is not one of [\"approved\", \"rejected\"].", *rv.State), c.doc)
	}
	a := s.approvals()
	pending := a.pending[rs.ID]
	var reviewed []Environment
	for _, id := range rv.EnvironmentIDs {
		i := slices.IndexFunc(pending, func(e Environment) bool { return e.ID == id })
		if i < 0 {
			return errorResponse(http.StatusUnprocessableEntity, fmt.Sprintf("Environment %d is not waiting for review in this run.", id), c.doc)
		}
		reviewed = append(reviewed, pending[i])
	}
	pending = slices.DeleteFunc(pending, func(e Environment) bool { return slices.Contains(reviewed, e) })
	rs.UpdatedAt = c.now
	switch {
	case *rv.State == "rejected":
		delete(a.pending, rs.ID)
		rs.Status, rs.Conclusion = "completed", "failure"
	case len(pending) == 0:
		delete(a.pending, rs.ID)
		rs.Status = "in_progress"
	default:
		a.pending[rs.ID] = pending
	}
	rd := s.renderer()
	out := []map[string]any{}
	for i, e := range reviewed {
		out = append(out, map[string]any{
			"id":          rs.ID*10 + int64(i),
			"sha":         rs.HeadSHA,
			"ref":         rs.HeadBranch,
			"task":        "deploy",
			"environment": e.Name,
			"creator":     rd.user(rs.Actor),
			"created_at":  rfc3339(c.now),
			"updated_at":  rfc3339(c.now),
		})
	}
	return jsonResponse(http.StatusOK, out)
}

// invalid is GitHub's 422 for a body that breaks the operation's schema.
func invalid(why, doc string) response {
	return errorResponse(http.StatusUnprocessableEntity, "Invalid request.\n\n"+strings.TrimSpace(why), doc)
}
