package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cli"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestListPastCap5000: `list -b main -L 0` over 5,000 matching runs, five
// times GitHub's cap on a filtered listing, lists every one exactly once,
// newest first, with no warning. The fake fails the test on any request
// GitHub would refuse, each window's created range included.
func TestListPastCap5000(t *testing.T) {
	cmdtest.Isolate(t)
	s := fakegh.Start(t)
	s.Token = cmdtest.Token
	// Run i (ID 100000+i) created i minutes before the base: newest first is by ID.
	s.AddRuns(fakegh.GenerateRuns(5000, 100000, fakegh.SeedBase, nil)...)
	t.Setenv("GHRUNS_API_URL", s.URL)

	var stdout, stderr bytes.Buffer
	code := cli.Main(context.Background(), []string{"ghruns", "list", "-b", "main", "-L", "0", "--json", "databaseId"},
		strings.NewReader(""), &stdout, &stderr)
	if code != 0 || stderr.Len() > 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr.String())
	}
	var rows []struct{ DatabaseID int64 }
	if err := json.Unmarshal(stdout.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5000 {
		t.Errorf("got %d runs, want 5000", len(rows))
	}
	for i, r := range rows {
		if r.DatabaseID != int64(100000+i) {
			t.Fatalf("run %d is %d, want %d: every run once, newest first", i, r.DatabaseID, 100000+i)
		}
	}

	reqs := s.Requests()
	probes := 0
	for _, r := range reqs {
		if r.Query.Get("per_page") == "1" {
			probes++
		}
	}
	// 50 pages of 100 at the least; windows add a few probes and part-filled pages.
	t.Logf("5,000 runs in %d requests: %d of them one-run probes", len(reqs), probes)
	if len(reqs) > 60 {
		t.Errorf("took %d requests, want at most 60", len(reqs))
	}
	// Pages go out 16 at a time (the paging width at the default
	// concurrency of 8), other requests 8.
	if m := s.MaxInFlight(); m > 16 {
		t.Errorf("%d requests in flight at once, want at most the paging width of 16", m)
	}
}
