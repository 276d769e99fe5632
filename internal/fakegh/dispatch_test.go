package fakegh

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDispatch: a dispatch with return_run_details answers 200 with a new
// queued workflow_dispatch run on the ref; without it, 204; bad inputs are
// refused and start no run.
func TestDispatch(t *testing.T) {
	s := Start(t)
	Seed(s)
	SeedDispatch(s)
	before := s.runCount()
	res := fetch(t, s, "POST", "workflows/deploy.yml/dispatches", `{"ref":"main","inputs":{"environment":"staging"},"return_run_details":true}`)
	wantStatus(t, res, http.StatusOK)
	var d struct {
		ID      int64  `json:"workflow_run_id"`
		RunURL  string `json:"run_url"`
		HTMLURL string `json:"html_url"`
	}
	if err := json.Unmarshal([]byte(res.body), &d); err != nil || d.ID == 0 || !strings.HasSuffix(d.RunURL, "/repos/octo/hello/actions/runs/"+strconv.FormatInt(d.ID, 10)) {
		t.Fatalf("answer %s (%v)", res.body, err)
	}
	r, ok := s.Run(d.ID)
	if !ok || r.Status != "queued" || r.Event != "workflow_dispatch" || r.HeadBranch != "main" || r.WorkflowID != 2 {
		t.Errorf("dispatched run %+v", r)
	}
	wantStatus(t, fetch(t, s, "POST", "workflows/2/dispatches", `{"ref":"v1","inputs":{"environment":"production"}}`), http.StatusNoContent)
	for body, why := range map[string]string{
		`{"inputs":{"environment":"staging"}}`:                `\"ref\" wasn't supplied.`,
		`{"ref":"main"}`:                                      `Required input 'environment' not provided`,
		`{"ref":"main","inputs":{"environment":"x","y":"z"}}`: `Unexpected inputs provided: [\"y\"]`,
	} {
		r := fetch(t, s, "POST", "workflows/2/dispatches", body)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, why) {
			t.Errorf("%s: answer %s, want %s", body, r.body, why)
		}
	}
	if got := s.runCount(); got != before+2 {
		t.Errorf("%d runs after two dispatches, want %d", got, before+2)
	}
	s.DispatchWithoutDetails()
	wantStatus(t, fetch(t, s, "POST", "workflows/1/dispatches", `{"ref":"main","return_run_details":true}`), http.StatusNoContent)
	wantStatus(t, fetch(t, s, "POST", "workflows/nope.yml/dispatches", `{"ref":"main"}`), http.StatusNotFound)
}

// TestDispatchedRunProgresses: with ProgressDispatched the run starts,
// then completes with the conclusion asked for.
func TestDispatchedRunProgresses(t *testing.T) {
	s := Start(t)
	Seed(s)
	s.ProgressDispatched(20*time.Millisecond, 3, "failure")
	wantStatus(t, fetch(t, s, "POST", "workflows/3/dispatches", `{"ref":"main","return_run_details":true}`), http.StatusOK)
	var id int64
	s.mu.Lock()
	for _, rs := range s.runs {
		id = max(id, rs.ID)
	}
	s.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, _ := s.Run(id)
		if r.Status == "completed" {
			if r.Conclusion != "failure" {
				t.Errorf("completed with %s, want failure", r.Conclusion)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("run still %s", r.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestWorkflowFile: the contents route serves a workflow's file in base64;
// a workflow with no file given is 404.
func TestWorkflowFile(t *testing.T) {
	s := Start(t)
	Seed(s)
	SeedDispatch(s)
	res := fetch(t, s, "GET", s.URL+"/repos/octo/hello/contents/.github/workflows/deploy.yml?ref=main", "")
	wantStatus(t, res, http.StatusOK)
	var f struct{ Type, Encoding, Content string }
	if err := json.Unmarshal([]byte(res.body), &f); err != nil {
		t.Fatal(err)
	}
	text, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(f.Content, "\n", ""))
	if err != nil || f.Type != "file" || !strings.Contains(string(text), "required: true") {
		t.Errorf("file %q (%v) from %s", text, err, res.body)
	}
	wantStatus(t, fetch(t, s, "GET", s.URL+"/repos/octo/hello/contents/.github/workflows/nightly.yml", ""), http.StatusNotFound)
}

// runCount is how many runs the server has.
func (s *Server) runCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.runs)
}

// TestDispatchedRunEndsCompleted: however short the step, a dispatched run
// starts, then completes, and stays completed (the two moves never swap).
func TestDispatchedRunEndsCompleted(t *testing.T) {
	s := Start(t)
	Seed(s)
	SeedDispatch(s)
	s.ProgressDispatched(time.Microsecond, 1, "success")
	var ids []int64
	for range 50 {
		res := fetch(t, s, "POST", "workflows/1/dispatches", `{"ref":"main","return_run_details":true}`)
		wantStatus(t, res, http.StatusOK)
		var d struct {
			ID int64 `json:"workflow_run_id"`
		}
		if err := json.Unmarshal([]byte(res.body), &d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	time.Sleep(100 * time.Millisecond)
	for _, id := range ids {
		if r, _ := s.Run(id); r.Status != "completed" || r.Conclusion != "success" {
			t.Errorf("run %d is %s/%s, want completed/success", id, r.Status, r.Conclusion)
		}
	}
}
