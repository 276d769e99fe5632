package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// benchOwner is an organisation "bench" of n repositories answering after
// latency: every 20th archived, every 25th a fork, every 10th with no runs,
// 4 with Actions disabled (i%50 == 7), the rest with 3 runs each.
func benchOwner(b *testing.B, n int) *fakegh.Owner {
	b.Helper()
	o := fakegh.StartOwner(b, "bench")
	o.Unchecked = true
	id := int64(1_000_000)
	for i := range n {
		r := o.AddRepo(fmt.Sprintf("repo-%05d", i))
		r.Unchecked = true
		r.Archived = i%20 == 19
		r.Fork = i%25 == 24
		r.ActionsDisabled = i%50 == 7
		if i%10 == 9 {
			continue
		}
		r.AddRuns(fakegh.GenerateRuns(3, id, fakegh.SeedBase.Add(-time.Duration(i)*time.Minute), nil)...)
		id += 3
	}
	o.Latency = latency
	return o
}

// sweepOnce runs ghruns args against o and returns its exit code, the
// requests o received, the rate-limit points they cost, how many were
// answered 304 (conditional requests that matched), and the round trips
// (wall time over the added latency).
func sweepOnce(b *testing.B, o *fakegh.Owner, args ...string) (code, requests, points, conditional int, roundTrips float64) {
	b.Helper()
	o.ResetRequests()
	before := o.RateRemaining(cmdtest.Token)
	start := time.Now()
	code = Main(context.Background(), append([]string{"ghruns"}, args...), strings.NewReader(""), io.Discard, io.Discard)
	roundTrips = float64(time.Since(start)) / float64(latency)
	for _, r := range o.Requests() {
		if r.Header.Get("If-None-Match") != "" {
			conditional++
		}
	}
	return code, len(o.Requests()), before - o.RateRemaining(cmdtest.Token), conditional, roundTrips
}

// BenchmarkListOwner200 is `list --owner bench -L 50` over 200 repositories
// (180 selected: archived and forks left out), cold, then repeated with the
// answers cached: unchanged repositories answer 304, which costs nothing.
func BenchmarkListOwner200(b *testing.B) {
	o := benchOwner(b, 200)
	cmdtest.Isolate(b)
	b.Setenv("GH_REPO", "")
	b.Setenv("GHRUNS_API_URL", o.URL)
	args := []string{"list", "--owner", "bench", "-L", "50"}
	var cold, warm [4]float64
	for b.Loop() {
		os.RemoveAll(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "ghruns"))
		code, req, pts, _, rt := sweepOnce(b, o, args...)
		if code != 0 {
			b.Fatalf("exit code %d", code)
		}
		if o.MaxInFlight() > 8 {
			b.Fatalf("%d requests in flight, concurrency 8", o.MaxInFlight())
		}
		cold[0], cold[1], cold[2] = cold[0]+float64(req), cold[1]+float64(pts), cold[2]+rt
		code, req, pts, cond, rt := sweepOnce(b, o, args...)
		if code != 0 {
			b.Fatalf("repeat: exit code %d", code)
		}
		warm[0], warm[1], warm[2], warm[3] = warm[0]+float64(req), warm[1]+float64(pts), warm[2]+rt, warm[3]+float64(cond)
	}
	n := float64(b.N)
	b.ReportMetric(cold[0]/n, "requests/op")
	b.ReportMetric(cold[1]/n, "points/op")
	b.ReportMetric(cold[2]/n, "roundtrips/op")
	b.ReportMetric(warm[0]/n, "repeat-requests/op")
	b.ReportMetric(warm[1]/n, "repeat-points/op")
	b.ReportMetric(warm[3]/n, "repeat-conditional/op")
	b.ReportMetric(warm[2]/n, "repeat-roundtrips/op")
}

// BenchmarkSweepBudget10000 is `list --owner bench -L 1` over 10,000
// repositories with 5,000 requests an hour: the discovery pages, one
// GET /rate_limit, and a refusal before any run is listed.
func BenchmarkSweepBudget10000(b *testing.B) {
	o := benchOwner(b, 10_000)
	cmdtest.Isolate(b)
	b.Setenv("GH_REPO", "")
	b.Setenv("GHRUNS_API_URL", o.URL)
	var requests, points, roundTrips float64
	for b.Loop() {
		o.SetRateRemaining(cmdtest.Token, 5000)
		os.RemoveAll(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "ghruns"))
		code, req, pts, _, rt := sweepOnce(b, o, "list", "--owner", "bench", "-L", "1")
		if code != 1 {
			b.Fatalf("exit code %d, want the sweep refused", code)
		}
		for _, r := range o.Requests() {
			if strings.HasSuffix(r.Path, "/runs") {
				b.Fatalf("runs listed before the refusal: %s", r.Path)
			}
		}
		requests, points, roundTrips = requests+float64(req), points+float64(pts), roundTrips+rt
	}
	n := float64(b.N)
	b.ReportMetric(requests/n, "requests/op")
	b.ReportMetric(points/n, "points/op")
	b.ReportMetric(roundTrips/n, "roundtrips/op")
}
