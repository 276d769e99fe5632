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

// latency is added to every answer of the fake in benchmarks: a round trip
// to api.github.com from far away.
const latency = 50 * time.Millisecond

// benchFake is a fake GitHub with n generated runs (status as given) on top
// of the seed, answering after latency, without contract checks (their CPU
// cost is not ghruns').
func benchFake(b *testing.B, n int, status string) *fakegh.Server {
	b.Helper()
	s := fakegh.New(b)
	b.Cleanup(s.Close)
	s.Token = cmdtest.Token
	s.Unchecked = true
	fakegh.Seed(s)
	s.AddRuns(generated(n, status)...)
	s.Latency = latency
	return s
}

func generated(n int, status string) []fakegh.Run {
	return fakegh.GenerateRuns(n, 1_000_000, fakegh.SeedBase.Add(-48*time.Hour), func(_ int, r *fakegh.Run) {
		r.HeadBranch = "bench"
		if status != "" {
			r.Status, r.Conclusion = status, ""
		}
	})
}

// variant is one way of running a command in a benchmark.
type variant struct {
	conc int
	args []string
}

// once runs v against s, cold (no cached answers), and returns what it
// cost: API requests, round trips as the fake counts them (requests sent
// together count once, whatever the machine's load) and wall time.
func once(b *testing.B, s *fakegh.Server, reset func(), v variant) (requests, roundTrips int, wall time.Duration) {
	b.StopTimer()
	if reset != nil {
		reset()
	}
	os.RemoveAll(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "ghruns"))
	s.ResetRequests()
	b.Setenv("GHRUNS_CONCURRENCY", fmt.Sprint(v.conc))
	b.StartTimer()
	start := time.Now()
	code := Main(context.Background(), append([]string{"ghruns"}, v.args...), strings.NewReader(""), io.Discard, io.Discard)
	wall = time.Since(start)
	if code != 0 {
		b.Fatalf("ghruns %v: exit code %d", v.args, code)
	}
	// Pages of a listing go out as wide as the paging width, other
	// requests as wide as the concurrency.
	if width := max(v.conc, 16); v.conc > 1 && s.MaxInFlight() > width || v.conc == 1 && s.MaxInFlight() > 1 {
		b.Fatalf("%d requests in flight, concurrency %d", s.MaxInFlight(), v.conc)
	}
	return len(s.Requests()), s.RoundTrips(), wall
}

// benchMain runs ghruns as v and as the baseline base, one after the other
// in each iteration, with latency added to every answer, and reports both
// and their ratios: requests, round trips and wall time. A last
// sub-benchmark runs v with no latency, which leaves only CPU (ghruns' and
// the fake's, on the same cores).
func benchMain(b *testing.B, s *fakegh.Server, reset func(), v, base variant) {
	b.Run("latency=50ms", func(b *testing.B) {
		cmdtest.Isolate(b)
		b.Setenv("GHRUNS_API_URL", s.URL)
		s.Latency = latency
		var req, rt, baseReq, baseRT int
		var wall, baseWall time.Duration
		for b.Loop() {
			n, r, w := once(b, s, reset, v)
			req, rt, wall = req+n, rt+r, wall+w
			n, r, w = once(b, s, reset, base)
			baseReq, baseRT, baseWall = baseReq+n, baseRT+r, baseWall+w
		}
		per := func(n int) float64 { return float64(n) / float64(b.N) }
		b.ReportMetric(per(req), "requests/op")
		b.ReportMetric(per(rt), "roundtrips/op")
		b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/op")
		b.ReportMetric(per(baseReq), "base-requests/op")
		b.ReportMetric(per(baseRT), "base-roundtrips/op")
		b.ReportMetric(float64(baseWall.Milliseconds())/float64(b.N), "base-ms/op")
		b.ReportMetric(float64(rt)/float64(baseRT), "roundtrip-ratio")
		b.ReportMetric(float64(wall)/float64(baseWall), "time-ratio")
	})
	b.Run("latency=0", func(b *testing.B) {
		cmdtest.Isolate(b)
		b.Setenv("GHRUNS_API_URL", s.URL)
		s.Latency = 0
		defer func() { s.Latency = latency }()
		var wall time.Duration
		for b.Loop() {
			_, _, w := once(b, s, reset, v)
			wall += w
		}
		b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/op")
	})
}

// BenchmarkList1000 is `list -L 1000`, 10 pages, against serial paging.
func BenchmarkList1000(b *testing.B) {
	args := []string{"list", "-L", "1000"}
	benchMain(b, benchFake(b, 1200, ""), nil, variant{8, args}, variant{1, args})
}

// BenchmarkListAll is `list -L 0` over 3,000 runs, 30 pages, against
// serial paging.
func BenchmarkListAll(b *testing.B) {
	args := []string{"list", "-L", "0"}
	benchMain(b, benchFake(b, 2987, ""), nil, variant{8, args}, variant{1, args})
}

// BenchmarkUsage200 is `usage` over 200 runs selected by filter, from the
// jobs, against asking the timing endpoint first (--source timing).
func BenchmarkUsage200(b *testing.B) {
	benchMain(b, benchFake(b, 200, ""), nil,
		variant{8, []string{"usage", "-b", "bench"}},
		variant{8, []string{"usage", "-b", "bench", "--source", "timing"}})
}

// BenchmarkCancel200 is `cancel` of 200 runs selected by filter, against
// one request at a time.
func BenchmarkCancel200(b *testing.B) {
	s := benchFake(b, 200, "in_progress")
	// This measures round trips, not the pace that keeps 200 writes under
	// GitHub's secondary limit (a minute and more; BenchmarkPacedWrites in
	// internal/cmd/delete): a write rate this high makes the job a short one.
	b.Setenv("GHRUNS_WRITE_RATE", "6000")
	args := []string{"cancel", "-b", "bench", "--yes"}
	benchMain(b, s, func() { s.AddRuns(generated(200, "in_progress")...) }, variant{8, args}, variant{1, args})
}

// BenchmarkView is `view` of a run, its run and jobs asked for together,
// against one request at a time.
func BenchmarkView(b *testing.B) {
	args := []string{"view", cmdtest.Arg(fakegh.FailedRun)}
	benchMain(b, benchFake(b, 0, ""), nil, variant{8, args}, variant{1, args})
}

// BenchmarkViewUnchanged is `view` of a run that has not changed since the
// last view: every request is answered 304 from the cache, at no cost to
// the rate limit.
func BenchmarkViewUnchanged(b *testing.B) {
	s := benchFake(b, 0, "")
	cmdtest.Isolate(b)
	b.Setenv("GHRUNS_API_URL", s.URL)
	view := func() {
		if code := Main(context.Background(), []string{"ghruns", "view", cmdtest.Arg(fakegh.FailedRun)}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit code %d", code)
		}
	}
	view() // fills the cache
	var notModified, requests int
	for b.Loop() {
		s.ResetRequests()
		view()
		requests += len(s.Requests())
		for _, r := range s.Requests() {
			if r.Header.Get("If-None-Match") != "" {
				notModified++
			}
		}
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(notModified)/float64(requests), "conditional-fraction")
}
