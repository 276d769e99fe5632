package fakegh

import (
	"net/http"
	"strings"
	"testing"
)

// TestUpdateRun changes a run while a client polls it: the next answer
// shows the change under a new ETag, so a conditional request gets 200.
func TestUpdateRun(t *testing.T) {
	s := Start(t)
	Seed(s)
	first := fetch(t, s, "GET", "runs/7000000113/jobs", "")
	wantStatus(t, first, http.StatusOK)
	etag := first.Header.Get("ETag")
	same := fetch(t, s, "GET", "runs/7000000113/jobs", "", header("If-None-Match", etag))
	wantStatus(t, same, http.StatusNotModified)

	ok := s.UpdateRun(InProgressRun, func(r *Run) {
		j := r.Job("test")
		st := j.Step(2)
		st.Status, st.Conclusion = "completed", "success"
		if r.Job("nope") != nil || j.Step(9) != nil {
			t.Error("found a job or step that is not there")
		}
	})
	if !ok {
		t.Fatal("UpdateRun: run not found")
	}
	changed := fetch(t, s, "GET", "runs/7000000113/jobs", "", header("If-None-Match", etag))
	wantStatus(t, changed, http.StatusOK)
	if changed.Header.Get("ETag") == etag || !strings.Contains(changed.body, `"conclusion":"success","name":"Run test","number":2,"started_at":"2026-11-20T11:55:09Z","status":"completed"`) {
		t.Errorf("the change is not served: ETag %s, body %s", changed.Header.Get("ETag"), changed.body)
	}
	if r, _ := s.Run(InProgressRun); r.Jobs[1].Steps[1].Conclusion != "success" {
		t.Errorf("Run shows %+v", r.Jobs[1].Steps[1])
	}
	if s.UpdateRun(42, func(*Run) { t.Error("edit called for a missing run") }) {
		t.Error("UpdateRun(42) reported a run")
	}
}
