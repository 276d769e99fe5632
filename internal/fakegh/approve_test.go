package fakegh

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestApproveForkRun: a fork run in action_required is approved once and
// queued; a second approval, and one of a run not from a fork, are refused.
func TestApproveForkRun(t *testing.T) {
	s := Start(t)
	Seed(s)
	SeedApprovals(s)
	wantStatus(t, fetch(t, s, "POST", "runs/7000000202/approve", ""), http.StatusCreated)
	if r, _ := s.Run(ForkRun); r.Status != "queued" || r.Conclusion != "" {
		t.Errorf("after approval the run is %s/%s, want queued", r.Status, r.Conclusion)
	}
	again := fetch(t, s, "POST", "runs/7000000202/approve", "")
	wantStatus(t, again, http.StatusForbidden)
	wantStatus(t, fetch(t, s, "POST", "runs/7000000110/approve", ""), http.StatusForbidden)
	wantStatus(t, fetch(t, s, "POST", "runs/1/approve", ""), http.StatusNotFound)
	if !strings.Contains(again.body, `"documentation_url":"https://docs.github.com/rest/actions/workflow-runs#approve-a-workflow-run-for-a-fork-pull-request"`) {
		t.Errorf("refusal body %s", again.body)
	}
}

// TestReviewDeployments: the waiting run lists both environments; approving
// one leaves the other; approving that one lets the run go on.
func TestReviewDeployments(t *testing.T) {
	s := Start(t)
	SeedApprovals(s)
	list := fetch(t, s, "GET", "runs/7000000201/pending_deployments", "")
	wantStatus(t, list, http.StatusOK)
	var pds []struct {
		Environment struct {
			ID   int64
			Name string
		}
		CurrentUserCanApprove bool `json:"current_user_can_approve"`
	}
	if err := json.Unmarshal([]byte(list.body), &pds); err != nil || len(pds) != 2 ||
		pds[0].Environment.Name != "staging" || pds[1].Environment.ID != ProductionEnvironment.ID || !pds[0].CurrentUserCanApprove {
		t.Fatalf("pending deployments %+v (%v) from %s", pds, err, list.body)
	}
	for body, why := range map[string]string{
		`{"state":"approved","comment":"ok"}`:                            `\"environment_ids\" wasn't supplied.`,
		`{"environment_ids":[161171787],"comment":"ok"}`:                 `\"state\" wasn't supplied.`,
		`{"environment_ids":[161171787],"state":"approved"}`:             `\"comment\" wasn't supplied.`,
		`{"environment_ids":[161171787],"state":"maybe","comment":"ok"}`: `is not one of`,
		`{"environment_ids":[1],"state":"approved","comment":"ok"}`:      `Environment 1 is not waiting`,
	} {
		r := fetch(t, s, "POST", "runs/7000000201/pending_deployments", body)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, why) {
			t.Errorf("%s: answer %s, want %s", body, r.body, why)
		}
	}
	ok := fetch(t, s, "POST", "runs/7000000201/pending_deployments", `{"environment_ids":[161171787],"state":"approved","comment":"ok"}`)
	wantStatus(t, ok, http.StatusOK)
	if got := s.PendingEnvironments(WaitingDeployRun); !slices.Equal(got, []string{"production"}) {
		t.Errorf("still pending %v, want production", got)
	}
	if r, _ := s.Run(WaitingDeployRun); r.Status != "waiting" {
		t.Errorf("with production pending the run is %s", r.Status)
	}
	wantStatus(t, fetch(t, s, "POST", "runs/7000000201/pending_deployments", `{"environment_ids":[161171788],"state":"approved","comment":"ok"}`), http.StatusOK)
	if r, _ := s.Run(WaitingDeployRun); r.Status != "in_progress" || len(s.PendingEnvironments(WaitingDeployRun)) != 0 {
		t.Errorf("after both approvals the run is %s, pending %v", r.Status, s.PendingEnvironments(WaitingDeployRun))
	}
}

// TestRejectDeployment: rejecting one environment fails the run.
func TestRejectDeployment(t *testing.T) {
	s := Start(t)
	SeedApprovals(s)
	wantStatus(t, fetch(t, s, "POST", "runs/7000000201/pending_deployments", `{"environment_ids":[161171788],"state":"rejected","comment":"not today"}`), http.StatusOK)
	if r, _ := s.Run(WaitingDeployRun); r.Status != "completed" || r.Conclusion != "failure" || len(s.PendingEnvironments(WaitingDeployRun)) != 0 {
		t.Errorf("after a rejection the run is %s/%s, pending %v", r.Status, r.Conclusion, s.PendingEnvironments(WaitingDeployRun))
	}
}
