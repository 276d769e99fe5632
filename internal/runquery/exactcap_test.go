package runquery_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// TestExactlyCapIsNotCapped: a filter that matches exactly 1,000 runs gets
// them all from one plain listing: GitHub's cap is reached, not passed, so
// there is no warning and no listing by creation time. One run more is
// past the cap and is listed by windows, every run included.
func TestExactlyCapIsNotCapped(t *testing.T) {
	for _, n := range []int{api.SearchCap, api.SearchCap + 1} {
		s, c := emptyFake(t, 4)
		s.AddRuns(fakegh.GenerateRuns(n, 1, base.Add(-time.Duration(n)*time.Minute), nil)...)
		got, stderr, qs := list(t, s, c, runquery.Filter{Branch: "main", Limit: 0}, false)
		if len(got.Runs) != n || got.Capped {
			t.Errorf("%d runs: listed %d, capped %v", n, len(got.Runs), got.Capped)
		}
		if strings.Contains(stderr, "warning") {
			t.Errorf("%d runs: stderr %q", n, stderr)
		}
		windows := 0
		for _, q := range qs {
			if q.Get("created") != "" {
				windows++
			}
		}
		if (windows > 0) != (n > api.SearchCap) {
			t.Errorf("%d runs: %d requests by creation time in %d", n, windows, len(qs))
		}
	}
}
