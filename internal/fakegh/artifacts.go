package fakegh

import (
	"archive/zip"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"time"
)

// Artifact is a workflow run's artifact as the fake stores it.
type Artifact struct {
	ID int64
	// Name is the artifact's name; a run's artifacts have distinct names,
	// but runs share them ("test-results" in every CI run).
	Name string
	// RunID is the run that uploaded it. HeadBranch and HeadSHA, when
	// empty, take that run's when AddArtifacts is called.
	RunID               int64
	HeadBranch, HeadSHA string
	// SizeInBytes is what listings report; 0 takes len(Zip). The seed
	// reports sizes of real builds with small archives behind them.
	SizeInBytes int64
	// CreatedAt orders listings (newest first); zero takes the run's
	// UpdatedAt. UpdatedAt takes CreatedAt, ExpiresAt CreatedAt plus 90
	// days (GitHub's default retention).
	CreatedAt, UpdatedAt, ExpiresAt time.Time
	// Expired makes the artifact listed as expired, and its download
	// answer 410 Gone.
	Expired bool
	// Zip is the archive the download serves; nil takes an archive with
	// one file, <name>.txt.
	Zip []byte
	// NoExpiry answers expires_at null, which GitHub's artifact schema
	// allows.
	NoExpiry bool
	// NoDigest leaves the digest key out of the artifact's answers, as
	// GitHub does for artifacts uploaded before it recorded digests (2025).
	NoDigest bool
}

// ZipFile is one entry of an archive made by ArtifactZip. Name is stored
// as given, so a test can make hostile archives: "../x", "/etc/x", "a\\b".
type ZipFile struct {
	Name string
	// Body is the file's content, or a symlink's target.
	Body    string
	Symlink bool
	// Dir makes a folder entry (Name should end in "/").
	Dir bool
}

// ArtifactZip builds a zip archive of files, in order, dated SeedBase.
func ArtifactZip(files ...ZipFile) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: SeedBase}
		switch {
		case f.Symlink:
			h.SetMode(os.ModeSymlink | 0o777)
		case f.Dir:
			h.SetMode(os.ModeDir | 0o755)
		default:
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err == nil && !f.Dir {
			_, err = w.Write([]byte(f.Body))
		}
		if err != nil {
			panic("fakegh: build an artifact archive: " + err.Error())
		}
	}
	if err := zw.Close(); err != nil {
		panic("fakegh: build an artifact archive: " + err.Error())
	}
	return buf.Bytes()
}

// artifactRetention is how long GitHub keeps an artifact by default:
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/storing-and-sharing-data-from-a-workflow
const artifactRetention = 90 * 24 * time.Hour

// AddArtifacts adds artifacts, replacing any with the same ID, with the
// defaults documented on Artifact. An artifact of a run the server does
// not know keeps its own head branch and SHA.
func (s *Server) AddArtifacts(as ...Artifact) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.artifacts == nil {
		s.artifacts = map[int64]*Artifact{}
	}
	for _, a := range as {
		if rs, ok := s.runs[a.RunID]; ok {
			a.HeadBranch = cmp.Or(a.HeadBranch, rs.HeadBranch)
			a.HeadSHA = cmp.Or(a.HeadSHA, rs.HeadSHA)
			if a.CreatedAt.IsZero() {
				a.CreatedAt = rs.UpdatedAt
			}
		}
		if a.UpdatedAt.IsZero() {
			a.UpdatedAt = a.CreatedAt
		}
		if a.ExpiresAt.IsZero() && !a.NoExpiry {
			a.ExpiresAt = a.CreatedAt.Add(artifactRetention)
		}
		if a.Zip == nil {
			a.Zip = ArtifactZip(ZipFile{Name: a.Name + ".txt", Body: fmt.Sprintf("artifact %s of run %d\n", a.Name, a.RunID)})
		} else {
			a.Zip = slices.Clone(a.Zip)
		}
		if a.SizeInBytes == 0 {
			a.SizeInBytes = int64(len(a.Zip))
		}
		s.artifacts[a.ID] = &a
	}
}

// Artifact returns a copy of the artifact, if it exists.
func (s *Server) Artifact(id int64) (Artifact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.artifacts[id]
	if !ok {
		return Artifact{}, false
	}
	c := *a
	c.Zip = slices.Clone(a.Zip)
	return c, true
}

