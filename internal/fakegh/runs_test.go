package fakegh

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestErrors checks GitHub's error answers: 404, 409, 401 and the unauthenticated rules.
func TestErrors(t *testing.T) {
	s := Start(t)
	Seed(s)

	r := fetch(t, s, "GET", "runs/42", "")
	wantStatus(t, r, http.StatusNotFound)
	if want := `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run","status":"404"}`; r.body != want {
		t.Errorf("unknown run: %s\nwant %s", r.body, want)
	}
	r = fetch(t, s, "POST", "runs/7000000111/cancel", "")
	wantStatus(t, r, http.StatusConflict)
	if want := `{"message":"Cannot cancel a workflow run that is completed.","documentation_url":"https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run","status":"409"}`; r.body != want {
		t.Errorf("cancel completed run: %s\nwant %s", r.body, want)
	}
	wantStatus(t, fetch(t, s, "GET", "runs", "", func(r *http.Request) { r.URL.Path = "/repos/other/repo/actions/runs" }), http.StatusNotFound)

	s.Token = "right"
	r = fetch(t, s, "GET", "runs", "")
	wantStatus(t, r, http.StatusUnauthorized)
	if !strings.Contains(r.body, `"message":"Bad credentials"`) || !strings.Contains(r.body, `"status":"401"`) {
		t.Errorf("wrong token: %s", r.body)
	}
	wantStatus(t, fetch(t, s, "GET", "runs", "", header("Authorization", "token right")), http.StatusOK)
	wantStatus(t, fetch(t, s, "GET", "runs", "", header("Authorization", "Bearer right")), http.StatusOK)

	// No token at all: reading a public repository works with the lower limit;
	// changing anything needs authentication.
	anon := func(r *http.Request) { r.Header.Del("Authorization") }
	r = fetch(t, s, "GET", "runs/7000000111", "", anon)
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("X-RateLimit-Limit") != "60" {
		t.Errorf("unauthenticated limit %q, want 60", r.Header.Get("X-RateLimit-Limit"))
	}
	r = fetch(t, s, "POST", "runs/7000000113/cancel", "", anon)
	wantStatus(t, r, http.StatusUnauthorized)
	if !strings.Contains(r.body, `"message":"Requires authentication"`) {
		t.Errorf("unauthenticated cancel: %s", r.body)
	}
	if run, _ := s.Run(InProgressRun); run.Status != "in_progress" {
		t.Errorf("an unauthenticated cancel changed the run to %s", run.Status)
	}
}

// TestRateLimitAndETag checks the rate-limit headers and that a 304 costs nothing.
func TestRateLimitAndETag(t *testing.T) {
	s := Start(t)
	Seed(s)
	now := SeedBase
	s.Now = func() time.Time { return now }

	first := fetch(t, s, "GET", "runs/7000000111", "")
	wantStatus(t, first, http.StatusOK)
	h := first.Header
	for k, want := range map[string]string{
		"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Used": "1",
		"X-RateLimit-Reset": strconv.FormatInt(now.Add(time.Hour).Unix(), 10), "X-RateLimit-Resource": "core",
		"X-GitHub-Api-Version-Selected": "2022-11-28", "Content-Type": "application/json; charset=utf-8",
	} {
		if h.Get(k) != want {
			t.Errorf("%s: %q, want %q", k, h.Get(k), want)
		}
	}
	// GitHub's ETags are weak (octokit.rb's recordings: W/"…").
	etag := h.Get("ETag")
	if !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("ETag %q is not a weak entity tag", etag)
	}
	if id := h.Get("X-GitHub-Request-Id"); id == "" {
		t.Errorf("no X-GitHub-Request-Id")
	}

	again := fetch(t, s, "GET", "runs/7000000111", "", header("If-None-Match", etag))
	wantStatus(t, again, http.StatusNotModified)
	if again.body != "" || again.Header.Get("X-RateLimit-Remaining") != "4999" || again.Header.Get("ETag") != etag {
		t.Errorf("304: body %q, remaining %s, ETag %s", again.body, again.Header.Get("X-RateLimit-Remaining"), again.Header.Get("ETag"))
	}
	// Another token has its own budget.
	other := fetch(t, s, "GET", "runs/7000000111", "", header("Authorization", "token other"))
	if other.Header.Get("X-RateLimit-Remaining") != "4999" {
		t.Errorf("second token: remaining %s, want 4999", other.Header.Get("X-RateLimit-Remaining"))
	}
	// A changed run has a new ETag.
	fetch(t, s, "POST", "runs/7000000113/cancel", "")
	changed := fetch(t, s, "GET", "runs/7000000113", "", header("If-None-Match", etag))
	wantStatus(t, changed, http.StatusOK)
	if changed.Header.Get("X-RateLimit-Remaining") != "4997" {
		t.Errorf("remaining %s after 3 counted requests, want 4997", changed.Header.Get("X-RateLimit-Remaining"))
	}

	// 60 unauthenticated requests an hour, then 403 with remaining 0 until the reset.
	anon := func(r *http.Request) { r.Header.Del("Authorization") }
	for range 60 {
		wantStatus(t, fetch(t, s, "GET", "workflows", "", anon), http.StatusOK)
	}
	r := fetch(t, s, "GET", "workflows", "", anon)
	wantStatus(t, r, http.StatusForbidden)
	if r.Header.Get("X-RateLimit-Remaining") != "0" || !strings.Contains(r.body, "API rate limit exceeded") {
		t.Errorf("exhausted: remaining %s, body %s", r.Header.Get("X-RateLimit-Remaining"), r.body)
	}
	now = now.Add(time.Hour)
	wantStatus(t, fetch(t, s, "GET", "workflows", "", anon), http.StatusOK)
}

