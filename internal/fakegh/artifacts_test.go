package fakegh

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

type artifactsPage struct {
	TotalCount int `json:"total_count"`
	Artifacts  []struct {
		ID          int64  `json:"id"`
		Name        string `json:"name"`
		SizeInBytes int64  `json:"size_in_bytes"`
		Expired     bool   `json:"expired"`
		Digest      string `json:"digest"`
		WorkflowRun struct {
			ID         int64  `json:"id"`
			HeadBranch string `json:"head_branch"`
		} `json:"workflow_run"`
	} `json:"artifacts"`
}

func decodeArtifacts(t *testing.T, r reply) artifactsPage {
	t.Helper()
	var p artifactsPage
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return p
}

func artifactIDs(p artifactsPage) []int64 {
	var ids []int64
	for _, a := range p.Artifacts {
		ids = append(ids, a.ID)
	}
	return ids
}

// TestArtifactListings: the repository's artifacts newest first, paged with
// GitHub's Link header, filtered by exact name; a run's artifacts; 404 for
// a run that is not there.
func TestArtifactListings(t *testing.T) {
	s := Start(t)
	Seed(s)

	r := fetch(t, s, "GET", "artifacts?per_page=5", "")
	wantStatus(t, r, http.StatusOK)
	p := decodeArtifacts(t, r)
	want := []int64{DeployManifest, FailedRunTestResults, FailedRunCoverage, NightlyScreenshots, ReleaseLinux}
	if p.TotalCount != 12 || !slices.Equal(artifactIDs(p), want) {
		t.Errorf("first page: total %d, IDs %v; want 12, %v", p.TotalCount, artifactIDs(p), want)
	}
	l, _ := links(r.Header.Get("Link"))
	next := l["next"]
	if !strings.Contains(next, "/repositories/1296269/actions/artifacts?page=2&per_page=5") {
		t.Errorf("next link %q", next)
	}
	last := decodeArtifacts(t, fetch(t, s, "GET", "artifacts?per_page=5&page=3", ""))
	if got := artifactIDs(last); !slices.Equal(got, []int64{DependabotTestResults, DependabotCoverage}) {
		t.Errorf("last page IDs %v", got)
	}
	if !last.Artifacts[0].Expired || last.Artifacts[0].WorkflowRun.ID != DependabotRun {
		t.Errorf("dependabot's test results: %+v, want expired, of run %d", last.Artifacts[0], DependabotRun)
	}

	named := decodeArtifacts(t, fetch(t, s, "GET", "artifacts?name=test-results", ""))
	want = []int64{FailedRunTestResults, ReleaseTestResults, OlderTestResults, DependabotTestResults}
	if named.TotalCount != 4 || !slices.Equal(artifactIDs(named), want) {
		t.Errorf("name=test-results: %d, %v; want 4, %v", named.TotalCount, artifactIDs(named), want)
	}
	if p := decodeArtifacts(t, fetch(t, s, "GET", "artifacts?name=test", "")); p.TotalCount != 0 || p.Artifacts == nil {
		t.Errorf("name=test (a prefix only): %+v, want none, as an empty array", p)
	}

	run := decodeArtifacts(t, fetch(t, s, "GET", "runs/7000000106/artifacts", ""))
	want = []int64{ReleaseLinux, ReleaseMacOS, ReleaseWindows, ReleaseTestResults}
	if run.TotalCount != 4 || !slices.Equal(artifactIDs(run), want) || run.Artifacts[0].WorkflowRun.HeadBranch != "release/v1.2" {
		t.Errorf("run 7000000106's artifacts: %+v; want %v on release/v1.2", run, want)
	}
	one := decodeArtifacts(t, fetch(t, s, "GET", "runs/7000000106/artifacts?name=dist-macos", ""))
	if !slices.Equal(artifactIDs(one), []int64{ReleaseMacOS}) {
		t.Errorf("run artifacts by name: %v", artifactIDs(one))
	}
	wantStatus(t, fetch(t, s, "GET", "runs/42/artifacts", ""), http.StatusNotFound)
}

