package runquery_test

import (
	"context"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// TestListPastCapServerIgnoresCreated: a server (or proxy) that drops the
// created qualifier answers every span with the newest runs of the whole
// listing. Splitting must notice that the answers contradict the spans
// asked for and stop with an error after a few requests, not walk back
// through time one request after another.
func TestListPastCapServerIgnoresCreated(t *testing.T) {
	s := fakegh.Start(t)
	s.Token = token
	s.AddRuns(fakegh.GenerateRuns(2500, 100000, base, nil)...)
	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		requests.Add(1)
		r.SetURL(target)
		q := r.Out.URL.Query()
		q.Del("created")
		r.Out.URL.RawQuery = q.Encode()
	}})
	t.Cleanup(proxy.Close)
	c, err := api.New(api.Options{BaseURL: proxy.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = runquery.List(ctx, c, repo, runquery.Filter{Branch: "main", Limit: 0, Now: now}, &strings.Builder{}, nil)
	if err == nil || !strings.Contains(err.Error(), "created") {
		t.Fatalf("error %v, want one saying the created filter was not applied", err)
	}
	if n := requests.Load(); n > 40 {
		t.Errorf("%d requests before stopping, want at most 40", n)
	}
}
