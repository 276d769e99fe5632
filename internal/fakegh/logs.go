package fakegh

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// logURLLifetime is how long a log download URL works: "This link expires after 1 minute."
const logURLLifetime = time.Minute

// signingKey signs log URLs; fixed, so that Locations are the same from run to run.
var signingKey = []byte("fakegh log signing key")

// expiryLayout is the form of urlExpires in GitHub's example Location.
const expiryLayout = "2006-01-02T15:04:05.0000000Z07:00"

// redirectLogs serves GET …/logs and …/attempts/{n}/logs: a 302 to a signed URL on
// the log host that works for one minute.
func (s *Server) redirectLogs(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	a := strconv.Itoa(rs.Attempt)
	if n, ok := c.vars["attempt_number"]; ok {
		a = n
	}
	r, ok := rs.attempt(a)
	if ok && r.Status != "completed" {
		// What GitHub was seen to answer for a run in progress; its docs do not say.
		return errorResponse(http.StatusInternalServerError, "Failed to generate URL to download logs", c.doc)
	}
	if !ok || r.Logs == nil {
		// GitHub does not document the status for logs past retention; 404 says "not there".
		return notFound(c.doc)
	}
	path := fmt.Sprintf("/_apis/pipelines/1/runs/%d/attempts/%d/signedlogcontent", r.ID, r.Attempt)
	expires := c.now.Add(logURLLifetime).UTC().Format(expiryLayout)
	// The parameters in the order of GitHub's example Location.
	return redirect(s.LogURL + path + "?urlExpires=" + url.QueryEscape(expires) +
		"&urlSigningMethod=HMACV1&urlSignature=" + url.QueryEscape(sign(path, expires)))
}

// deleteLogs serves DELETE …/logs: every attempt's logs go.
func (s *Server) deleteLogs(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	if rs.Status != "completed" {
		// GitHub does not document this case; 403 is a status the operation
		// declares, and the message is the fake's.
		return errorResponse(http.StatusForbidden, "Cannot delete logs of a workflow run that is not completed.", c.doc)
	}
	// Deleting logs that are already gone succeeds: GitHub does not say, and DELETE
	// is idempotent.
	rs.Logs = nil
	for n, r := range rs.earlier {
		r.Logs = nil
		rs.earlier[n] = r
	}
	return emptyResponse(http.StatusNoContent)
}

// serveLog answers the log host: a signed, unexpired URL gets the archive, whatever
// Authorization says (the signature is the credential); anything else gets an
// Azure-Blob-like XML error, as GitHub's log storage sends.
func (s *Server) serveLog(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	now := s.now()
	s.mu.Lock()
	s.logRequests = append(s.logRequests, recordRequest(r, body))
	s.mu.Unlock()

	if r.Method != http.MethodGet {
		s.rep.Errorf("fakegh: unexpected request to the log host: %s %s", r.Method, r.URL.RequestURI())
		blobError(w, http.StatusMethodNotAllowed, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.", now)
		return
	}
	if strings.HasPrefix(r.URL.Path, artifactBlobPrefix) {
		s.serveArtifactZip(w, r, now) // artifacts.go: the same storage host serves artifacts
		return
	}
	var id int64
	var attempt int
	if _, err := fmt.Sscanf(r.URL.Path, "/_apis/pipelines/1/runs/%d/attempts/%d/signedlogcontent", &id, &attempt); err != nil ||
		!strings.HasSuffix(r.URL.Path, "/signedlogcontent") {
		s.rep.Errorf("fakegh: unexpected request to the log host: %s %s", r.Method, r.URL.RequestURI())
		blobError(w, http.StatusNotFound, "ResourceNotFound", "The specified resource does not exist.", now)
		return
	}
	if !checkSigned(w, r, "urlExpires", "urlSignature", now) {
		return
	}

	s.mu.Lock()
	var logs []byte
	if rs, ok := s.runs[id]; ok {
		if run, ok := rs.attempt(strconv.Itoa(attempt)); ok {
			logs = run.Logs
		}
	}
	s.mu.Unlock()
	if logs == nil {
		// Deleted since the redirect.
		blobError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.", now)
		return
	}
	// GitHub's log storage sends the archive chunked, with no Content-Length:
	// flushing the header before the body keeps net/http from adding one.
	w.Header().Set("Content-Type", "application/zip")
	w.WriteHeader(http.StatusOK)
	http.NewResponseController(w).Flush()
	w.Write(logs)
}

// checkSigned answers 403 as the storage host does, and reports false,
// unless r carries this fake's signature of its path and expiry (in the
// query parameters named) and the expiry is still ahead. The log and
// artifact hosts name the parameters differently but check them alike.
func checkSigned(w http.ResponseWriter, r *http.Request, expiresParam, sigParam string, now time.Time) bool {
	q := r.URL.Query()
	// RFC 3339 parsing accepts the fractional seconds of the logs' expiry.
	expires, err := time.Parse(time.RFC3339, q.Get(expiresParam))
	if err != nil || !hmac.Equal([]byte(q.Get(sigParam)), []byte(sign(r.URL.Path, q.Get(expiresParam)))) {
		blobError(w, http.StatusForbidden, "AuthenticationFailed", "Signature did not match.", now)
		return false
	}
	if now.After(expires) {
		blobError(w, http.StatusForbidden, "AuthenticationFailed", fmt.Sprintf(
			"Signed expiry time [%s] must be after signed start time [%s]", expires.Format(time.RFC1123), now.UTC().Format(time.RFC1123)), now)
		return false
	}
	return true
}

func sign(path, expires string) string {
	mac := hmac.New(sha256.New, signingKey)
	io.WriteString(mac, path+"\n"+expires)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// blobError writes an error in Azure Blob Storage's form.
func blobError(w http.ResponseWriter, status int, code, detail string, now time.Time) {
	msg := "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature."
	if code != "AuthenticationFailed" {
		msg = detail
		detail = ""
	}
	body := fmt.Sprintf(`<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s
RequestId:00000000-0000-0000-0000-000000000000
Time:%s</Message>`, code, msg, now.UTC().Format(expiryLayout))
	if detail != "" {
		body += "<AuthenticationErrorDetail>" + detail + "</AuthenticationErrorDetail>"
	}
	body += "</Error>"
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	io.WriteString(w, body)
}
