package cmdtest

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// FrontLogHost puts a host in front of the fake's log host, for tests of
// what happens while an archive downloads: every request to it goes to
// handle, which calls pass to have the fake answer, or answers itself.
func FrontLogHost(t testing.TB, s *fakegh.Server, handle func(w http.ResponseWriter, r *http.Request, pass http.Handler)) {
	t.Helper()
	orig, err := url.Parse(s.LogURL)
	if err != nil {
		t.Fatal(err)
	}
	pass := httputil.NewSingleHostReverseProxy(orig)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handle(w, r, pass)
	}))
	t.Cleanup(front.Close)
	u, _ := url.Parse(front.URL)
	// The fake's log host name, which differs from the API host's: the
	// client must send it no token.
	s.LogURL = orig.Scheme + "://" + orig.Hostname() + ":" + u.Port()
}
