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

// benchMain runs ghruns args against s at both concurrencies, reporting
// requests and round trips (wall time over the added latency) per run.
func benchMain(b *testing.B, s *fakegh.Server, reset func(), args ...string) {
	// latency=0 measures what is left when the network costs nothing: the
	// CPU of ghruns and of the fake, which share this machine's cores.
	for _, c := range []struct {
		conc    int
		latency time.Duration
	}{{8, latency}, {1, latency}, {8, 0}} {
		conc := c.conc
		b.Run(fmt.Sprintf("concurrency=%d/latency=%s", conc, c.latency), func(b *testing.B) {
			s.Latency = c.latency
			defer func() { s.Latency = latency }()
			cmdtest.Isolate(b)
			b.Setenv("GHRUNS_API_URL", s.URL)
			b.Setenv("GHRUNS_CONCURRENCY", fmt.Sprint(conc))
			var requests int
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				if reset != nil {
					reset()
				}
				// Cold: no answers cached from the last iteration.
				os.RemoveAll(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "ghruns"))
				s.ResetRequests()
				b.StartTimer()
				start := time.Now()
				code := Main(context.Background(), append([]string{"ghruns"}, args...), strings.NewReader(""), io.Discard, io.Discard)
				elapsed += time.Since(start)
				if code != 0 {
					b.Fatalf("exit code %d", code)
				}
				requests += len(s.Requests())
				// Pages of a listing go out as wide as the paging width.
				if width := max(conc, 16); s.MaxInFlight() > width && conc > 1 || conc == 1 && s.MaxInFlight() > 1 {
					b.Fatalf("%d requests in flight, concurrency %d", s.MaxInFlight(), conc)
				}
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(elapsed)/float64(latency)/float64(b.N), "roundtrips/op")
		})
	}
}

// BenchmarkList1000 is `list -L 1000`: 10 pages.
func BenchmarkList1000(b *testing.B) {
	benchMain(b, benchFake(b, 1200, ""), nil, "list", "-L", "1000")
}

// BenchmarkListAll is `list -L 0` over 3,000 runs: 30 pages.
func BenchmarkListAll(b *testing.B) {
	s := benchFake(b, 2987, "")
	benchMain(b, s, nil, "list", "-L", "0")
}

// BenchmarkUsage200 is `usage` over 200 runs selected by filter.
func BenchmarkUsage200(b *testing.B) {
	benchMain(b, benchFake(b, 200, ""), nil, "usage", "-b", "bench")
}

// BenchmarkCancel200 is `cancel` of 200 runs selected by filter.
func BenchmarkCancel200(b *testing.B) {
	s := benchFake(b, 200, "in_progress")
	benchMain(b, s, func() { s.AddRuns(generated(200, "in_progress")...) }, "cancel", "-b", "bench", "--yes")
}

// BenchmarkViewUnchanged is `view` of a run that has not changed since the
// last view: every request is answered 304 from the cache, at no cost to
// the rate limit.
func BenchmarkViewUnchanged(b *testing.B) {
	s := benchFake(b, 0, "")
	cmdtest.Isolate(b)
	b.Setenv("GHRUNS_API_URL", s.URL)
	view := func() {
		if code := Main(context.Background(), []string{"ghruns", "view", "7000000110"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
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
