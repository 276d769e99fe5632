package fakegh

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLogs follows the log redirect to the log host, then lets the URL expire.
func TestLogs(t *testing.T) {
	s := Start(t)
	Seed(s)
	now := SeedBase.Add(time.Hour)
	s.Now = func() time.Time { return now }
	run, _ := s.Run(FailedRun)

	r := fetch(t, s, "GET", "runs/7000000110/logs", "")
	wantStatus(t, r, http.StatusFound)
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, s.LogURL+"/") || !strings.Contains(loc, "urlSigningMethod=HMACV1") {
		t.Fatalf("Location %q is not a signed URL on the log host %s", loc, s.LogURL)
	}

	// The log host needs no Authorization, and records what it gets.
	get := func(auth string) reply {
		req, _ := http.NewRequest("GET", loc, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return send(t, req)
	}
	got := get("")
	wantStatus(t, got, http.StatusOK)
	// GitHub's log storage sends archives chunked, with no Content-Length.
	if got.body != string(run.Logs) || got.ContentLength != -1 || got.Header.Get("Content-Type") != "application/zip" {
		t.Errorf("log host served %d bytes (Content-Length %d, %s), want the run's %d-byte zip, chunked",
			len(got.body), got.ContentLength, got.Header.Get("Content-Type"), len(run.Logs))
	}
	if _, err := zip.NewReader(bytes.NewReader([]byte(got.body)), int64(len(got.body))); err != nil {
		t.Errorf("the log archive is not a zip: %v", err)
	}
	wantStatus(t, get("Bearer t0k3n"), http.StatusOK)
	lr := s.LogRequests()
	if len(lr) != 2 || lr[0].Header.Get("Authorization") != "" || lr[1].Header.Get("Authorization") != "Bearer t0k3n" {
		t.Errorf("log requests recorded wrongly: %+v", lr)
	}

	// A client following the redirect itself drops Authorization, since the log host
	// has another host name.
	if u, _ := url.Parse(s.LogURL); u.Hostname() != "127.0.0.1" {
		s.ResetRequests()
		req, _ := http.NewRequest("GET", s.URL+"/repos/octo/hello/actions/runs/7000000110/logs", nil)
		req.Header.Set("Accept", "application/vnd.github+json")
		req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
		req.Header.Set("User-Agent", "ghruns/test")
		req.Header.Set("Authorization", "Bearer t0k3n")
		followed, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		followed.Body.Close()
		if lr := s.LogRequests(); followed.StatusCode != 200 || len(lr) != 1 || lr[0].Header.Get("Authorization") != "" {
			t.Errorf("followed redirect: status %d, log requests %+v", followed.StatusCode, lr)
		}
	}

	// Each attempt has its own archive.
	a1 := fetch(t, s, "GET", "runs/7000000110/attempts/1/logs", "")
	wantStatus(t, a1, http.StatusFound)
	req, _ := http.NewRequest("GET", a1.Header.Get("Location"), nil)
	first := send(t, req)
	if first.StatusCode != 200 || first.body == got.body {
		t.Errorf("attempt 1 logs: status %d, same as attempt 2: %v", first.StatusCode, first.body == got.body)
	}

	// A tampered signature and an expired URL are refused as Azure refuses them.
	tampered := strings.Replace(loc, "attempts/2", "attempts/1", 1)
	req, _ = http.NewRequest("GET", tampered, nil)
	if r := send(t, req); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "AuthenticationFailed") {
		t.Errorf("tampered URL: %d %s", r.StatusCode, r.body)
	}
	now = now.Add(61 * time.Second)
	if r := get(""); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "<Code>AuthenticationFailed</Code>") {
		t.Errorf("expired URL: %d %s", r.StatusCode, r.body)
	}

	// A run in progress: the 500 GitHub was seen to answer. No archive: 404
	// from the API; deleted logs are gone for every attempt.
	if r := fetch(t, s, "GET", "runs/7000000113/logs", ""); r.StatusCode != http.StatusInternalServerError ||
		!strings.Contains(r.body, `"message":"Failed to generate URL to download logs"`) {
		t.Errorf("logs of a run in progress: %d %s", r.StatusCode, r.body)
	}
	wantStatus(t, fetch(t, s, "DELETE", "runs/7000000110/logs", ""), http.StatusNoContent)
	wantStatus(t, fetch(t, s, "GET", "runs/7000000110/logs", ""), http.StatusNotFound)
	wantStatus(t, fetch(t, s, "GET", "runs/7000000110/attempts/1/logs", ""), http.StatusNotFound)
	if run, _ := s.Run(FailedRun); run.Logs != nil {
		t.Error("the run still has logs after DELETE")
	}
}