// Artifacts returns copies of every artifact, newest first.
func (s *Server) Artifacts() []Artifact {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Artifact
	for _, a := range s.sortedArtifacts(func(*Artifact) bool { return true }) {
		c := *a
		c.Zip = slices.Clone(a.Zip)
		out = append(out, c)
	}
	return out
}

// sortedArtifacts returns the artifacts keep selects, newest first
// (created_at, then ID, descending). s.mu is held.
func (s *Server) sortedArtifacts(keep func(*Artifact) bool) []*Artifact {
	var out []*Artifact
	for _, a := range s.artifacts {
		if keep(a) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *Artifact) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}

// The seeded artifacts tests name.
const (
	// FailedRunTestResults is "test-results" of FailedRun (CI#55).
	FailedRunTestResults = 9000001101
	// FailedRunCoverage is "coverage" of FailedRun.
	FailedRunCoverage = 9000001102
	// DeployManifest is "deploy-manifest" of SuccessfulRun (Deploy#14).
	DeployManifest = 9000001111
	// NightlyScreenshots is "e2e-screenshots" of CancelledRun (Nightly#200).
	NightlyScreenshots = 9000001071
	// ReleaseLinux, ReleaseMacOS and ReleaseWindows are the "dist-*"
	// builds of ReleaseRun (CI#54); ReleaseTestResults its "test-results".
	ReleaseLinux       = 9000001061
	ReleaseMacOS       = 9000001062
	ReleaseWindows     = 9000001063
	ReleaseTestResults = 9000001064
	// OlderTestResults and OlderCoverage are those of OlderSuccessfulRun (CI#53).
	OlderTestResults = 9000001031
	OlderCoverage    = 9000001032
	// DependabotTestResults and DependabotCoverage are those of
	// DependabotRun (CI#52), kept 7 days and so expired.
	DependabotTestResults = 9000001021
	DependabotCoverage    = 9000001022
)

// seedArtifacts adds the artifacts listed on Seed.
func seedArtifacts(s *Server) {
	week := 7 * 24 * time.Hour
	var as []Artifact
	add := func(run, id int64, name string, size int64, retention time.Duration) {
		rs, _ := s.Run(run)
		created := rs.UpdatedAt.Add(-time.Duration(id%10) * time.Second)
		a := Artifact{ID: id, Name: name, RunID: run, SizeInBytes: size, CreatedAt: created}
		if retention > 0 {
			a.ExpiresAt = created.Add(retention)
			a.Expired = a.ExpiresAt.Before(SeedBase)
		}
		as = append(as, a)
	}
	add(SuccessfulRun, DeployManifest, "deploy-manifest", 2048, 0)
	add(FailedRun, FailedRunTestResults, "test-results", 18_432, 0)
	add(FailedRun, FailedRunCoverage, "coverage", 245_760, 0)
	add(CancelledRun, NightlyScreenshots, "e2e-screenshots", 5_242_880, 0)
	add(ReleaseRun, ReleaseLinux, "dist-linux", 12_582_912, 0)
	add(ReleaseRun, ReleaseMacOS, "dist-macos", 13_107_200, 0)
	add(ReleaseRun, ReleaseWindows, "dist-windows", 14_155_776, 0)
	add(ReleaseRun, ReleaseTestResults, "test-results", 20_480, 0)
	add(OlderSuccessfulRun, OlderTestResults, "test-results", 17_920, 0)
	add(OlderSuccessfulRun, OlderCoverage, "coverage", 240_000, 0)
	add(DependabotRun, DependabotTestResults, "test-results", 16_384, week)
	add(DependabotRun, DependabotCoverage, "coverage", 230_000, week)
	s.AddArtifacts(as...)
}

const docArtifacts = "https://docs.github.com/rest/actions/artifacts#"

