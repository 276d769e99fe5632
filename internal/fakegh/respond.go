package fakegh

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// response is what a route handler answers, written out by serveAPI after the common
// headers, the ETag and the contract checks.
type response struct {
	status int
	header http.Header
	body   []byte // a JSON document, or nil for no body
	// expected lists contract violations that GitHub's own answers have, such as
	// fields its older runs lack though the description requires them; a
	// violation containing one of them is not reported.
	expected []string
}

// isExpected reports whether the contract violation v is one GitHub's own answer has.
func (res response) isExpected(v string) bool {
	for _, e := range res.expected {
		if strings.Contains(v, e) {
			return true
		}
	}
	return false
}

// docsRoot is the documentation_url GitHub gives when no operation applies.
const docsRoot = "https://docs.github.com/rest"

// basicError is GitHub's error body (schema basic-error); GitHub orders the keys so.
type basicError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
}

func jsonResponse(status int, v any) response {
	return response{status: status, header: http.Header{}, body: marshal(v)}
}

func errorResponse(status int, message, docURL string) response {
	return jsonResponse(status, basicError{message, docURL, strconv.Itoa(status)})
}

func notFound(docURL string) response {
	return errorResponse(http.StatusNotFound, "Not Found", docURL)
}

func emptyResponse(status int) response {
	return response{status: status, header: http.Header{}}
}

func redirect(location string) response {
	res := emptyResponse(http.StatusFound)
	res.header.Set("Location", location)
	return res
}

// marshal encodes v as GitHub does: compact, with no trailing newline and <, >, &
// left as they are.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("fakegh: encode response: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
