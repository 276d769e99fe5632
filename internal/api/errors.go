package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// HTTPError is a non-success answer from GitHub: its status, GitHub's own
// message and the request that caused it.
type HTTPError struct {
	StatusCode int
	Message    string
	Method     string
	URL        string
	Header     http.Header
	// RequestID is GitHub's X-GitHub-Request-Id of the answer, which GitHub
	// support asks for; "" when the answer had none.
	RequestID string
	// LogHost is set when the answer came from the storage host (of logs or
	// artifacts) that GitHub redirected to, not from GitHub's API.
	LogHost bool
}

func (e *HTTPError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if e.RequestID != "" && e.supportCase() {
		return fmt.Sprintf("%s (HTTP %d, request ID %s)", msg, e.StatusCode, e.RequestID)
	}
	return fmt.Sprintf("%s (HTTP %d)", msg, e.StatusCode)
}

// supportCase reports whether the error is one to take to GitHub support,
// which asks for the answer's request ID: a server error, or a refusal other
// than those that explain themselves (bad credentials, no permission, not
// found, conflict, gone).
func (e *HTTPError) supportCase() bool {
	switch e.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusGone:
		return false
	}
	return e.StatusCode >= 400
}

// IsNotFound reports whether err is GitHub answering 404: for a run,
// artifact or repository that is not there, or that the token cannot see.
func IsNotFound(err error) bool {
	var he *HTTPError
	return errors.As(err, &he) && he.StatusCode == http.StatusNotFound
}

// IsRateLimit reports whether the error is GitHub refusing for a rate limit
// rather than for permissions.
func (e *HTTPError) IsRateLimit() bool {
	if e.StatusCode != http.StatusForbidden && e.StatusCode != http.StatusTooManyRequests {
		return false
	}
	return e.Header.Get("X-Ratelimit-Remaining") == "0" || e.Header.Get("Retry-After") != "" ||
		strings.Contains(strings.ToLower(e.Message), "rate limit")
}

// RateLimitError is GitHub refusing requests until its primary rate limit
// resets, or asking, for a secondary limit, for a longer wait than the
// client makes. It wraps GitHub's refusal; once the client has seen the
// limit used up, later requests fail with it at once, unsent, their Err then
// being the refusal GitHub would give.
type RateLimitError struct {
	// Reset is when GitHub's window resets, or when a secondary limit
	// allows requests again; zero when GitHub did not say.
	Reset time.Time
	Err   *HTTPError
	// Secondary is set for a secondary limit whose Retry-After is too long to wait.
	Secondary bool
	left      time.Duration // from Reset's reading to the reset
}

func (e *RateLimitError) Error() string {
	if e.Secondary {
		return fmt.Sprintf("GitHub's secondary rate limit asks to wait %s: try again after %s",
			span(max(e.left, 0)), when(e.Reset, e.left))
	}
	if e.Reset.IsZero() {
		return "GitHub's rate limit is used up"
	}
	return fmt.Sprintf("GitHub's rate limit is used up until %s (resets in %s)",
		when(e.Reset, e.left), span(max(e.left, 0)))
}

// when words a time to try again in local time: the hour, with the date
// when it is not within the day.
func when(t time.Time, left time.Duration) string {
	if left < 20*time.Hour {
		return t.Local().Format("15:04 MST")
	}
	return t.Local().Format("2006-01-02 15:04 MST")
}

func (e *RateLimitError) Unwrap() error { return e.Err }

// newHTTPError reads GitHub's error body (basic-error) from resp. Its
// "errors" come as objects (message, code) in GitHub's description and as
// plain strings in some real 422 answers; both are kept.
func newHTTPError(resp *http.Response) *HTTPError {
	e := &HTTPError{
		StatusCode: resp.StatusCode,
		Method:     resp.Request.Method,
		URL:        redact(resp.Request.URL),
		Header:     resp.Header,
		RequestID:  resp.Header.Get("X-GitHub-Request-Id"),
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var parsed struct {
		Message string            `json:"message"`
		Errors  []json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &parsed) != nil {
		return e
	}
	e.Message = parsed.Message
	for _, raw := range parsed.Errors {
		if d := errorDetail(raw); d != "" {
			e.Message += "; " + d
		}
	}
	return e
}

// errorDetail is one entry of an error body's "errors": a string as it is,
// an object by its message, else its code.
func errorDetail(raw json.RawMessage) string {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return text
	}
	var d struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	}
	if json.Unmarshal(raw, &d) != nil {
		return ""
	}
	if d.Message != "" {
		return d.Message
	}
	return d.Code
}
