package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestListRunsCreatedWhilePaging: a run created after the first page was
// served shifts every later page by one, so the first page's last run comes
// again at the top of the second; the listing has each run once.
func TestListRunsCreatedWhilePaging(t *testing.T) {
	s := fakegh.Start(t)
	s.Token = token
	base := fakegh.SeedBase.Add(-48 * time.Hour)
	s.AddRuns(fakegh.GenerateRuns(250, 1, base, nil)...)
	target, _ := url.Parse(s.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var once sync.Once
	proxy.ModifyResponse = func(res *http.Response) error {
		// The first page is on its way: a push starts a new run now.
		if strings.HasSuffix(res.Request.URL.Path, "/runs") && res.Request.URL.Query().Get("page") == "" {
			once.Do(func() { s.AddRuns(fakegh.GenerateRuns(1, 9999, base.Add(time.Minute), nil)...) })
		}
		return nil
	}
	front := httptest.NewServer(proxy)
	defer front.Close()
	c, err := New(Options{BaseURL: front.URL, Token: token, UserAgent: "ghruns/test", Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ListRuns(context.Background(), repo, RunFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for _, r := range list.Runs {
		seen[r.ID]++
		if seen[r.ID] == 2 {
			t.Errorf("run %d listed twice", r.ID)
		}
	}
	// The listing stops at the total the first page counted (250), so the
	// oldest run, pushed to position 251, may fall off the end.
	for id := int64(1); id <= 249; id++ {
		if seen[id] == 0 {
			t.Errorf("run %d missing", id)
		}
	}
	if len(list.Runs) != len(seen) {
		t.Errorf("%d runs listed, %d different", len(list.Runs), len(seen))
	}
}
