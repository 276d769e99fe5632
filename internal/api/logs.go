package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// DownloadLogs streams a run's log archive (of attempt, when above 0) into w.
// GitHub answers with a redirect to a short-lived URL on another host; that
// URL is fetched at once and without the token, which it must never see.
// progress, when set, is told the bytes written so far and the total
// (-1 when unknown).
func (c *Client) DownloadLogs(ctx context.Context, repo Repo, id int64, attempt int, w io.Writer, progress func(done, total int64)) (int64, error) {
	path := runPath(repo, id, "logs")
	if attempt > 0 {
		path = runPath(repo, id, "attempts/"+strconv.Itoa(attempt)+"/logs")
	}
	req, err := c.newRequest(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.send(req, true)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusTemporaryRedirect {
		return 0, fmt.Errorf("GET %s: expected a redirect to the archive, got HTTP %d", req.URL.Redacted(), resp.StatusCode)
	}
	loc, err := resp.Location()
	if err != nil {
		return 0, fmt.Errorf("GET %s: redirect without a usable Location: %w", req.URL.Redacted(), err)
	}

	dl, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return 0, err
	}
	dl.Header.Set("User-Agent", c.userAgent)
	// The signed URL is a credential too: log only its host and path.
	shown := loc.Scheme + "://" + loc.Host + loc.Path
	c.logf("> GET %s", shown)
	got, err := c.plain.Do(dl)
	if err != nil {
		return 0, fmt.Errorf("downloading logs from %s: %w", loc.Host, unwrapURLError(err))
	}
	defer got.Body.Close()
	c.logf("< GET %s: %d", shown, got.StatusCode)
	if got.StatusCode != http.StatusOK {
		e := newHTTPError(got)
		e.URL = shown
		return 0, e
	}
	total := got.ContentLength
	dst := w
	if progress != nil {
		dst = &progressWriter{w: w, total: total, report: progress}
	}
	n, err := io.Copy(dst, got.Body)
	if err != nil {
		return n, fmt.Errorf("downloading logs from %s: %w", loc.Host, err)
	}
	if total >= 0 && n != total {
		return n, fmt.Errorf("downloading logs from %s: got %d of %d bytes", loc.Host, n, total)
	}
	return n, nil
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
