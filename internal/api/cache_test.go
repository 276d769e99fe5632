package api

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

func cachedClient(t *testing.T, s *fakegh.Server, dir, tok string) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: s.URL, Token: tok, UserAgent: "ghruns/test", Concurrency: 8, CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCacheAnswersUnchanged: the second identical GET carries If-None-Match,
// GitHub answers 304, the rate limit is not spent, and the result is the same.
func TestCacheAnswersUnchanged(t *testing.T) {
	s, _ := fake(t, 1)
	dir := t.TempDir()
	c := cachedClient(t, s, dir, token)
	ctx := context.Background()
	first, err := c.ListRuns(ctx, repo, RunFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := c.GetRun(ctx, repo, fakegh.FailedRun, 0)
	before, _, _ := c.RateLimit()
	s.ResetRequests()

	again := cachedClient(t, s, dir, token) // a new process, the same cache
	second, err := again.ListRuns(ctx, repo, RunFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := again.GetRun(ctx, repo, fakegh.FailedRun, 0)
	if after, _, ok := again.RateLimit(); !ok || after != before {
		t.Errorf("rate limit remaining %d before, %d after answers from the cache", before, after)
	}
	if !slices.Equal(ids(first.Runs), ids(second.Runs)) || second.TotalCount != first.TotalCount || r1.DisplayTitle != r2.DisplayTitle {
		t.Error("cached answers differ from fresh ones")
	}
	for _, req := range s.Requests() {
		if req.Header.Get("If-None-Match") == "" {
			t.Errorf("%s %s sent without If-None-Match", req.Method, req.Path)
		}
	}

	// A change on GitHub's side is seen: the ETag no longer matches.
	if err := c.Cancel(ctx, repo, fakegh.InProgressRun, false); err != nil {
		t.Fatal(err)
	}
	r3, _ := again.GetRun(ctx, repo, fakegh.InProgressRun, 0)
	if r3.Status != "completed" || r3.Conclusion != "cancelled" {
		t.Errorf("after cancel, cached client sees %s/%s", r3.Status, r3.Conclusion)
	}
}

// TestCacheKeyedByToken: another token never gets this token's answers,
// and the token is not written to disk.
func TestCacheKeyedByToken(t *testing.T) {
	s, _ := fake(t, 1)
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := cachedClient(t, s, dir, token).GetRun(ctx, repo, fakegh.SuccessfulRun, 0); err != nil {
		t.Fatal(err)
	}
	s.ResetRequests()
	s.Token = ""
	if _, err := cachedClient(t, s, dir, "").GetRun(ctx, repo, fakegh.SuccessfulRun, 0); err != nil {
		t.Fatal(err)
	}
	if got := s.Requests()[0].Header.Get("If-None-Match"); got != "" {
		t.Errorf("an unauthenticated request reused the token's entry: If-None-Match %q", got)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), token) {
			t.Errorf("%s holds the token", f)
		}
	}
}

// TestCacheErrorsNotStored: a 404 is never cached.
func TestCacheErrorsNotStored(t *testing.T) {
	s, _ := fake(t, 1)
	dir := t.TempDir()
	c := cachedClient(t, s, dir, token)
	for range 2 {
		if _, err := c.GetRun(context.Background(), repo, 42, 0); err == nil {
			t.Fatal("want 404")
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("error answers cached: %v", files)
	}
}

// TestCacheConcurrentProcesses: clients sharing a folder, all at once, read
// whole entries only.
func TestCacheConcurrentProcesses(t *testing.T) {
	s, _ := fake(t, 1)
	dir := t.TempDir()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := cachedClient(t, s, dir, token)
			for range 5 {
				r, err := c.GetRun(context.Background(), repo, fakegh.ReleaseRun, 0)
				if err != nil || r.ID != fakegh.ReleaseRun {
					t.Errorf("got %v, %v", r, err)
				}
			}
		}()
	}
	wg.Wait()
}