// runView is the part of a workflow-run body the tests look at.
type runView struct {
	ID                 int64   `json:"id"`
	Status             string  `json:"status"`
	Conclusion         *string `json:"conclusion"`
	RunAttempt         int     `json:"run_attempt"`
	PreviousAttemptURL *string `json:"previous_attempt_url"`
	Path               string  `json:"path"`
	HeadBranch         string  `json:"head_branch"`
	Actor              struct {
		Login string `json:"login"`
	} `json:"actor"`
	Repository struct {
		FullName string `json:"full_name"`
		URL      string `json:"url"`
	} `json:"repository"`
}

func decode[T any](t *testing.T, r reply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
	return v
}

// TestRender checks fields written over the example templates.
func TestRender(t *testing.T) {
	s := Start(t)
	Seed(s)
	v := decode[runView](t, fetch(t, s, "GET", "runs/7000000110", ""))
	if v.Status != "completed" || v.Conclusion == nil || *v.Conclusion != "failure" || v.RunAttempt != 2 ||
		v.PreviousAttemptURL == nil || *v.PreviousAttemptURL != s.URL+"/repos/octo/hello/actions/runs/7000000110/attempts/1" ||
		v.Path != ".github/workflows/ci.yml" || v.Actor.Login != "octocat" ||
		v.Repository.FullName != "octo/hello" || v.Repository.URL != s.URL+"/repos/octo/hello" {
		t.Errorf("run 7000000110 renders as %+v", v)
	}
	v = decode[runView](t, fetch(t, s, "GET", "runs/7000000112", ""))
	if v.Conclusion != nil || v.PreviousAttemptURL != nil || v.Status != "queued" {
		t.Errorf("queued run renders as %+v", v)
	}
	if r := fetch(t, s, "GET", "runs/7000000101/timing", ""); r.body != `{"billable":{},"run_duration_ms":2000}` {
		t.Errorf("timing of a run without jobs: %s", r.body)
	}
	if r := fetch(t, s, "GET", "runs/7000000113/timing", ""); r.body != `{"billable":{}}` {
		t.Errorf("timing of a run in progress: %s", r.body)
	}
	r := fetch(t, s, "GET", "runs/7000000106/timing", "")
	for _, os := range []string{`"UBUNTU":{"job_runs":[{"duration_ms":120000,"job_id":8000001061}],"jobs":1,"total_ms":120000}`, `"MACOS":`, `"WINDOWS":`} {
		if !strings.Contains(r.body, os) {
			t.Errorf("timing of 7000000106 lacks %s: %s", os, r.body)
		}
	}
}

