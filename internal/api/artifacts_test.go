package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

func artifactIDs(as []Artifact) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// TestListArtifacts: the repository's artifacts newest first, every page
// of them; a limit; GitHub's name filter; a run's artifacts, typed.
func TestListArtifacts(t *testing.T) {
	s, c := fake(t, 4)
	// 250 more than the seed's 12: three pages of 100.
	var more []fakegh.Artifact
	for i := range 250 {
		more = append(more, fakegh.Artifact{ID: int64(1 + i), Name: "bulk", RunID: fakegh.StartupFailureRun,
			CreatedAt: fakegh.SeedBase.Add(-20*24*time.Hour - time.Duration(i)*time.Minute)})
	}
	s.AddArtifacts(more...)
	ctx := context.Background()

	all, err := c.ListArtifacts(ctx, repo, ArtifactFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Artifacts) != 262 || all.TotalCount != 262 || all.Artifacts[0].ID != fakegh.DeployManifest || all.Artifacts[261].ID != 250 {
		t.Errorf("listed %d of total %d, first %d, last %d; want 262, newest first", len(all.Artifacts), all.TotalCount,
			all.Artifacts[0].ID, all.Artifacts[len(all.Artifacts)-1].ID)
	}

	s.ResetRequests()
	some, err := c.ListArtifacts(ctx, repo, ArtifactFilter{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{fakegh.DeployManifest, fakegh.FailedRunTestResults, fakegh.FailedRunCoverage}
	if !slices.Equal(artifactIDs(some.Artifacts), want) {
		t.Errorf("-L 3: %v, want %v", artifactIDs(some.Artifacts), want)
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Query.Get("per_page") != "3" {
		t.Errorf("-L 3 sent %d requests (%v), want one of per_page=3", len(reqs), reqs)
	}

	named, err := c.ListArtifacts(ctx, repo, ArtifactFilter{Name: "coverage"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want = []int64{fakegh.FailedRunCoverage, fakegh.OlderCoverage, fakegh.DependabotCoverage}
	if !slices.Equal(artifactIDs(named.Artifacts), want) || named.TotalCount != 3 {
		t.Errorf("name coverage: %v (total %d), want %v", artifactIDs(named.Artifacts), named.TotalCount, want)
	}

	run, err := c.ListArtifacts(ctx, repo, ArtifactFilter{Run: fakegh.DependabotRun}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Artifacts) != 2 {
		t.Fatalf("run %d has %d artifacts, want 2", fakegh.DependabotRun, len(run.Artifacts))
	}
	a := run.Artifacts[0]
	created := fakegh.SeedBase.Add(-10 * 24 * time.Hour)
	if a.ID != fakegh.DependabotTestResults || a.Name != "test-results" || a.SizeInBytes != 16384 || !a.Expired ||
		a.RunID() != fakegh.DependabotRun || a.HeadBranch() != "dependabot/go_modules/github.com/spf13/cobra-1.10.2" || len(a.HeadSHA()) != 40 ||
		a.CreatedAt.Before(created) || !a.ExpiresAt.Equal(a.CreatedAt.Add(7*24*time.Hour)) || a.UpdatedAt.IsZero() ||
		!strings.HasPrefix(a.Digest, "sha256:") || !strings.HasSuffix(a.ArchiveDownloadURL, "/artifacts/9000001021/zip") {
		t.Errorf("artifact decoded as %+v (run %+v)", a, a.WorkflowRun)
	}

	if _, err := c.ListArtifacts(ctx, repo, ArtifactFilter{Run: 42}, 0); !isStatus(err, http.StatusNotFound) {
		t.Errorf("artifacts of a run not there: %v, want 404", err)
	}
}

func isStatus(err error, status int) bool {
	var he *HTTPError
	return errors.As(err, &he) && he.StatusCode == status
}

// TestGetAndDeleteArtifact: get, delete, then 404 to both.
func TestGetAndDeleteArtifact(t *testing.T) {
	_, c := fake(t, 1)
	ctx := context.Background()
	a, err := c.GetArtifact(ctx, repo, fakegh.ReleaseMacOS)
	if err != nil || a.Name != "dist-macos" || a.SizeInBytes != 13_107_200 || a.RunID() != fakegh.ReleaseRun {
		t.Fatalf("get: %+v, %v", a, err)
	}
	if err := c.DeleteArtifact(ctx, repo, fakegh.ReleaseMacOS); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetArtifact(ctx, repo, fakegh.ReleaseMacOS); !isStatus(err, http.StatusNotFound) {
		t.Errorf("get after delete: %v, want 404", err)
	}
	if err := c.DeleteArtifact(ctx, repo, fakegh.ReleaseMacOS); !isStatus(err, http.StatusNotFound) {
		t.Errorf("second delete: %v, want 404", err)
	}
}

// TestDownloadArtifact: the zip arrives whole, fetched from the storage
// host without the token; an expired URL is asked for again once; an
// expired artifact is an *ArtifactExpiredError; a deleted one a 404.
func TestDownloadArtifact(t *testing.T) {
	s, c, exp, _ := logsFake(t, fakegh.Faults{}, Options{Concurrency: 1})
	zip := fakegh.ArtifactZip(fakegh.ZipFile{Name: "../outside.txt", Body: "hostile"},
		fakegh.ZipFile{Name: "report.xml", Body: strings.Repeat("<ok/>", 50_000)})
	s.AddArtifacts(fakegh.Artifact{ID: 77, Name: "report", RunID: fakegh.FailedRun, Zip: zip})
	ctx := context.Background()

	var buf bytes.Buffer
	var last [2]int64
	n, err := c.DownloadArtifact(ctx, repo, 77, &buf, func(done, total int64) { last = [2]int64{done, total} })
	if err != nil || n != int64(len(zip)) || !bytes.Equal(buf.Bytes(), zip) {
		t.Fatalf("%d bytes, error %v; want the %d-byte zip", n, err, len(zip))
	}
	if last != [2]int64{int64(len(zip)), int64(len(zip))} {
		t.Errorf("progress ended at %v, want %d of %d", last, len(zip), len(zip))
	}
	lr := s.LogRequests()
	u, _ := url.Parse(s.LogURL)
	if len(lr) != 1 || lr[0].Header.Get("Authorization") != "" || !strings.HasSuffix(lr[0].Path, ".zip") {
		t.Errorf("storage host requests %+v (host %s), want one, with no token", lr, u.Host)
	}

	s.ResetRequests()
	exp.times.Store(1)
	buf.Reset()
	if _, err := c.DownloadArtifact(ctx, repo, 77, &buf, nil); err != nil || !bytes.Equal(buf.Bytes(), zip) {
		t.Fatalf("download through an expired URL: %v", err)
	}
	if api, host := len(s.Requests()), len(s.LogRequests()); api != 2 || host != 2 {
		t.Errorf("%d redirects and %d storage requests, want 2 and 2", api, host)
	}

	s.ResetRequests()
	exp.times.Store(2)
	_, err = c.DownloadArtifact(ctx, repo, 77, &bytes.Buffer{}, nil)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusForbidden || !he.LogHost ||
		!strings.Contains(err.Error(), "artifact storage host") || !strings.Contains(err.Error(), "such links expire ten minutes after") || strings.Contains(err.Error()+he.URL, "sig=") {
		t.Errorf("twice expired: %v, want the storage host's 403 without the signature", err)
	}

	_, err = c.DownloadArtifact(ctx, repo, fakegh.DependabotCoverage, &bytes.Buffer{}, nil)
	var gone *ArtifactExpiredError
	if !errors.As(err, &gone) || gone.ID != fakegh.DependabotCoverage || !isStatus(err, http.StatusGone) ||
		err.Error() != "artifact 9000001022 has expired (GitHub keeps artifacts 90 days by default)" {
		t.Errorf("expired artifact: %v, want *ArtifactExpiredError", err)
	}

	if err := c.DeleteArtifact(ctx, repo, 77); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DownloadArtifact(ctx, repo, 77, &bytes.Buffer{}, nil); !isStatus(err, http.StatusNotFound) || errors.As(err, &gone) {
		t.Errorf("deleted artifact: %v, want 404", err)
	}
}

// TestStorageRedirectPolicy: a storage host may redirect a download a few
// times, never from https down to plain http, and a loop stops.
func TestStorageRedirectPolicy(t *testing.T) {
	req := func(u string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, u, nil)
		return r
	}
	signed := req("https://results.blob.core.windows.net/a.zip?sig=x")
	for _, tc := range []struct {
		name string
		next *http.Request
		via  []*http.Request
		want string
	}{
		{"https to https", req("https://other.blob.core.windows.net/a.zip"), []*http.Request{signed}, ""},
		{"https to http", req("http://evil.example/a.zip"), []*http.Request{signed}, "from https to plain http evil.example: refused"},
		{"http to http", req("http://127.0.0.1:9/a.zip"), []*http.Request{req("http://127.0.0.1:8/a.zip")}, ""},
		{"a loop", req("https://results.blob.core.windows.net/a.zip"), []*http.Request{signed, signed, signed, signed}, "more than 3 times"},
	} {
		err := storageRedirect(tc.next, tc.via)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