// artifactRoutes are served by this file. GitHub has them; the description
// the fake checks against lacks them, so they get the header and Location
// checks only.
var artifactRoutes = []route{
	{"GET", "artifacts", docArtifacts + "list-artifacts-for-a-repository", false, (*Server).listArtifacts},
	{"GET", "runs/{run_id}/artifacts", docArtifacts + "list-workflow-run-artifacts", false, (*Server).listArtifacts},
	{"GET", "artifacts/{artifact_id}", docArtifacts + "get-an-artifact", false, (*Server).getArtifact},
	{"DELETE", "artifacts/{artifact_id}", docArtifacts + "delete-an-artifact", false, (*Server).deleteArtifact},
	{"GET", "artifacts/{artifact_id}/{archive_format}", docArtifacts + "download-an-artifact", false, (*Server).redirectArtifact},
}

func init() { routes = append(routes, artifactRoutes...) }

// listArtifacts serves both listings, newest first, with GitHub's name
// filter (an exact match). A run the fake does not know answers 404.
func (s *Server) listArtifacts(c *call) response {
	var run int64
	if _, ok := c.vars["run_id"]; ok {
		rs, ok := s.lookupRun(c)
		if !ok {
			return notFound(c.doc)
		}
		run = rs.ID
	}
	name, named := c.r.URL.Query()["name"]
	matched := s.sortedArtifacts(func(a *Artifact) bool {
		return (run == 0 || a.RunID == run) && (!named || a.Name == name[0])
	})
	p := pageOf(c.r)
	lo, hi := p.slice(len(matched))
	items := make([]any, 0, hi-lo)
	for _, a := range matched[lo:hi] {
		items = append(items, s.renderArtifact(a))
	}
	res := jsonResponse(http.StatusOK, map[string]any{"total_count": len(matched), "artifacts": items})
	s.setLink(&res, c.r, p, len(matched))
	return res
}

// lookupArtifact finds the artifact the path names. s.mu is held.
func (s *Server) lookupArtifact(c *call) (*Artifact, bool) {
	id, err := strconv.ParseInt(c.vars["artifact_id"], 10, 64)
	if err != nil {
		return nil, false
	}
	a, ok := s.artifacts[id]
	return a, ok
}

func (s *Server) getArtifact(c *call) response {
	a, ok := s.lookupArtifact(c)
	if !ok {
		return notFound(c.doc)
	}
	return jsonResponse(http.StatusOK, s.renderArtifact(a))
}

// deleteArtifact serves DELETE …/artifacts/{id}: 204, and 404 from then on.
func (s *Server) deleteArtifact(c *call) response {
	a, ok := s.lookupArtifact(c)
	if !ok {
		return notFound(c.doc)
	}
	delete(s.artifacts, a.ID)
	return emptyResponse(http.StatusNoContent)
}

// redirectArtifact serves GET …/artifacts/{id}/zip: a 302 with an empty
// body to a signed URL on the storage host (the log host's listener); 410
// Gone for an expired artifact, as GitHub's docs list
// (https://docs.github.com/rest/actions/artifacts#download-an-artifact).
// Artifacts uploaded with actions/upload-artifact v4, the only version
// GitHub.com accepts since v3's deprecation (announced for 30 November 2024,
// https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/),
// are served by Azure Blob Storage: the Location is a shared access
// signature URL (sv, st, se, sr=b, sp=r, spr=https, sig) valid ten minutes
// from st to se, whose rscd makes the answer an attachment named
// "NAME.zip". Older artifacts redirected to the log host's
// …/signedartifactscontent URLs valid one minute; the fake serves the
// current form only.
func (s *Server) redirectArtifact(c *call) response {
	a, ok := s.lookupArtifact(c)
	if !ok || c.vars["archive_format"] != "zip" {
		return notFound(c.doc)
	}
	if a.Expired {
		return errorResponse(http.StatusGone, "Artifact has expired", c.doc)
	}
	path := s.artifactBlobPath(a)
	start := c.now.UTC().Truncate(time.Second)
	q := url.Values{
		"rscd": {fmt.Sprintf("attachment; filename=%q", a.Name+".zip")},
		"se":   {start.Add(artifactURLLifetime).Format(time.RFC3339)},
		"sp":   {"r"}, "spr": {"https"}, "sr": {"b"},
		"st": {start.Format(time.RFC3339)},
		"sv": {"2021-12-02"},
	}
	q.Set("sig", sign(path, q.Get("se")))
	res := redirect(s.LogURL + path + "?" + q.Encode())
	res.header.Set("Content-Type", "text/html;charset=utf-8")
	return res
}