// TestListFilters checks each listing filter against the seeded runs.
func TestListFilters(t *testing.T) {
	s := Start(t)
	Seed(s)
	list := func(path string) []int64 {
		t.Helper()
		var ids []int64
		for _, r := range decode[runList](t, fetch(t, s, "GET", path, "")).WorkflowRuns {
			ids = append(ids, r.ID-7000000000)
		}
		return ids
	}
	for _, tc := range []struct {
		path string
		want []int64
	}{
		{"runs?per_page=5", []int64{113, 112, 111, 110, 109}},
		// 109 and 108 were created at the same time: higher ID first.
		{"runs?status=failure", []int64{110, 108}},
		{"runs?status=completed&event=schedule", []int64{107, 104}},
		{"runs?status=in_progress", []int64{113}},
		{"runs?actor=HUBOT", []int64{112, 109, 108}},
		{"runs?branch=release/v1.2", []int64{106}},
		{"runs?event=workflow_dispatch", []int64{111}},
		{"runs?head_sha=" + hexHash("seed commit 7000000103"), []int64{103}},
		{"runs?created=2026-11-19", []int64{106, 105, 104}},
		{"runs?created=" + url.QueryEscape("<2026-11-17"), []int64{102, 101}},
		{"runs?created=" + url.QueryEscape("<=2026-11-17"), []int64{103, 102, 101}},
		{"runs?created=" + url.QueryEscape(">2026-11-19"), []int64{113, 112, 111, 110, 109, 108, 107}},
		{"runs?created=" + url.QueryEscape(">=2026-11-20T11:00:00+01:00"), []int64{113, 112, 111, 110, 109, 108}},
		{"runs?created=2026-11-10..2026-11-17", []int64{103, 102}},
		{"runs?created=2026-11-20T11:20:00Z..*", []int64{113, 112, 111}},
		{"runs?created=*..2026-11-08", []int64{101}},
		{"workflows/ci.yml/runs?per_page=3", []int64{113, 112, 110}},
		{"workflows/4/runs", []int64{109}},
		{"workflows/lint-strict.yml/runs", []int64{108}},
	} {
		if got := list(tc.path); !slices.Equal(got, tc.want) {
			t.Errorf("%s: runs %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestCancelAndRerun checks the state changes of the POST operations.
func TestCancelAndRerun(t *testing.T) {
	s := Start(t)
	Seed(s)
	now := SeedBase.Add(time.Minute)
	s.Now = func() time.Time { return now }

	wantStatus(t, fetch(t, s, "POST", "runs/7000000113/force-cancel", ""), http.StatusAccepted)
	run, _ := s.Run(InProgressRun)
	if run.Status != "completed" || run.Conclusion != "cancelled" || !run.UpdatedAt.Equal(now) ||
		run.Jobs[0].Conclusion != "success" || run.Jobs[1].Conclusion != "cancelled" {
		t.Errorf("after cancel: %s/%s, jobs %s, %s", run.Status, run.Conclusion, run.Jobs[0].Conclusion, run.Jobs[1].Conclusion)
	}

	r := fetch(t, s, "POST", "runs/7000000112/rerun", "")
	wantStatus(t, r, http.StatusForbidden)

	s.ResetRequests()
	body := `{"enable_debug_logging":true}`
	wantStatus(t, fetch(t, s, "POST", "runs/7000000110/rerun-failed-jobs", body), http.StatusCreated)
	if reqs := s.Requests(); len(reqs) != 1 || string(reqs[0].Body) != body || reqs[0].Path != "/repos/octo/hello/actions/runs/7000000110/rerun-failed-jobs" {
		t.Errorf("recorded %+v", reqs)
	}
	run, _ = s.Run(FailedRun)
	if run.Attempt != 3 || run.Status != "queued" || run.Conclusion != "" || run.Logs != nil || run.Usage != nil {
		t.Errorf("after rerun: attempt %d, %s/%q, logs %v, usage %v", run.Attempt, run.Status, run.Conclusion, run.Logs != nil, run.Usage)
	}
	if build, test := run.Jobs[0], run.Jobs[1]; build.ID != 8000001106 || build.Conclusion != "success" || test.Status != "queued" || test.ID <= 8000001107 {
		t.Errorf("after rerun-failed-jobs: build %d %s, test %d %s", build.ID, build.Conclusion, test.ID, test.Status)
	}
	v := decode[runView](t, fetch(t, s, "GET", "runs/7000000110/attempts/2", ""))
	if v.RunAttempt != 2 || v.Status != "completed" || *v.Conclusion != "failure" {
		t.Errorf("attempt 2 after the rerun: %+v", v)
	}
	jobs := decode[struct {
		TotalCount int `json:"total_count"`
	}](t, fetch(t, s, "GET", "runs/7000000110/jobs?filter=all", ""))
	if jobs.TotalCount != 5 {
		t.Errorf("filter=all counts %d jobs, want 2+2+1 (the passed build job is carried over)", jobs.TotalCount)
	}

	// A run added at attempt 3 still answers for attempts 1 and 2.
	s.AddRuns(GenerateRuns(1, 99, SeedBase, func(_ int, r *Run) { r.Attempt = 3; r.Status, r.Conclusion = "in_progress", "" })...)
	v = decode[runView](t, fetch(t, s, "GET", "runs/99/attempts/1", ""))
	if v.RunAttempt != 1 || v.Status != "completed" {
		t.Errorf("attempt 1 of a run added at attempt 3: %+v", v)
	}
	wantStatus(t, fetch(t, s, "GET", "runs/99/attempts/4", ""), http.StatusNotFound)
	wantStatus(t, fetch(t, s, "GET", "runs/99/attempts/0", ""), http.StatusNotFound)
}

func TestParseCreated(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in       string
		from, to time.Time
	}{
		{"2026-01-31", day(31), day(32)},
		{">2026-01-02", day(3), time.Time{}},
		{">=2026-01-02", day(2), time.Time{}},
		{"<2026-01-02", time.Time{}, day(2)},
		{"<=2026-01-02", time.Time{}, day(3)},
		{"2026-01-02..2026-01-04", day(2), day(5)},
		{"2026-01-02..*", day(2), time.Time{}},
		{"*..2026-01-04", time.Time{}, day(5)},
		{">=2026-01-02T10:00:00+02:00", day(2).Add(8 * time.Hour), time.Time{}},
		{"<2026-01-02T10:00:00Z", time.Time{}, day(2).Add(10 * time.Hour)},
	} {
		got, err := parseCreated(tc.in)
		if err != nil || !got.from.Equal(tc.from) || !got.to.Equal(tc.to) {
			t.Errorf("parseCreated(%q) = %v, %v; want [%v, %v)", tc.in, got, err, tc.from, tc.to)
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-1-2", ">=", "*..*", "2026-01-02..", "2026-01-02T10:00", "2026-01-02T10:00:00 02:00", "2026/01/02"} {
		if _, err := parseCreated(bad); err == nil {
			t.Errorf("parseCreated(%q) accepted", bad)
		}
	}
}

func TestGenerateRuns(t *testing.T) {
	runs := GenerateRuns(3, 100, SeedBase, func(i int, r *Run) {
		if i == 1 {
			r.Conclusion = "failure"
		}
	})
	if len(runs) != 3 || runs[0].ID != 100 || runs[2].ID != 102 || runs[0].Number != 3 ||
		!runs[2].CreatedAt.Equal(SeedBase.Add(-2*time.Minute)) || runs[1].Conclusion != "failure" ||
		runs[0].Actor != "monalisa" || runs[0].WorkflowID != 1 || len(runs[0].Jobs) != 1 || runs[0].Usage == nil {
		t.Errorf("GenerateRuns: %+v", runs)
	}
	if again := GenerateRuns(3, 100, SeedBase, nil); again[0].HeadSHA != runs[0].HeadSHA {
		t.Error("GenerateRuns is not deterministic")
	}
	s := Start(t)
	s.AddRuns(runs...)
	if r := fetch(t, s, "GET", "workflows", ""); !strings.Contains(r.body, `"path":".github/workflows/ci.yml"`) {
		t.Errorf("AddRuns did not register workflow 1: %s", r.body)
	}
}
