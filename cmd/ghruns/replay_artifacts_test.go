package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/replay"
)

// The replay tests of artifacts, dispatch and approval: the commands added
// since the first replay check, run against what GitHub answered.

// recordedArtifact is what the test reads of an artifact, independently of
// ghruns. Digest is a pointer: a recording may lack the key.
type recordedArtifact struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	SizeInBytes int64     `json:"size_in_bytes"`
	Expired     bool      `json:"expired"`
	CreatedAt   time.Time `json:"created_at"`
	ExpiresAt   time.Time `json:"expires_at"`
	Digest      *string   `json:"digest"`
	WorkflowRun *struct {
		ID         int64  `json:"id"`
		HeadBranch string `json:"head_branch"`
		HeadSHA    string `json:"head_sha"`
	} `json:"workflow_run"`
}

var (
	artifactListRE = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/(?:runs/([0-9]+)/)?artifacts$`)
	artifactRE     = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/artifacts/([0-9]+)(/zip)?$`)
)

// artifactListings are the recorded artifact listings, a run's or a
// repository's, that hold artifacts.
func artifactListings(t *testing.T, all []replay.Exchange) (listings []replay.Exchange, pages [][]recordedArtifact) {
	t.Helper()
	for _, e := range all {
		if e.Method != "GET" || e.Status != 200 || e.Written() || !artifactListRE.MatchString(e.Path) {
			continue
		}
		var page struct {
			Artifacts []recordedArtifact `json:"artifacts"`
		}
		if err := json.Unmarshal(e.Body, &page); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if len(page.Artifacts) > 0 {
			listings = append(listings, e)
			pages = append(pages, page.Artifacts)
		}
	}
	if len(listings) == 0 {
		t.Fatal("no recorded artifact listing holds an artifact")
	}
	return listings, pages
}

