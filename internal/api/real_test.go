package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// A 422 whose "errors" are plain strings keeps GitHub's message, each
// string and the request ID GitHub support asks for.
func TestErrorWithStringErrors(t *testing.T) {
	s, c := fake(t, 1)
	s.Refuse(fakegh.Refusal{Method: "POST", Path: "runs/7000000110/rerun", Status: http.StatusUnprocessableEntity,
		Message: "Validation Failed", Errors: []string{"the workflow file is invalid", "this run is too old"}})
	err := c.Rerun(context.Background(), repo, 7000000110, 0, false, false)
	var he *HTTPError
	if !errors.As(err, &he) || he.RequestID == "" {
		t.Fatalf("error %#v", err)
	}
	want := "Validation Failed; the workflow file is invalid; this run is too old (HTTP 422, request ID " + he.RequestID + ")"
	if err.Error() != want {
		t.Errorf("message %q\nwant    %q", err.Error(), want)
	}
}

// Runs from before 2021 and broken runs lack fields: the title comes from the
// head commit's first line, the workflow's name from the workflows list, the
// actor from the commit's author, and the attempt is 1.
func TestRunFallbacks(t *testing.T) {
	s := fakegh.Start(t)
	s.Token = token
	fakegh.SeedHistoric(s)
	c, err := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	legacy, err := c.GetRun(ctx, repo, 6000000001, 0)
	if err != nil {
		t.Fatal(err)
	}
	if legacy.DisplayTitle != "Speed up the parser" || legacy.Name != "Build" || legacy.ActorLogin() != "Mona Lisa Octocat" || legacy.RunAttempt != 1 {
		t.Errorf("legacy run: title %q, workflow %q, actor %q, attempt %d", legacy.DisplayTitle, legacy.Name, legacy.ActorLogin(), legacy.RunAttempt)
	}
	list, err := c.ListRuns(ctx, repo, RunFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Runs {
		if r.Name == "" || strings.HasPrefix(r.Name, ".github/") || r.DisplayTitle == "" || r.RunAttempt < 1 || r.ActorLogin() == "" {
			t.Errorf("run %d: title %q, workflow %q, actor %q, attempt %d", r.ID, r.DisplayTitle, r.Name, r.ActorLogin(), r.RunAttempt)
		}
		if r.ID == 6000000002 && r.Name != "Release" {
			t.Errorf("startup failure named %q, want Release", r.Name)
		}
	}
	// The workflows are listed once, however many runs need them.
	n := 0
	for _, req := range s.Requests() {
		if strings.HasSuffix(req.Path, "/actions/workflows") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("workflows listed %d times, want 1", n)
	}
}

// When the workflows list does not name a startup failure's workflow (here
// the listing is refused), the workflow is asked for by its file name, once.
func TestRunFallbackWorkflowByFile(t *testing.T) {
	s := fakegh.Start(t)
	s.Token = token
	fakegh.SeedHistoric(s)
	s.Refuse(fakegh.Refusal{Method: "GET", Path: "workflows", Status: http.StatusForbidden, Message: "Resource not accessible by integration"})
	c, err := New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 2 {
		r, err := c.GetRun(ctx, repo, 6000000002, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r.Name != "Release" {
			t.Errorf("startup failure named %q, want Release", r.Name)
		}
	}
	n := 0
	for _, req := range s.Requests() {
		if strings.HasSuffix(req.Path, "/actions/workflows/release.yml") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("workflow asked for by its file %d times, want 1", n)
	}
}

// Jobs that carry no run_attempt (GitHub's answers of 2021) are still the
// jobs of the attempt asked for.
func TestJobsOfAttemptWithoutRunAttempt(t *testing.T) {
	s := fakegh.Start(t)
	fakegh.SeedHistoric(s)
	c, err := New(Options{BaseURL: s.URL, UserAgent: "ghruns/test", Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := c.ListJobs(context.Background(), repo, 6000000001, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].Name != "build" {
		t.Errorf("jobs of attempt 1: %+v, want build", jobs)
	}
}

// A completed run ends with its last job; without jobs, an updated_at that
// GitHub moved past any run's length gives no elapsed time.
func TestRunElapsed(t *testing.T) {
	s := fakegh.Start(t)
	fakegh.SeedHistoric(s)
	c, _ := New(Options{BaseURL: s.URL, UserAgent: "ghruns/test", Concurrency: 1})
	ctx := context.Background()
	r, err := c.GetRun(ctx, repo, 6000000003, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := RunElapsed(*r, nil, fakegh.SeedBase); ok {
		t.Errorf("elapsed from a moved updated_at: %v", d)
	}
	jobs, err := c.ListJobs(ctx, repo, r.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The job started 2s after the run and ran 2m20s.
	if d, ok := RunElapsed(*r, jobs, fakegh.SeedBase); !ok || d != 2*time.Minute+22*time.Second {
		t.Errorf("elapsed from the jobs: %v %v, want 2m22s", d, ok)
	}
}