// artifactURLLifetime is how long an artifact's download URL works: the
// ten minutes between a v4 URL's st and se.
const artifactURLLifetime = 10 * time.Minute

// artifactBlobPrefix starts the storage path of every artifact archive.
const artifactBlobPrefix = "/actions-results/"

// artifactBlobPath is where the storage host keeps a's archive, in the
// form of Azure Blob Storage's v4 artifact paths: a container per
// repository, a folder per job, the archive named by a hash. s.mu is held.
func (s *Server) artifactBlobPath(a *Artifact) string {
	uuid := func(h string) string { return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32] }
	sum := sha256.Sum256([]byte(fmt.Sprint("artifact ", a.ID)))
	return artifactBlobPrefix + uuid(hexHash(fmt.Sprint("repository ", s.RepoID))) +
		"/workflow-job-run-" + uuid(hexHash(fmt.Sprint("run ", a.RunID))) + "/artifacts/" + hex.EncodeToString(sum[:]) + ".zip"
}

// serveArtifactZip answers the storage host for an artifact's archive: a
// signed, unexpired URL gets the zip, as an attachment named by rscd; a
// token must never reach this host.
func (s *Server) serveArtifactZip(w http.ResponseWriter, r *http.Request, now time.Time) {
	if r.Header.Get("Authorization") != "" {
		s.rep.Errorf("fakegh: the artifact storage host received an Authorization header: %s", r.URL.Path)
	}
	s.mu.Lock()
	var body []byte
	known := false
	for _, a := range s.artifacts {
		if s.artifactBlobPath(a) == r.URL.Path {
			body, known = a.Zip, true
		}
	}
	s.mu.Unlock()
	if !checkSigned(w, r, "se", "sig", now) {
		return
	}
	if !known {
		// Deleted since the redirect.
		blobError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.", now)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	if d := r.URL.Query().Get("rscd"); d != "" {
		// A shared access signature's rscd sets the answer's Content-Disposition:
		// https://learn.microsoft.com/rest/api/storageservices/create-service-sas
		w.Header().Set("Content-Disposition", d)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// renderArtifact renders a in GitHub's form and key order. s.mu is held.
func (s *Server) renderArtifact(a *Artifact) any {
	base := s.URL + "/repos/" + s.Owner + "/" + s.Repo + "/actions/artifacts/" + strconv.FormatInt(a.ID, 10)
	sum := sha256.Sum256(a.Zip)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	if a.NoDigest {
		digest = ""
	}
	return artifactJSON{
		ID:                 a.ID,
		NodeID:             nodeID("MDg6QXJ0aWZhY3Q", a.ID),
		Name:               a.Name,
		SizeInBytes:        a.SizeInBytes,
		URL:                base,
		ArchiveDownloadURL: base + "/zip",
		Expired:            a.Expired,
		CreatedAt:          rfc3339(a.CreatedAt),
		UpdatedAt:          rfc3339(a.UpdatedAt),
		ExpiresAt:          nullTime(a.ExpiresAt),
		Digest:             digest,
		WorkflowRun: artifactRunJSON{
			ID: a.RunID, RepositoryID: s.RepoID, HeadRepositoryID: s.RepoID,
			HeadBranch: a.HeadBranch, HeadSHA: a.HeadSHA,
		},
	}
}

// artifactJSON is GitHub's artifact, keys in its order.
type artifactJSON struct {
	ID                 int64           `json:"id"`
	NodeID             string          `json:"node_id"`
	Name               string          `json:"name"`
	SizeInBytes        int64           `json:"size_in_bytes"`
	URL                string          `json:"url"`
	ArchiveDownloadURL string          `json:"archive_download_url"`
	Expired            bool            `json:"expired"`
	CreatedAt          string          `json:"created_at"`
	UpdatedAt          string          `json:"updated_at"`
	ExpiresAt          any             `json:"expires_at"`
	Digest             string          `json:"digest,omitempty"`
	WorkflowRun        artifactRunJSON `json:"workflow_run"`
}

type artifactRunJSON struct {
	ID               int64  `json:"id"`
	RepositoryID     int64  `json:"repository_id"`
	HeadRepositoryID int64  `json:"head_repository_id"`
	HeadBranch       string `json:"head_branch"`
	HeadSHA          string `json:"head_sha"`
}
