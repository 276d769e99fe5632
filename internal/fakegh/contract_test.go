package fakegh

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestExamplesFitSchemas decodes each official example and checks it against the
// schema it illustrates: the fake's templates must be valid to begin with.
func TestExamplesFitSchemas(t *testing.T) {
	c := mustLoadContract()
	schemas := c.doc.Components.Schemas
	listOf := func(path string) *openapi3.Schema {
		op := c.doc.Paths.Value(path).Get
		return op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	}
	for _, tc := range []struct {
		file   string
		schema *openapi3.Schema
		// known is a mismatch of the official example itself (examples/README.md).
		known string
	}{
		{"workflow-run.json", schemas["workflow-run"].Value, ""},
		{"workflow-run-paginated.json", listOf("/repos/{owner}/{repo}/actions/runs"), ""},
		{"job-paginated.json", listOf("/repos/{owner}/{repo}/actions/runs/{run_id}/jobs"), `property "created_at" is missing`},
		{"workflow-run-usage.json", schemas["workflow-run-usage"].Value, ""},
		{"workflow-paginated.json", listOf("/repos/{owner}/{repo}/actions/workflows"), ""},
		{"workflow.json", schemas["workflow"].Value, ""},
	} {
		v, err := example(tc.file)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		err = tc.schema.VisitJSON(v, openapi3.MultiErrors())
		switch {
		case tc.known == "" && err != nil:
			t.Errorf("%s does not fit its schema: %v", tc.file, err)
		case tc.known != "" && (err == nil || !strings.Contains(err.Error(), tc.known)):
			t.Errorf("%s: want the known mismatch %q, got %v", tc.file, tc.known, err)
		}
	}

	var headers map[string]string
	data, err := apiFiles.ReadFile(examplesDir + "/headers.json")
	if err == nil {
		err = json.Unmarshal(data, &headers)
	}
	if err != nil {
		t.Fatal(err)
	}
	link := headers["components.headers.link.example"]
	if msg := checkLink(strings.NewReplacer("page=2", "page=2&per_page=30", "page=5", "page=5&per_page=30").Replace(link)); msg != "" {
		t.Errorf("the official Link example fails the Link check: %s", msg)
	}
	if !linkForm.MatchString(link) {
		t.Errorf("the official Link example %q does not have the expected form", link)
	}
}

// TestEveryRouteConforms sends a right request to every route, in success and error
// cases, with t as the Reporter: any violation by the fake's own responses fails.
func TestEveryRouteConforms(t *testing.T) {
	s := Start(t)
	Seed(s)
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "runs", "", 200},
		{"GET", "runs?per_page=2&page=3&exclude_pull_requests=true", "", 200},
		{"GET", "runs?actor=hubot&branch=feature/login&event=pull_request&status=success&head_sha=abc&check_suite_id=1&created=" + url.QueryEscape(">=2026-11-01"), "", 200},
		{"GET", "workflows/1/runs?status=startup_failure", "", 200},
		{"GET", "workflows/lint-strict.yml/runs", "", 200},
		{"GET", "workflows/missing.yml/runs", "", 404},
		{"GET", "runs/7000000113", "", 200},
		{"GET", "runs/7000000112?exclude_pull_requests=true", "", 200},
		{"GET", "runs/1", "", 404},
		{"GET", "runs/7000000110/attempts/1", "", 200},
		{"GET", "runs/7000000110/attempts/2", "", 200},
		{"GET", "runs/7000000110/attempts/3", "", 404},
		{"GET", "runs/7000000110/jobs", "", 200},
		{"GET", "runs/7000000110/jobs?filter=all&per_page=1&page=2", "", 200},
		{"GET", "runs/7000000112/jobs", "", 200},
		{"GET", "runs/7000000113/jobs", "", 200},
		{"GET", "runs/7000000106/timing", "", 200},
		{"GET", "runs/7000000113/timing", "", 200},
		{"GET", "runs/7000000101/timing", "", 200},
		{"GET", "runs/7000000110/logs", "", 302},
		{"GET", "runs/7000000110/attempts/1/logs", "", 302},
		{"GET", "runs/7000000113/logs", "", 500}, // in progress: "Failed to generate URL to download logs"
		{"GET", "workflows", "", 200},
		{"GET", "workflows?per_page=2&page=2", "", 200},
		{"GET", "workflows/3", "", 200},
		{"GET", "workflows/nightly.yml", "", 200},
		{"POST", "runs/7000000106/cancel", "", 409},
		{"POST", "runs/7000000106/force-cancel", "", 409},
		{"POST", "runs/7000000113/cancel", "", 202},
		{"POST", "runs/7000000112/force-cancel", "", 202},
		{"POST", "runs/1/cancel", "", 404},
		{"POST", "runs/7000000103/rerun", "", 201},
		{"POST", "runs/7000000103/rerun", `{"enable_debug_logging":true}`, 403},
		{"POST", "runs/7000000110/rerun-failed-jobs", `{"enable_debug_logging":false}`, 201},
		{"POST", "runs/7000000111/rerun-failed-jobs", "", 403},
		{"GET", "runs/7000000110/jobs?filter=all", "", 200},
		{"DELETE", "runs/7000000106/logs", "", 204},
		{"DELETE", "runs/7000000106/logs", "", 204},
		{"DELETE", "runs/7000000110/logs", "", 403},
		{"GET", "runs/7000000106/logs", "", 404},
		{"GET", "runs/7000000103", "", 200},
		{"GET", "runs/7000000103/attempts/1", "", 200},
	} {
		r := fetch(t, s, tc.method, tc.path, tc.body)
		if r.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d; body %s", tc.method, tc.path, r.StatusCode, tc.status, r.body)
		}
		if r.StatusCode >= 400 && !strings.Contains(r.body, `"status":"`) {
			t.Errorf("%s %s: error body %s lacks GitHub's status field", tc.method, tc.path, r.body)
		}
	}
}

