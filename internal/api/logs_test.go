package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// expirer is a transport that moves the fake clock past the download
// URL's lifetime (a minute for logs, ten for artifacts) just before the
// first times requests reach the storage host, as a slow client would.
type expirer struct {
	base    http.RoundTripper
	logHost string
	clk     *clock
	times   atomic.Int32
}

func (e *expirer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == e.logHost && e.times.Add(-1) >= 0 {
		e.clk.Advance(11 * time.Minute)
	}
	return e.base.RoundTrip(req)
}

// logsFake is a seeded fake whose run 7000000110 has a 4 MiB archive, with a
// client whose transport can let log URLs expire.
func logsFake(t *testing.T, f fakegh.Faults, opts Options) (*fakegh.Server, *Client, *expirer, []byte) {
	t.Helper()
	exp := &expirer{base: http.DefaultTransport}
	opts.Transport = exp
	s, c, clk := faulty(t, true, f, opts)
	u, _ := url.Parse(s.LogURL)
	exp.logHost, exp.clk = u.Host, clk
	r, _ := s.Run(fakegh.FailedRun)
	r.Logs = bytes.Repeat([]byte("0123456789abcdef"), 1<<18)
	s.AddRuns(r)
	return s, c, exp, r.Logs
}

// TestDownloadLogsDropped: a connection dropped half-way fails the download
// (bytes are already written, so it is not started again); the next
// download gets the archive intact.
func TestDownloadLogsDropped(t *testing.T) {
	s, c, _, logs := logsFake(t, fakegh.Faults{CloseLogAfter: 1 << 20}, Options{Concurrency: 1})
	var buf bytes.Buffer
	n, err := c.DownloadLogs(context.Background(), repo, fakegh.FailedRun, 0, &buf, nil)
	if err == nil || n == 0 || n >= int64(len(logs)) {
		t.Fatalf("cut download: %d bytes, error %v; want some bytes and an error", n, err)
	}
	if got := len(s.LogRequests()); got != 1 {
		t.Errorf("%d log requests after a cut download, want 1", got)
	}
	buf.Reset()
	n, err = c.DownloadLogs(context.Background(), repo, fakegh.FailedRun, 0, &buf, nil)
	if err != nil || n != int64(len(logs)) || !bytes.Equal(buf.Bytes(), logs) {
		t.Errorf("second download: %d bytes, error %v; want the %d-byte archive", n, err, len(logs))
	}
}

// TestDownloadLogsExpired: a log URL that expired before it was fetched is
// asked for again, once.
func TestDownloadLogsExpired(t *testing.T) {
	s, c, exp, logs := logsFake(t, fakegh.Faults{}, Options{Concurrency: 1})
	exp.times.Store(1)
	var buf bytes.Buffer
	n, err := c.DownloadLogs(context.Background(), repo, fakegh.FailedRun, 0, &buf, nil)
	if err != nil || !bytes.Equal(buf.Bytes(), logs) || n != int64(len(logs)) {
		t.Fatalf("%d bytes, error %v; want the archive", n, err)
	}
	if api, log := len(s.Requests()), len(s.LogRequests()); api != 2 || log != 2 {
		t.Errorf("%d redirects and %d log requests, want 2 and 2", api, log)
	}

	// Expired again: the error is the log host's, without the signed URL.
	s.ResetRequests()
	exp.times.Store(2)
	_, err = c.DownloadLogs(context.Background(), repo, fakegh.FailedRun, 0, &bytes.Buffer{}, nil)
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusForbidden || strings.Contains(err.Error()+he.URL, "urlSignature") {
		t.Errorf("twice expired: %v (URL %s), want the 403 without the signature", err, he.URL)
	}
	if api, log := len(s.Requests()), len(s.LogRequests()); api != 2 || log != 2 {
		t.Errorf("%d redirects and %d log requests, want 2 and 2: one fresh URL only", api, log)
	}
}

// TestDebugHidesSecrets: GH_DEBUG's log names every request but shows
// neither the token nor the signature of log URLs.
func TestDebugHidesSecrets(t *testing.T) {
	debug := &syncBuffer{}
	_, c, exp, _ := logsFake(t, fakegh.Faults{Every502: 3, EverySecondary: 4}, Options{Concurrency: 2, Debug: debug})
	exp.times.Store(1)
	ctx := context.Background()
	c.ListRuns(ctx, repo, RunFilter{}, 0)
	c.GetRun(ctx, repo, fakegh.FailedRun, 0)
	c.Cancel(ctx, repo, fakegh.SuccessfulRun, false) // 409
	c.Rerun(ctx, repo, fakegh.InProgressRun, 0, false, true)
	if _, err := c.DownloadLogs(ctx, repo, fakegh.FailedRun, 0, &bytes.Buffer{}, nil); err != nil {
		t.Fatal(err)
	}
	out := debug.String()
	for _, secret := range []string{token, "urlSignature", "urlExpires", "signedlogcontent?"} {
		if strings.Contains(out, secret) {
			t.Errorf("the debug log shows %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"> GET ", "< GET ", "/signedlogcontent: 403", "/signedlogcontent: 200", "> POST ", ": 502 in ", "secondary rate limit", "trying again"} {
		if !strings.Contains(out, want) {
			t.Errorf("the debug log lacks %q:\n%s", want, out)
		}
	}
}
