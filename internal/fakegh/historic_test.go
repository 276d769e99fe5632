package fakegh

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
)

func object(t *testing.T, r reply) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
	return m
}

// Runs from before 2021 lack the fields GitHub added later, and so do their jobs.
func TestLegacyRunLacksLaterFields(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	r := fetch(t, s, "GET", "runs/6000000001", "")
	wantStatus(t, r, http.StatusOK)
	m := object(t, r)
	for _, k := range []string{"name", "display_title", "run_attempt", "run_started_at", "actor", "triggering_actor"} {
		if _, ok := m[k]; ok {
			t.Errorf("legacy run has %q", k)
		}
	}
	commit := m["head_commit"].(map[string]any)
	if commit["message"] != "Speed up the parser\n\nIt read every file twice." || commit["author"].(map[string]any)["name"] != "Mona Lisa Octocat" {
		t.Errorf("head commit %v", commit)
	}
	jobs := object(t, fetch(t, s, "GET", "runs/6000000001/jobs", ""))["jobs"].([]any)
	if _, ok := jobs[0].(map[string]any)["run_attempt"]; len(jobs) != 1 || ok {
		t.Errorf("legacy jobs %v: want one, without run_attempt", jobs)
	}
	// The documented per-attempt listing has the job too.
	byAttempt := object(t, fetch(t, s, "GET", "runs/6000000001/attempts/1/jobs", ""))["jobs"].([]any)
	if len(byAttempt) != 1 {
		t.Errorf("attempts/1/jobs: %d jobs, want 1", len(byAttempt))
	}
}

// A startup_failure run may carry its workflow's file path as its name.
func TestStartupFailureNamedByPath(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	m := object(t, fetch(t, s, "GET", "runs/6000000002", ""))
	if m["name"] != ".github/workflows/release.yml" || m["conclusion"] != "startup_failure" || m["path"] != ".github/workflows/release.yml" {
		t.Errorf("name %v, conclusion %v, path %v", m["name"], m["conclusion"], m["path"])
	}
}

// The repository's runs are also served under /repositories/{id}/, the form
// of GitHub's Link headers, and every answer carries a request ID.
func TestRepositoriesPath(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	r := fetch(t, s, "GET", fmt.Sprintf("%s/repositories/%d/actions/runs/6000000003", s.URL, s.RepoID), "")
	wantStatus(t, r, http.StatusOK)
	if object(t, r)["id"] != float64(6000000003) || r.Header.Get("X-GitHub-Request-Id") == "" {
		t.Errorf("run %v, request ID %q", object(t, r)["id"], r.Header.Get("X-GitHub-Request-Id"))
	}
	other := fetch(t, s, "GET", "runs/6000000003", "")
	if other.Header.Get("X-GitHub-Request-Id") == r.Header.Get("X-GitHub-Request-Id") {
		t.Errorf("two answers share the request ID %s", r.Header.Get("X-GitHub-Request-Id"))
	}
}

// A refusal may carry "errors" as plain strings.
func TestRefusalWithStringErrors(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	s.Refuse(Refusal{Method: "POST", Path: "runs/6000000003/rerun", Status: http.StatusUnprocessableEntity,
		Message: "Validation Failed", Errors: []string{"this run is too old to be re-run"}})
	r := fetch(t, s, "POST", "runs/6000000003/rerun", "")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	m := object(t, r)
	if m["message"] != "Validation Failed" || !slices.Equal(m["errors"].([]any), []any{"this run is too old to be re-run"}) {
		t.Errorf("body %s", r.body)
	}
}

// Timing may report zero billable time with job counts, as GitHub does for
// public repositories, while the jobs show what ran.
func TestZeroTimingWithJobs(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	b := object(t, fetch(t, s, "GET", "runs/6000000004/timing", ""))["billable"].(map[string]any)
	u := b["UBUNTU"].(map[string]any)
	if u["total_ms"] != float64(0) || u["jobs"] != float64(1) {
		t.Errorf("UBUNTU %v", u)
	}
}

// The repository is private unless Public is set.
func TestRepositoryVisibility(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	private := func() any {
		return object(t, fetch(t, s, "GET", "runs/6000000004", ""))["repository"].(map[string]any)["private"]
	}
	if private() != true {
		t.Errorf("default repository: private %v", private())
	}
	s.Public = true
	if private() != false {
		t.Errorf("public repository: private %v", private())
	}
}

// Deleted logs answer 404 while the run is still there.
func TestLogsGoneAfterDelete(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	wantStatus(t, fetch(t, s, "GET", "runs/6000000003/logs", ""), http.StatusFound)
	wantStatus(t, fetch(t, s, "DELETE", "runs/6000000003/logs", ""), http.StatusNoContent)
	wantStatus(t, fetch(t, s, "GET", "runs/6000000003/logs", ""), http.StatusNotFound)
	wantStatus(t, fetch(t, s, "GET", "runs/6000000003", ""), http.StatusOK)
}

// Two jobs of one name: the archive names the second one's file and folder
// with a " (1)" suffix.
func TestArchiveOfJobsSharingAName(t *testing.T) {
	s := Start(t)
	SeedHistoric(s)
	run, _ := s.Run(6000000005)
	zr, err := zip.NewReader(bytes.NewReader(run.Logs), int64(len(run.Logs)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	for _, want := range []string{"0_build.txt", "1_build (1).txt", "build/2_Run build.txt", "build (1)/2_Run build.txt"} {
		if !slices.Contains(names, want) {
			t.Errorf("archive lacks %q: %q", want, names)
		}
	}
}
