package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fakegh.Example(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// roundTrip checks that every field our type declares has, after decoding
// the official example and encoding it again, the example's value.
func roundTrip(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	again, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var orig, got map[string]any
	json.Unmarshal(raw, &orig)
	json.Unmarshal(again, &got)
	for key, want := range got {
		o, ok := orig[key]
		if !ok {
			continue // a field the example lacks encodes as its zero value
		}
		if o == nil && (want == "" || want == nil) {
			continue // GitHub's null is our zero value
		}
		if ts, isStr := o.(string); isStr {
			if tm, err := time.Parse(time.RFC3339, ts); err == nil {
				gt, _ := time.Parse(time.RFC3339, want.(string))
				if !tm.Equal(gt) {
					t.Errorf("%s: %v after re-encoding, example has %v", key, want, o)
				}
				continue
			}
		}
		if key == "actor" || key == "triggering_actor" {
			o = map[string]any{"login": o.(map[string]any)["login"], "id": o.(map[string]any)["id"]}
		}
		if key == "head_commit" {
			author := o.(map[string]any)["author"].(map[string]any)
			o = map[string]any{"message": o.(map[string]any)["message"], "author": map[string]any{"name": author["name"]}}
		}
		if key == "repository" {
			o = map[string]any{"private": o.(map[string]any)["private"]}
		}
		if key == "steps" || key == "billable" {
			continue // compared field by field below
		}
		if !reflect.DeepEqual(o, want) {
			t.Errorf("%s: %v after re-encoding, example has %v", key, want, o)
		}
	}
}

func TestExamplesDecode(t *testing.T) {
	t.Run("workflow-run", func(t *testing.T) {
		var r Run
		roundTrip(t, example(t, "workflow-run.json"), &r)
		if r.ID != 30433642 || r.Name != "Build" || r.HeadBranch != "main" || r.Status != "queued" ||
			r.RunAttempt != 1 || r.ActorLogin() != "octocat" || r.Event != "push" {
			t.Errorf("decoded run: %+v", r)
		}
		if r.CreatedAt.IsZero() || r.HTMLURL == "" {
			t.Errorf("decoded run lacks times or URL: %+v", r)
		}
	})
	t.Run("workflow-run-paginated", func(t *testing.T) {
		var p runsPage
		if err := json.Unmarshal(example(t, "workflow-run-paginated.json"), &p); err != nil {
			t.Fatal(err)
		}
		if p.TotalCount != 1 || len(p.Runs) != 1 || p.Runs[0].ID == 0 {
			t.Errorf("page: %+v", p)
		}
	})
	t.Run("job-paginated", func(t *testing.T) {
		var raw struct{ Jobs []json.RawMessage }
		json.Unmarshal(example(t, "job-paginated.json"), &raw)
		var j Job
		roundTrip(t, raw.Jobs[0], &j)
		if j.ID != 399444496 || j.Name != "build" || j.Conclusion != "success" || len(j.Steps) != 10 || j.Steps[1].Name != "Run actions/checkout@v2" {
			t.Errorf("decoded job: %+v", j)
		}
		// The example mixes offsets: 09:42:40-08:00 is 17:42:40Z.
		if !j.Steps[0].StartedAt.Equal(j.StartedAt) {
			t.Errorf("step 1 starts %v, job %v", j.Steps[0].StartedAt, j.StartedAt)
		}
		if d := j.Duration(time.Time{}); d != 119*time.Second {
			t.Errorf("job duration %v, want 1m59s", d)
		}
	})
	t.Run("workflow", func(t *testing.T) {
		var w Workflow
		roundTrip(t, example(t, "workflow.json"), &w)
		if w.ID != 161335 || w.Name != "CI" || w.State != "active" {
			t.Errorf("decoded workflow: %+v", w)
		}
	})
	t.Run("workflow-run-usage", func(t *testing.T) {
		var u Usage
		roundTrip(t, example(t, "workflow-run-usage.json"), &u)
		if u.Billable["UBUNTU"].TotalMS != 180000 || u.Billable["MACOS"].Jobs != 4 || u.Billable["WINDOWS"].TotalMS != 300000 || u.RunDurationMS != 500000 {
			t.Errorf("decoded usage: %+v", u)
		}
	})
}

// TestNullableFields: fields GitHub marks nullable decode to zero values.
func TestNullableFields(t *testing.T) {
	var m map[string]any
	json.Unmarshal(example(t, "workflow-run.json"), &m)
	for _, k := range []string{"conclusion", "head_commit", "previous_attempt_url", "pull_requests", "head_branch", "name", "run_started_at", "actor", "triggering_actor"} {
		m[k] = nil
	}
	raw, _ := json.Marshal(m)
	var r Run
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("decode with nulls: %v", err)
	}
	if r.Conclusion != "" || r.HeadBranch != "" || r.PreviousAttemptURL != "" || r.ActorLogin() != "" || !r.RunStartedAt.IsZero() {
		t.Errorf("nulls decoded to %+v", r)
	}
	if !r.StartedTime().Equal(r.CreatedAt) {
		t.Errorf("a run not started yet starts at its creation: %v", r.StartedTime())
	}
	if strings.Contains(string(raw), `"pull_requests":[`) {
		t.Error("test setup: pull_requests not null")
	}
}