// TestArtifactDownload: the archive URL answers 302, with no body, to a
// shared access signature URL on the storage host as GitHub's v4 artifacts
// do, which serves the zip as an attachment named after the artifact
// without a token, for ten minutes, and refuses it once expired; an
// expired artifact answers 410.
func TestArtifactDownload(t *testing.T) {
	s, rec := recorded(t)
	Seed(s)
	now := SeedBase.Add(time.Hour)
	s.Now = func() time.Time { return now }
	hostile := ArtifactZip(ZipFile{Name: "../escape.txt", Body: "out"}, ZipFile{Name: "/etc/passwd", Body: "root"},
		ZipFile{Name: "link", Body: "/etc", Symlink: true}, ZipFile{Name: "dir/", Dir: true})
	s.AddArtifacts(Artifact{ID: 1, Name: "hostile", RunID: FailedRun, Zip: hostile})

	r := fetch(t, s, "GET", "artifacts/1/zip", "")
	wantStatus(t, r, http.StatusFound)
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, s.LogURL+"/actions-results/") || strings.HasPrefix(loc, s.URL) {
		t.Fatalf("Location %q is not on the storage host %s", loc, s.LogURL)
	}
	if u, _ := url.Parse(loc); u.Query().Get("sr") != "b" || u.Query().Get("sp") != "r" || u.Query().Get("sig") == "" ||
		u.Query().Get("st") != now.UTC().Format(time.RFC3339) || u.Query().Get("se") != now.Add(10*time.Minute).UTC().Format(time.RFC3339) {
		t.Errorf("Location %q is not a blob URL signed for ten minutes from now", loc)
	}
	if r.body != "" {
		t.Errorf("the redirect has a body: %q", r.body)
	}
	req, _ := http.NewRequest("GET", loc, nil)
	got := send(t, req)
	wantStatus(t, got, http.StatusOK)
	if d := got.Header.Get("Content-Disposition"); d != `attachment; filename="hostile.zip"` {
		t.Errorf("Content-Disposition %q, want the artifact's name as an attachment", d)
	}
	if got.body != string(hostile) {
		t.Fatalf("storage host served %d bytes, want the %d-byte archive", len(got.body), len(hostile))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(got.body)), int64(len(got.body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 4 || zr.File[0].Name != "../escape.txt" || zr.File[2].Mode()&os.ModeSymlink == 0 || !zr.File[3].Mode().IsDir() {
		t.Errorf("hostile archive entries not kept as given: %v", zr.File)
	}
	if msgs := rec.take(); len(msgs) != 0 {
		t.Errorf("violations: %v", msgs)
	}

	// The token must never reach the storage host.
	req, _ = http.NewRequest("GET", loc, nil)
	req.Header.Set("Authorization", "Bearer t0k3n")
	send(t, req)
	if msgs := rec.take(); len(msgs) != 1 || !strings.Contains(msgs[0], "Authorization") {
		t.Errorf("a token sent to the storage host was not reported: %v", msgs)
	}

	now = now.Add(10*time.Minute - time.Second)
	req, _ = http.NewRequest("GET", loc, nil)
	wantStatus(t, send(t, req), http.StatusOK)
	now = now.Add(2 * time.Second)
	req, _ = http.NewRequest("GET", loc, nil)
	wantStatus(t, send(t, req), http.StatusForbidden)

	gone := fetch(t, s, "GET", "artifacts/9000001021/zip", "")
	wantStatus(t, gone, http.StatusGone)
	if !strings.Contains(gone.body, "download-an-artifact") {
		t.Errorf("410 body %s does not name the operation's docs", gone.body)
	}
	wantStatus(t, fetch(t, s, "GET", "artifacts/1/tar", ""), http.StatusNotFound)
}

// TestArtifactWithoutDigest: an artifact uploaded before GitHub recorded
// digests has no digest key at all, in a listing and alone; others carry
// "sha256:" and the archive's hash.
func TestArtifactWithoutDigest(t *testing.T) {
	s, _ := recorded(t)
	Seed(s)
	s.AddArtifacts(Artifact{ID: 5, Name: "old", RunID: FailedRun, NoDigest: true})
	if body := fetch(t, s, "GET", "artifacts/5", "").body; strings.Contains(body, `"digest"`) {
		t.Errorf("an artifact without a digest: %s", body)
	}
	list := fetch(t, s, "GET", "runs/"+strconv.Itoa(FailedRun)+"/artifacts", "").body
	if n := strings.Count(list, `"digest":"sha256:`); n != strings.Count(list, `"node_id":`)-1 || strings.Count(list, `"digest"`) != n {
		t.Errorf("listing: %d digests for %d artifacts, one without:\n%s", n, strings.Count(list, `"node_id":`), list)
	}
}

// TestArtifactDelete: 204, then 404 to a get and to a second delete; a
// deleted run takes its artifacts; a delete spends 5 points of the
// secondary limit, as other writes do.
func TestArtifactDelete(t *testing.T) {
	s := Start(t)
	Seed(s)
	s.EnforceBudget(Budget{Points: 100})
	wantStatus(t, fetch(t, s, "GET", "artifacts/9000001101", ""), http.StatusOK)
	wantStatus(t, fetch(t, s, "DELETE", "artifacts/9000001101", ""), http.StatusNoContent)
	wantStatus(t, fetch(t, s, "GET", "artifacts/9000001101", ""), http.StatusNotFound)
	wantStatus(t, fetch(t, s, "DELETE", "artifacts/9000001101", ""), http.StatusNotFound)
	if got := s.PeakPoints(); got != 1+5+1+5 {
		t.Errorf("peak points %d, want 12 (two GETs, two DELETEs)", got)
	}
	if _, ok := s.Artifact(FailedRunTestResults); ok {
		t.Error("deleted artifact still stored")
	}

	wantStatus(t, fetch(t, s, "DELETE", "runs/7000000106", ""), http.StatusNoContent)
	p := decodeArtifacts(t, fetch(t, s, "GET", "artifacts?per_page=100", ""))
	for _, a := range p.Artifacts {
		if a.WorkflowRun.ID == ReleaseRun {
			t.Errorf("artifact %d of the deleted run %d is still listed", a.ID, ReleaseRun)
		}
	}
	if p.TotalCount != 12-1-4 {
		t.Errorf("total %d after deleting one artifact and a run with 4, want 7", p.TotalCount)
	}
}

// TestArtifactRendered: one artifact in GitHub's shape, with the fields the
// hub4j recordings of api.github.com show and the digest of newer ones.
func TestArtifactRendered(t *testing.T) {
	s := Start(t)
	Seed(s)
	r := fetch(t, s, "GET", "artifacts/9000001064", "")
	wantStatus(t, r, http.StatusOK)
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Artifact(ReleaseTestResults)
	base := s.URL + "/repos/octo/hello/actions/artifacts/9000001064"
	run := m["workflow_run"].(map[string]any)
	if m["name"] != "test-results" || m["size_in_bytes"] != 20480.0 || m["url"] != base || m["archive_download_url"] != base+"/zip" ||
		m["expired"] != false || m["created_at"] != a.CreatedAt.Format(time.RFC3339) || m["expires_at"] != a.CreatedAt.Add(90*24*time.Hour).Format(time.RFC3339) ||
		!strings.HasPrefix(m["digest"].(string), "sha256:") || run["id"] != float64(ReleaseRun) || run["repository_id"] != float64(DefaultRepoID) {
		t.Errorf("artifact rendered as %s", r.body)
	}
	if !strings.HasPrefix(r.body, `{"id":9000001064,"node_id":`) {
		t.Errorf("keys not in GitHub's order: %s", r.body)
	}
}
