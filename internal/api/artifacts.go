package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Artifact is a file a workflow run uploaded, as GitHub lists it.
// Nullable times decode to the zero time.
type Artifact struct {
	ID          int64  `json:"id"`
	NodeID      string `json:"node_id"`
	Name        string `json:"name"`
	SizeInBytes int64  `json:"size_in_bytes"`
	URL         string `json:"url"`
	// ArchiveDownloadURL is the API URL that redirects to the zip.
	ArchiveDownloadURL string `json:"archive_download_url"`
	// Expired is set once GitHub no longer keeps the archive; the artifact
	// is still listed, but its download answers 410 Gone.
	Expired   bool      `json:"expired"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Digest is "sha256:<hex>" of the archive; GitHub sends it for
	// artifacts uploaded since 2025, "" for older ones.
	Digest      string       `json:"digest"`
	WorkflowRun *ArtifactRun `json:"workflow_run"`
}

// ArtifactRun is the run that uploaded an artifact.
type ArtifactRun struct {
	ID               int64  `json:"id"`
	RepositoryID     int64  `json:"repository_id"`
	HeadRepositoryID int64  `json:"head_repository_id"`
	HeadBranch       string `json:"head_branch"`
	HeadSHA          string `json:"head_sha"`
}

// RunID is the ID of the run that uploaded the artifact, 0 when GitHub
// does not say.
func (a Artifact) RunID() int64 {
	if a.WorkflowRun == nil {
		return 0
	}
	return a.WorkflowRun.ID
}

// HeadBranch is the branch of the run that uploaded the artifact, or "".
func (a Artifact) HeadBranch() string {
	if a.WorkflowRun == nil {
		return ""
	}
	return a.WorkflowRun.HeadBranch
}

// HeadSHA is the commit of the run that uploaded the artifact, or "".
func (a Artifact) HeadSHA() string {
	if a.WorkflowRun == nil {
		return ""
	}
	return a.WorkflowRun.HeadSHA
}

// ArtifactFilter selects artifacts; empty fields are not sent.
type ArtifactFilter struct {
	// Run, when not 0, lists that run's artifacts instead of the repository's.
	Run int64
	// Name keeps artifacts of exactly this name.
	Name string
}

// ArtifactList is a listing of artifacts, newest first.
type ArtifactList struct {
	Artifacts []Artifact
	// TotalCount is GitHub's count of matching artifacts.
	TotalCount int
}

type artifactsPage struct {
	TotalCount int        `json:"total_count"`
	Artifacts  []Artifact `json:"artifacts"`
}

func decodeArtifacts(c *Client, ctx context.Context, rawURL string) (page[Artifact], http.Header, error) {
	var p artifactsPage
	h, err := c.getJSON(ctx, rawURL, &p)
	return page[Artifact]{items: p.Artifacts, total: p.TotalCount}, h, err
}

// ListArtifacts lists up to limit artifacts (0: all) that f selects: a
// run's, or the repository's.
func (c *Client) ListArtifacts(ctx context.Context, repo Repo, f ArtifactFilter, limit int) (*ArtifactList, error) {
	path := repo.path("artifacts")
	if f.Run != 0 {
		path = runPath(repo, f.Run, "artifacts")
	}
	q := url.Values{}
	if f.Name != "" {
		q.Set("name", f.Name)
	}
	items, total, err := listAll(ctx, c, path, q, limit, identity, decodeArtifacts)
	if err != nil {
		return nil, err
	}
	// An artifact uploaded while paging shifts every later page by one.
	items = dedupeByID(items, func(a Artifact) int64 { return a.ID })
	return &ArtifactList{Artifacts: items, TotalCount: total}, nil
}

// ListArtifactsEach lists up to limit artifacts (0: all) for each filter,
// together rather than one after the other: GitHub filters by one name at
// a time, and each listing is a round trip at least. The client's slots
// bound the requests in flight. The first error, in the filters' order,
// fails the whole.
func (c *Client) ListArtifactsEach(ctx context.Context, repo Repo, fs []ArtifactFilter, limit int) ([]*ArtifactList, error) {
	lists := make([]*ArtifactList, len(fs))
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Go(func() { lists[i], errs[i] = c.ListArtifacts(ctx, repo, f, limit) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return lists, nil
}

func artifactPath(repo Repo, id int64, rest string) string {
	p := repo.path("artifacts/" + strconv.FormatInt(id, 10))
	if rest != "" {
		p += "/" + rest
	}
	return p
}

// GetArtifact fetches one artifact.
func (c *Client) GetArtifact(ctx context.Context, repo Repo, id int64) (*Artifact, error) {
	var a Artifact
	if _, err := c.do(ctx, http.MethodGet, artifactPath(repo, id, ""), nil, nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteArtifact deletes an artifact. GitHub answers 404 for one already
// gone. A request that fails in passing is repeated: a repeat of a delete
// that went through is answered 404.
func (c *Client) DeleteArtifact(ctx context.Context, repo Repo, id int64) error {
	_, err := c.doWith(ctx, http.MethodDelete, artifactPath(repo, id, ""), nil, nil, nil, sendOpts{retry: true})
	return err
}

// ArtifactExpiredError is GitHub answering 410 Gone to the download of an
// artifact past its retention (90 days by default,
// https://docs.github.com/en/organizations/managing-organization-settings/configuring-the-retention-period-for-github-actions-artifacts-and-logs-in-your-organization).
type ArtifactExpiredError struct {
	ID  int64
	Err *HTTPError
}

func (e *ArtifactExpiredError) Error() string {
	return fmt.Sprintf("artifact %d has expired (GitHub keeps artifacts 90 days by default)", e.ID)
}

func (e *ArtifactExpiredError) Unwrap() error { return e.Err }

// DownloadArtifact streams an artifact's zip into w, as DownloadLogs does
// a run's logs: GitHub redirects to a short-lived URL on another host,
// which is fetched without the token, and asked again once if that host
// refuses the URL before a byte was written. progress, when set, is told
// the bytes written so far and the total (-1 when unknown). An expired
// artifact fails with *ArtifactExpiredError.
func (c *Client) DownloadArtifact(ctx context.Context, repo Repo, id int64, w io.Writer, progress func(done, total int64)) (int64, error) {
	// Artifacts of actions/upload-artifact v4 redirect to Azure Blob Storage
	// with a signature valid ten minutes (older ones to the log host, one minute).
	a := archive{what: "artifact " + strconv.FormatInt(id, 10), storage: "artifact storage", fresh: "artifact", lifetime: "ten minutes"}
	return c.downloadRedirected(ctx, artifactPath(repo, id, "zip"), a, w, progress, func(err error) error {
		var he *HTTPError
		if errors.As(err, &he) && he.StatusCode == http.StatusGone {
			return &ArtifactExpiredError{ID: id, Err: he}
		}
		return err
	})
}
