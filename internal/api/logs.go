package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// DownloadLogs streams a run's log archive (of attempt, when above 0) into w.
// GitHub answers with a redirect to a short-lived URL on another host; that
// URL is fetched at once and without the token, which it must never see.
// When the log host refuses the URL (it expires after a minute) or fails
// before a byte has reached w, GitHub is asked once for a fresh one.
// progress, when set, is told the bytes written so far and the total
// (-1 when unknown).
func (c *Client) DownloadLogs(ctx context.Context, repo Repo, id int64, attempt int, w io.Writer, progress func(done, total int64)) (int64, error) {
	path := runPath(repo, id, "logs")
	if attempt > 0 {
		path = runPath(repo, id, "attempts/"+strconv.Itoa(attempt)+"/logs")
	}
	logs := archive{what: "logs", storage: "log storage", fresh: "log", lifetime: "a minute"}
	return c.downloadRedirected(ctx, path, logs, w, progress, func(err error) error {
		return c.logsGone(ctx, repo, id, attempt, err)
	})
}

// archive names what a redirected download fetches, for its messages.
type archive struct {
	what    string // "logs", "artifact 42"
	storage string // the kind of host that stores it: "log storage"
	fresh   string // what a fresh URL is for: "log", "artifact"
	// lifetime is how long GitHub's download URL works: "a minute".
	lifetime string
}

// downloadRedirected streams the archive that path redirects to into w:
// the API answers with a redirect to a short-lived URL on another host,
// which is fetched at once and without the token, which it must never see.
// When the storage host refuses the URL (a log URL expires after a minute,
// an artifact URL after ten) or fails before a byte has reached w, the API
// is asked once for a fresh one.
// gone maps an error of the API's answer (not the storage host's) to what
// the caller reports.
func (c *Client) downloadRedirected(ctx context.Context, path string, a archive, w io.Writer,
	progress func(done, total int64), gone func(error) error) (int64, error) {
	for try := 1; ; try++ {
		loc, err := c.archiveLocation(ctx, path)
		if err != nil {
			return 0, gone(err)
		}
		n, err := c.fetchArchive(ctx, loc, a, w, progress)
		if err == nil || n > 0 || try > 1 || !staleDownloadURL(ctx, err) {
			return n, err
		}
		c.logf("! %v: asking GitHub for a fresh %s URL", err, a.fresh)
	}
}

// LogsGoneError is GitHub answering 404 or 410 for the logs of a run that
// exists: its logs were deleted, or expired (GitHub keeps them 90 days by
// default, https://docs.github.com/en/organizations/managing-organization-settings/configuring-the-retention-period-for-github-actions-artifacts-and-logs-in-your-organization).
type LogsGoneError struct {
	RunID   int64
	Attempt int // 0 for the latest
	// NeverRan is set for a run that ended before any job ran (skipped, or
	// failed to start), which never had logs.
	NeverRan bool
	Err      *HTTPError
}

func (e *LogsGoneError) Error() string {
	what := fmt.Sprintf("run %d", e.RunID)
	if e.Attempt > 0 {
		what = fmt.Sprintf("attempt %d of run %d", e.Attempt, e.RunID)
	}
	if e.NeverRan {
		return what + " has no logs: no job of it ran"
	}
	return "the logs of " + what + " are deleted or expired (GitHub keeps logs 90 days by default)"
}

// logsGone tells a run whose logs are gone from a run that is not there:
// GitHub answers 404 (or 410) to the logs of both, so one GET of the run
// decides. Any other error, or a run that cannot be read, is returned as err.
func (c *Client) logsGone(ctx context.Context, repo Repo, id int64, attempt int, err error) error {
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusNotFound && he.StatusCode != http.StatusGone {
		return err
	}
	r, rerr := c.getRun(ctx, repo, id, attempt)
	if rerr != nil || !r.Completed() {
		// A run still going has no logs yet; callers say so.
		return err
	}
	neverRan := r.Conclusion == ConclusionSkipped || r.Conclusion == ConclusionStartupFailure
	return &LogsGoneError{RunID: id, Attempt: attempt, NeverRan: neverRan, Err: he}
}