// TestWrongRequestsReported checks that requests breaking the contract are reported
// with a message naming the rule.
func TestWrongRequestsReported(t *testing.T) {
	s, rec := recorded(t)
	Seed(s)
	for _, tc := range []struct {
		name, method, path, body string
		edit                     func(*http.Request)
		want                     string
	}{
		{"unknown query parameter", "GET", "runs?stauts=success", "", nil,
			`contract: GET /repos/octo/hello/actions/runs: query parameter "stauts": not declared for this operation`},
		{"status not in the enum", "GET", "runs?status=bogus", "", nil,
			`query parameter "status": value "bogus" is not one of the allowed values`},
		{"per_page above 100", "GET", "runs?per_page=500", "", nil,
			`query parameter "per_page": value 500 is outside 1..100`},
		{"per_page not a number", "GET", "workflows?per_page=ten", "", nil,
			`query parameter "per_page": value ten: an invalid integer`},
		{"created not search syntax", "GET", "runs?created=yesterday", "", nil,
			`query parameter "created": value "yesterday" is not GitHub's search syntax for dates`},
		{"created with an unencoded plus", "GET", "runs?created=>=2026-11-01T00:00:00+07:00", "", nil,
			`an unencoded '+'`},
		{"jobs filter not in the enum", "GET", "runs/7000000110/jobs?filter=newest", "", nil,
			`query parameter "filter": value "newest" is not one of the allowed values`},
		{"run ID not a number", "GET", "runs/latest", "", nil,
			`path parameter "run_id": value latest: an invalid integer`},
		{"debug flag not a boolean", "POST", "runs/7000000111/rerun", `{"enable_debug_logging":"yes"}`, nil,
			`request body: field "enable_debug_logging": value "yes" must be a boolean`},
		{"missing User-Agent", "GET", "runs", "", header("User-Agent", ""),
			`header "User-Agent": missing`},
		{"foreign User-Agent", "GET", "runs", "", header("User-Agent", "Go-http-client/1.1"),
			`header "User-Agent": "Go-http-client/1.1" does not start with "ghruns/"`},
		{"missing API version", "GET", "runs", "", header("X-GitHub-Api-Version", ""),
			`header "X-GitHub-Api-Version": "" is not 2022-11-28`},
		{"wrong Accept", "GET", "runs", "", header("Accept", "application/json"),
			`header "Accept": "application/json" is not application/vnd.github+json`},
		{"unknown route", "GET", "caches", "", nil,
			`fakegh: unexpected request GET /repos/octo/hello/actions/caches`},
		{"unknown method", "PATCH", "runs/7000000110", "", nil,
			`fakegh: unexpected request PATCH /repos/octo/hello/actions/runs/7000000110`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var edit []func(*http.Request)
			if tc.edit != nil {
				edit = append(edit, tc.edit)
			}
			r := fetch(t, s, tc.method, tc.path, tc.body, edit...)
			msgs := rec.take()
			found := false
			for _, m := range msgs {
				found = found || strings.Contains(m, tc.want)
			}
			if !found {
				t.Errorf("%s %s (status %d): want a report containing\n\t%s\ngot %q", tc.method, tc.path, r.StatusCode, tc.want, msgs)
			}
		})
	}

	t.Run("missing User-Agent is refused", func(t *testing.T) {
		r := fetch(t, s, "GET", "runs", "", header("User-Agent", ""))
		rec.take()
		wantStatus(t, r, http.StatusForbidden)
	})
	t.Run("startup_failure is accepted", func(t *testing.T) {
		r := fetch(t, s, "GET", "runs?status=startup_failure", "")
		if msgs := rec.take(); len(msgs) > 0 {
			t.Errorf("status=startup_failure reported: %q", msgs)
		}
		if !strings.Contains(r.body, `"total_count":1,`) {
			t.Errorf("status=startup_failure: want the one seeded run, got %.200s", r.body)
		}
	})
}

// TestWrongResponseReported checks that the response checks do catch a body that
// breaks the schema, an undeclared success status and a malformed Link.
func TestWrongResponseReported(t *testing.T) {
	c := mustLoadContract()
	req, _ := http.NewRequest("GET", "http://fake/repos/octo/hello/actions/runs/1", nil)
	cr, v := c.checkRequest(req, nil, true)
	if len(v) > 0 {
		t.Fatalf("request: %q", v)
	}
	bad := jsonResponse(200, map[string]any{"id": "one"})
	bad.header.Set("Content-Type", "application/json; charset=utf-8")
	bad.header.Set("Link", `<http://fake/x?page=2>; rel=next`)
	got := strings.Join(c.checkResponse(cr, bad), "\n")
	for _, want := range []string{`response 200: `, `field "id": value "one" must be an integer`, `response header Link:`} {
		if !strings.Contains(got, want) {
			t.Errorf("want a violation containing %q, got:\n%s", want, got)
		}
	}
	got = strings.Join(c.checkResponse(cr, jsonResponse(201, struct{}{})), "\n")
	if !strings.Contains(got, "response status 201 is not declared for this operation (declared: 200)") {
		t.Errorf("undeclared 201: got %q", got)
	}
	if got := c.checkResponse(cr, jsonResponse(404, map[string]any{"message": 1})); len(got) == 0 {
		t.Errorf("a 404 body that is not basic-error passed")
	}
}
