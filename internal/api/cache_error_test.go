package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// TestCacheErrorWithETagNotStored: an error answer that carries an ETag
// (a 404 or a 410, as a proxy or GitHub may send) is not stored, so that the
// next request neither sends If-None-Match for it nor is answered from it.
func TestCacheErrorWithETagNotStored(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusGone} {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) > 1 && r.Header.Get("If-None-Match") != "" {
				t.Errorf("%d: request %d sent If-None-Match %q", status, n.Load(), r.Header.Get("If-None-Match"))
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("ETag", `W/"error-etag"`)
			w.WriteHeader(status)
			w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`))
		}))
		dir := t.TempDir()
		c, err := New(Options{BaseURL: srv.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 1, CacheDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := c.GetRun(context.Background(), repo, 42, 0); err == nil {
				t.Errorf("%d: an error answer was taken for a run", status)
			}
		}
		if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
			t.Errorf("%d: error answers cached: %v", status, files)
		}
		srv.Close()
	}
}