// TestReplayArtifactsList lists every recorded artifact listing, a run's or
// the repository's, and checks each row and JSON object against the
// recording: name, size, expiry, run, head, and no digest where GitHub
// sent none.
func TestReplayArtifactsList(t *testing.T) {
	all := recordings(t)
	listings, pages := artifactListings(t, all)
	for i, e := range listings {
		m := artifactListRE.FindStringSubmatch(e.Path)
		want := pages[i]
		t.Run(e.Name, func(t *testing.T) {
			// Exactly the recorded page: the recording holds one page.
			args := []string{"artifacts", "list", "-R", m[1], "-L", strconv.Itoa(len(want))}
			if m[2] != "" {
				args = append(args, m[2])
			}
			out, errOut, code, srv := replayed(t, first(all, e), args...)
			if code != 0 {
				t.Fatalf("ghruns %s: exit %d\n%s\nunrecorded: %q", strings.Join(args, " "), code, errOut, srv.Missed())
			}
			// name, size, expired, run, ID, created, expires
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(want) {
				t.Fatalf("%d rows for %d recorded artifacts:\n%s", len(lines), len(want), out)
			}
			for j, a := range want {
				row := []string{a.Name, strconv.FormatInt(a.SizeInBytes, 10), strconv.FormatBool(a.Expired),
					strconv.FormatInt(a.WorkflowRun.ID, 10), strconv.FormatInt(a.ID, 10),
					a.CreatedAt.UTC().Format(time.RFC3339), a.ExpiresAt.UTC().Format(time.RFC3339)}
				if got := strings.Split(lines[j], "\t"); !slices.Equal(got, row) {
					t.Errorf("row %d: %q, want %q (the recording's order)", j, got, row)
				}
			}

			out, errOut, code, _ = replayed(t, first(all, e), append(args, "--json", "id,workflowRunId,headBranch,headSha,digest")...)
			if code != 0 {
				t.Fatalf("--json: exit %d\n%s", code, errOut)
			}
			var got []struct {
				ID         int64  `json:"id"`
				Run        int64  `json:"workflowRunId"`
				HeadBranch string `json:"headBranch"`
				HeadSHA    string `json:"headSha"`
				Digest     string `json:"digest"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("--json: %v\n%s", err, out)
			}
			for j, a := range want {
				wantDigest := ""
				if a.Digest != nil {
					wantDigest = *a.Digest
				}
				if j >= len(got) || got[j].ID != a.ID || got[j].Run != a.WorkflowRun.ID || got[j].HeadBranch != a.WorkflowRun.HeadBranch ||
					got[j].HeadSHA != a.WorkflowRun.HeadSHA || got[j].Digest != wantDigest {
					t.Errorf("artifact %d of %d: got %+v, want run %d on %s at %s, digest %q", j, len(want), got, a.WorkflowRun.ID,
						a.WorkflowRun.HeadBranch, a.WorkflowRun.HeadSHA, wantDigest)
				}
			}
		})
	}
}

// artifactAnswers are the recorded answers about one artifact: its GET
// (200 and 404) and its DELETE.
type artifactAnswers struct {
	repo            string
	id              string
	got, gone, dele *replay.Exchange
}

// artifactExchanges gathers the recorded answers per artifact, in the
// order the recordings first name each.
func artifactExchanges(all []replay.Exchange) []artifactAnswers {
	byPath := map[string]*artifactAnswers{}
	var order []string
	for i := range all {
		e := &all[i]
		m := artifactRE.FindStringSubmatch(e.Path)
		if m == nil || m[3] != "" || e.Written() {
			continue
		}
		a := byPath[e.Path]
		if a == nil {
			a = &artifactAnswers{repo: m[1], id: m[2]}
			byPath[e.Path] = a
			order = append(order, e.Path)
		}
		switch {
		case e.Method == "GET" && e.Status == 200:
			a.got = e
		case e.Method == "GET" && e.Status == 404:
			a.gone = e
		case e.Method == "DELETE" && e.Status == 204:
			a.dele = e
		}
	}
	var out []artifactAnswers
	for _, p := range order {
		out = append(out, *byPath[p])
	}
	return out
}

// TestReplayArtifactsDelete deletes a recorded artifact as GitHub answered
// it (204), then again where GitHub answered 404 after the delete: the
// second counts as done, and a dry run names the artifact gone.
func TestReplayArtifactsDelete(t *testing.T) {
	all := recordings(t)
	checked := 0
	for _, a := range artifactExchanges(all) {
		if a.dele == nil || a.got == nil || a.gone == nil {
			continue
		}
		checked++
		t.Run(a.dele.Name, func(t *testing.T) {
			var rec recordedArtifact
			if err := json.Unmarshal(a.got.Body, &rec); err != nil {
				t.Fatal(err)
			}
			// Before the delete: the dry run reads the artifact as recorded.
			out, errOut, code, srv := replayed(t, first(first(all, *a.dele), *a.got), "artifacts", "delete", a.id, "-R", a.repo, "--dry-run")
			if code != 0 {
				t.Fatalf("--dry-run: exit %d\n%s\nunrecorded: %q", code, errOut, srv.Missed())
			}
			if !strings.Contains(out+errOut, a.id) || !strings.Contains(errOut, "would free") {
				t.Errorf("--dry-run says:\n%s%s", out, errOut)
			}
			if slices.Contains(srv.Served(), a.dele.Name) {
				t.Errorf("--dry-run sent the delete")
			}

			out, errOut, code, srv = replayed(t, first(first(all, *a.dele), *a.got), "artifacts", "delete", a.id, "-R", a.repo)
			if code != 0 {
				t.Fatalf("delete: exit %d\n%s\nunrecorded: %q", code, errOut, srv.Missed())
			}
			if !slices.Contains(srv.Served(), a.dele.Name) || !strings.Contains(out, "deleted") || strings.Contains(out, "already") {
				t.Errorf("delete says:\n%s%s\nserved %q", out, errOut, srv.Served())
			}

			// After it: GET answers 404, as recorded.
			out, errOut, code, _ = replayed(t, first(all, *a.gone), "artifacts", "delete", a.id, "-R", a.repo, "--dry-run")
			if code == 0 || !strings.Contains(out+errOut, "artifact "+a.id+" not found in "+a.repo+" (HTTP 404)") {
				t.Errorf("--dry-run after the delete: exit %d\n%s%s", code, out, errOut)
			}
		})
	}
	if checked == 0 {
		t.Fatal("no artifact recorded with its delete and the 404 after it")
	}
}

// storageAnswer is a test-made answer of the storage host to a recorded
// redirect: the recordings stop at the 302, the archive behind it is not
// recorded. The archive holds one file named after the artifact.
func storageAnswer(t *testing.T, redirect replay.Exchange, name string) replay.Exchange {
	t.Helper()
	loc, err := url.Parse(redirect.Header.Get("Location"))
	if err != nil || loc.Host == "" {
		t.Fatalf("%s: Location %q", redirect.Name, redirect.Header.Get("Location"))
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name + ".txt")
	if err == nil {
		_, err = fmt.Fprintf(w, "the archive of %s\n", name)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return replay.Exchange{Name: "storage answer for " + redirect.Name, Kind: "hand-written", Method: "GET",
		Path: loc.Path, Query: loc.Query(), Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/zip"}}, Body: buf.Bytes()}
}

// TestReplayDownload downloads every artifact of a run whose artifacts and
// their redirects are recorded: ghruns follows GitHub's 302 (to the log
// host for older artifacts, to Azure Blob Storage for v4 ones) and
// unpacks each archive into a folder of the artifact's name.
func TestReplayDownload(t *testing.T) {
	all := recordings(t)
	redirects := map[string]replay.Exchange{} // artifact ID → its recorded 302
	for _, e := range all {
		if m := artifactRE.FindStringSubmatch(e.Path); m != nil && m[3] != "" && e.Method == "GET" && e.Status == http.StatusFound {
			redirects[m[2]] = e
		}
	}
	listings, pages := artifactListings(t, all)
	checked := 0
	for i, e := range listings {
		m := artifactListRE.FindStringSubmatch(e.Path)
		if m[2] == "" {
			continue // a repository's listing: download takes the newest per name from every page
		}
		exchanges := first(all, e)
		complete := true
		for _, a := range pages[i] {
			r, ok := redirects[strconv.FormatInt(a.ID, 10)]
			if !ok {
				complete = false
				break
			}
			exchanges = append(exchanges, storageAnswer(t, r, a.Name))
		}
		if !complete {
			continue
		}
		checked++
		t.Run(e.Name, func(t *testing.T) {
			dir := t.TempDir()
			out, errOut, code, srv := replayed(t, exchanges, "download", m[2], "-R", m[1], "-D", dir)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s\nunrecorded: %q", code, out, errOut, srv.Missed())
			}
			for _, a := range pages[i] {
				body, err := os.ReadFile(filepath.Join(dir, a.Name, a.Name+".txt"))
				if err != nil || string(body) != "the archive of "+a.Name+"\n" {
					t.Errorf("artifact %s: %q, %v", a.Name, body, err)
				}
			}
			if missed := srv.Missed(); len(missed) > 0 {
				t.Errorf("requests nothing recorded answers: %q", missed)
			}
		})
	}
	if checked == 0 {
		t.Fatal("no run whose artifacts and their downloads are recorded")
	}
}

var (
	dispatchRE     = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/workflows/([^/]+)/dispatches$`)
	workflowRE     = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/workflows/([^/]+)$`)
	approveRE      = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/runs/([0-9]+)/approve$`)
	workflowListRE = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/workflows$`)
)

// recordedWorkflow is a recorded answer to GET …/workflows/{id or file}
// of repo whose ID or file is ref, decoded.
func recordedWorkflow(all []replay.Exchange, repo, ref string) (map[string]any, bool) {
	for _, e := range all {
		m := workflowRE.FindStringSubmatch(e.Path)
		if m == nil || m[1] != repo || e.Method != "GET" || e.Status != 200 {
			continue
		}
		var w map[string]any
		if json.Unmarshal(e.Body, &w) != nil {
			continue
		}
		id, _ := w["id"].(float64)
		file, _ := w["path"].(string)
		if ref == strconv.FormatInt(int64(id), 10) || ref == filepath.Base(file) {
			return w, true
		}
	}
	return nil, false
}

// workflowsListing serves, as the repository's workflows listing, a
// workflow recorded alone: dispatch lists the workflows to find the file,
// and the recordings asked for the one workflow.
func workflowsListing(t *testing.T, all []replay.Exchange, repo string, w map[string]any) []replay.Exchange {
	t.Helper()
	for _, e := range all {
		if m := workflowListRE.FindStringSubmatch(e.Path); m != nil && m[1] == repo && e.Status == 200 {
			return all
		}
	}
	body, err := json.Marshal(map[string]any{"total_count": 1, "workflows": []any{w}})
	if err != nil {
		t.Fatal(err)
	}
	return append(all, replay.Exchange{Name: "workflows of " + repo + " made of the one recorded", Kind: "hand-written",
		Method: "GET", Path: "/repos/" + repo + "/actions/workflows", Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: body})
}

// TestReplayDispatch dispatches each recorded dispatch: a refusal's
// message reaches the user with its status; a 204 (no run named) makes
// ghruns say so and look for the run among the workflow's
// workflow_dispatch runs on the ref.
func TestReplayDispatch(t *testing.T) {
	all := recordings(t)
	refused, accepted := 0, 0
	for _, e := range all {
		m := dispatchRE.FindStringSubmatch(e.Path)
		if m == nil || e.Method != "POST" || e.Written() {
			continue
		}
		w, ok := recordedWorkflow(all, m[1], m[2])
		if !ok {
			continue
		}
		name, _ := w["name"].(string)
		t.Run(e.Name, func(t *testing.T) {
			args := []string{"dispatch", "-w", m[2], "-R", m[1], "--ref", "main"}
			out, errOut, code, srv := replayed(t, workflowsListing(t, first(all, e), m[1], w), args...)
			if !slices.Contains(srv.Served(), e.Name) {
				t.Fatalf("the dispatch was not sent: exit %d\n%s%s\nunrecorded: %q", code, out, errOut, srv.Missed())
			}
			said := out + errOut
			if e.Status >= 400 {
				var body struct {
					Message string `json:"message"`
				}
				if err := json.Unmarshal(e.Body, &body); err != nil {
					t.Fatal(err)
				}
				if code == 0 || !strings.Contains(said, body.Message) || !strings.Contains(said, fmt.Sprintf("HTTP %d", e.Status)) {
					t.Errorf("exit %d on a recorded %d %q:\n%s", code, e.Status, body.Message, said)
				}
				refused++
				return
			}
			// GitHub started a run without naming it: ghruns says so and
			// looks for it (the recordings do not hold that listing).
			if !strings.Contains(errOut, "the server started the run without naming it; looking for the "+name+" run on main") {
				t.Errorf("a 204 to the dispatch:\n%s", said)
			}
			looked := slices.ContainsFunc(srv.Missed(), func(r string) bool {
				return strings.HasPrefix(r, "GET /repos/"+m[1]+"/actions/workflows/"+m[2]+"/runs?") &&
					strings.Contains(r, "event=workflow_dispatch") && strings.Contains(r, "branch=main")
			})
			if !looked {
				t.Errorf("no look for the workflow's dispatched runs on main: %q", srv.Missed())
			}
			accepted++
		})
	}
	if refused == 0 || accepted == 0 {
		t.Fatalf("%d refused and %d accepted dispatches recorded with their workflow: nothing to check", refused, accepted)
	}
}

// TestReplayApprove approves each recorded approval of a fork run, the
// run read as a recorded listing showed it before (action_required):
// GitHub's 201 with {} is a success.
func TestReplayApprove(t *testing.T) {
	all := recordings(t)
	checked := 0
	for _, e := range all {
		m := approveRE.FindStringSubmatch(e.Path)
		if m == nil || e.Method != "POST" || e.Status >= 300 || e.Written() {
			continue
		}
		before, ok := runBefore(all, m[1], m[2], "action_required")
		if !ok {
			continue
		}
		checked++
		t.Run(e.Name, func(t *testing.T) {
			out, errOut, code, srv := replayed(t, first(append([]replay.Exchange{before}, all...), e), "approve", m[2], "-R", m[1])
			if code != 0 {
				t.Fatalf("exit %d\n%s%s\nunrecorded: %q", code, out, errOut, srv.Missed())
			}
			if !slices.Contains(srv.Served(), e.Name) || !strings.Contains(out, m[2]) || !strings.Contains(out, "approved") {
				t.Errorf("approve says:\n%s%s\nserved %q", out, errOut, srv.Served())
			}
		})
	}
	if checked == 0 {
		t.Fatal("no approval recorded with the run before it")
	}
}

// runBefore serves run id as a recorded listing of repo showed it with
// conclusion: the recordings read the run itself only after the change.
func runBefore(all []replay.Exchange, repo, id, conclusion string) (replay.Exchange, bool) {
	for _, e := range all {
		if m := listPathRE.FindStringSubmatch(e.Path); m == nil || m[1] != repo || e.Status != 200 || e.Written() {
			continue
		}
		var page struct {
			Runs []json.RawMessage `json:"workflow_runs"`
		}
		if json.Unmarshal(e.Body, &page) != nil {
			continue
		}
		for _, raw := range page.Runs {
			var r struct {
				ID         int64  `json:"id"`
				Conclusion string `json:"conclusion"`
			}
			if json.Unmarshal(raw, &r) == nil && strconv.FormatInt(r.ID, 10) == id && r.Conclusion == conclusion {
				return replay.Exchange{Name: "run " + id + " cut out of " + e.Name, Kind: "composed", Method: "GET",
					Path: "/repos/" + repo + "/actions/runs/" + id, Status: http.StatusOK,
					Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: raw}, true
			}
		}
	}
	return replay.Exchange{}, false
}