// archiveLocation asks the API where the archive at path is.
func (c *Client) archiveLocation(ctx context.Context, path string) (*url.URL, error) {
	req, err := c.newRequest(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req, sendOpts{redirect: true, retry: true})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusTemporaryRedirect {
		return nil, fmt.Errorf("GET %s: expected a redirect to the archive, got HTTP %d", redact(req.URL), resp.StatusCode)
	}
	// The Location is a signed link, a credential: a bad one is described,
	// never echoed.
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err == nil {
		loc = resp.Request.URL.ResolveReference(loc)
	}
	switch {
	case err != nil || resp.Header.Get("Location") == "":
		return nil, fmt.Errorf("GET %s: redirect without a usable Location (missing or malformed; not shown, as it may be a signed link)", redact(req.URL))
	case loc.Scheme != "https" && loc.Scheme != "http" || loc.Host == "":
		return nil, fmt.Errorf("GET %s: redirect to a Location that is not an http(s) URL (not shown, as it may be a signed link)", redact(req.URL))
	case loc.Scheme == "http" && c.base.Scheme == "https":
		return nil, fmt.Errorf("GET %s: redirect from https to plain http %s: refused", redact(req.URL), loc.Host)
	}
	return loc, nil
}

// fetchArchive copies the archive at the signed URL loc into w, in a request
// slot, and returns the bytes written.
func (c *Client) fetchArchive(ctx context.Context, loc *url.URL, a archive, w io.Writer, progress func(done, total int64)) (int64, error) {
	if err := c.acquire(ctx); err != nil {
		return 0, err
	}
	defer c.release()
	dl, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return 0, err
	}
	dl.Header.Set("User-Agent", c.userAgent)
	// The signed URL is a credential too: log only its host and path.
	shown := loc.Scheme + "://" + loc.Host + loc.Path
	c.logf("> GET %s", shown)
	wctx, watch := watch(ctx, loc.Host, c.timeout)
	defer watch.stop()
	got, err := c.plain.Do(dl.WithContext(wctx))
	if err != nil {
		return 0, fmt.Errorf("downloading %s from %s: %w", a.what, loc.Host, stalled(wctx, unwrapURLError(err)))
	}
	got.Body = watch.body(got.Body)
	defer got.Body.Close()
	c.logf("< GET %s: %d", shown, got.StatusCode)
	if got.StatusCode != http.StatusOK {
		e := newHTTPError(got)
		e.URL = shown
		e.LogHost = true
		// The storage host answers in its own (XML) words; say what it means.
		e.Message = fmt.Sprintf("the %s host %s refused the download link (such links expire %s after GitHub makes them)", a.storage, loc.Hostname(), a.lifetime)
		return 0, e
	}
	total := got.ContentLength
	dst := w
	if progress != nil {
		dst = &progressWriter{w: w, total: total, report: progress}
	}
	n, err := io.Copy(dst, got.Body)
	if err != nil {
		return n, fmt.Errorf("downloading %s from %s: %w", a.what, loc.Host, stalled(wctx, err))
	}
	if total >= 0 && n != total {
		return n, fmt.Errorf("downloading %s from %s: got %d of %d bytes", a.what, loc.Host, n, total)
	}
	return n, nil
}

// staleDownloadURL reports whether a failed archive download may work with
// a fresh URL: the storage host refused the signature (403, as for an
// expired URL) or failed in passing.
func staleDownloadURL(ctx context.Context, err error) bool {
	var he *HTTPError
	if errors.As(err, &he) && he.StatusCode == http.StatusForbidden {
		return ctx.Err() == nil
	}
	return isTransient(ctx, err)
}

type progressWriter struct {
	w      io.Writer
	done   int64
	total  int64
	report func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.done += int64(n)
	p.report(p.done, p.total)
	return n, err
}
