package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// firstGenerated is the ID of the newest run generated() makes.
const firstGenerated = 1_000_000

// incompressible is n bytes of a fixed pseudo-random sequence: an archive
// of them is as large as they are.
func incompressible(n int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return string(b)
}

// BenchmarkDownload8 is `download` of a run's 8 artifacts of 1 MiB each,
// against one at a time. Only the API's answers are delayed: the fake's
// storage host answers at once, where GitHub's is one more round trip.
func BenchmarkDownload8(b *testing.B) {
	s := benchFake(b, 1, "")
	body := incompressible(1 << 20)
	for i := range 8 {
		s.AddArtifacts(fakegh.Artifact{ID: int64(500 + i), Name: fmt.Sprintf("part-%d", i), RunID: firstGenerated,
			Zip: fakegh.ArtifactZip(fakegh.ZipFile{Name: "part.bin", Body: body})})
	}
	dir := filepath.Join(b.TempDir(), "out")
	args := []string{"download", cmdtest.Arg(firstGenerated), "-D", dir}
	benchMain(b, s, func() { os.RemoveAll(dir) }, variant{8, args}, variant{1, args})
}

// BenchmarkArtifactsListAll is `artifacts list -L 0` over 1,000 artifacts
// (with the seed's 10: 11 pages), against serial paging.
func BenchmarkArtifactsListAll(b *testing.B) {
	s := benchFake(b, 1, "")
	as := make([]fakegh.Artifact, 1000)
	for i := range as {
		as[i] = fakegh.Artifact{ID: int64(500 + i), Name: fmt.Sprintf("a-%d", i%7), RunID: firstGenerated,
			CreatedAt: fakegh.SeedBase.Add(-time.Duration(i) * time.Minute), Zip: []byte{}}
	}
	s.AddArtifacts(as...)
	args := []string{"artifacts", "list", "-L", "0"}
	benchMain(b, s, nil, variant{8, args}, variant{1, args})
}

// BenchmarkStats200 is `stats` over 200 runs of a branch, every 4th on its
// second attempt (a request per attempt), against one request at a time.
func BenchmarkStats200(b *testing.B) {
	s := benchFake(b, 0, "")
	s.AddRuns(fakegh.GenerateRuns(200, firstGenerated, fakegh.SeedBase.Add(-48*time.Hour), func(i int, r *fakegh.Run) {
		r.HeadBranch = "bench"
		if i%4 == 0 {
			r.Attempt = 2
		}
	})...)
	args := []string{"stats", "-b", "bench"}
	benchMain(b, s, nil, variant{8, args}, variant{1, args})
}

// BenchmarkListWaiting is `list -L 100 --json …,pendingDeployments` of 100
// runs of which 20 wait on an environment (a request each, to ask what on),
// against one request at a time.
func BenchmarkListWaiting(b *testing.B) {
	s := benchFake(b, 0, "")
	s.AddRuns(fakegh.GenerateRuns(100, firstGenerated, fakegh.SeedBase.Add(-48*time.Hour), func(i int, r *fakegh.Run) {
		r.HeadBranch = "bench"
		if i%5 == 0 {
			r.Status, r.Conclusion = "waiting", ""
		}
	})...)
	for i := range 100 {
		if i%5 == 0 {
			s.AddPendingDeployments(firstGenerated+int64(i), fakegh.Environment{ID: 1, Name: "production"})
		}
	}
	args := []string{"list", "-b", "bench", "-L", "100", "--json", "databaseId,status,pendingDeployments"}
	benchMain(b, s, nil, variant{8, args}, variant{1, args})
}

// costOf runs ghruns args with ctx and reports the requests it sent, how many were conditional, the rate-limit
// points they cost and the round trips, as the fake counts them.
func costOf(b *testing.B, ctx context.Context, s *fakegh.Server, args ...string) (code, requests, conditional, points, roundTrips int) {
	b.Helper()
	before := s.RateRemaining(cmdtest.Token)
	s.ResetRequests()
	code = Main(ctx, append([]string{"ghruns"}, args...), strings.NewReader(""), io.Discard, io.Discard)
	for _, r := range s.Requests() {
		if r.Header.Get("If-None-Match") != "" {
			conditional++
		}
	}
	return code, len(s.Requests()), conditional, before - s.RateRemaining(cmdtest.Token), s.RoundTrips()
}

// BenchmarkStatsRepeat is `stats` over 200 runs, cold, then again within
// the cache's life: every answer is a 304, which costs no rate limit.
func BenchmarkStatsRepeat(b *testing.B) {
	s := benchFake(b, 200, "")
	cmdtest.Isolate(b)
	b.Setenv("GHRUNS_API_URL", s.URL)
	args := []string{"stats", "-b", "bench"}
	var cold, warm [4]float64
	for b.Loop() {
		os.RemoveAll(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "ghruns"))
		code, req, _, pts, rt := costOf(b, context.Background(), s, args...)
		if code != 0 {
			b.Fatalf("exit code %d", code)
		}
		cold[0], cold[1], cold[2] = cold[0]+float64(req), cold[1]+float64(pts), cold[2]+float64(rt)
		code, req, cond, pts, rt := costOf(b, context.Background(), s, args...)
		if code != 0 {
			b.Fatalf("repeat: exit code %d", code)
		}
		warm[0], warm[1], warm[2], warm[3] = warm[0]+float64(req), warm[1]+float64(pts), warm[2]+float64(rt), warm[3]+float64(cond)
	}
	n := float64(b.N)
	b.ReportMetric(cold[0]/n, "requests/op")
	b.ReportMetric(cold[1]/n, "points/op")
	b.ReportMetric(cold[2]/n, "roundtrips/op")
	b.ReportMetric(warm[0]/n, "repeat-requests/op")
	b.ReportMetric(warm[3]/n, "repeat-conditional/op")
	b.ReportMetric(warm[1]/n, "repeat-points/op")
	b.ReportMetric(warm[2]/n, "repeat-roundtrips/op")
}

// BenchmarkWatchCommit is `watch -c SHA --interval 1` of a commit's 20
// runs, all in progress and none changing, for about 5 seconds: the first
// poll costs the listing and each run's jobs, later polls are all 304s.
func BenchmarkWatchCommit(b *testing.B) {
	const sha = "5e1f0c3a5e1f0c3a5e1f0c3a5e1f0c3a5e1f0c3a"
	s := benchFake(b, 0, "")
	s.AddRuns(fakegh.GenerateRuns(20, firstGenerated, fakegh.SeedBase.Add(-48*time.Hour), func(i int, r *fakegh.Run) {
		r.HeadSHA, r.Status, r.Conclusion, r.Usage = sha, "in_progress", "", nil
		r.Jobs[0].Status, r.Jobs[0].Conclusion = "in_progress", ""
	})...)
	cmdtest.Isolate(b)
	b.Setenv("GHRUNS_API_URL", s.URL)
	var polls, requests, conditional, points, roundTrips, first float64
	for b.Loop() {
		os.RemoveAll(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "ghruns"))
		// One poll alone, cold.
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		_, _, _, pts, _ := costOf(b, ctx, s, "watch", "-c", sha, "--interval", "1")
		cancel()
		first += float64(pts)
		// Then a watch of about five polls, every answer in the cache.
		ctx, cancel = context.WithTimeout(context.Background(), 4500*time.Millisecond)
		_, req, cond, pts, rt := costOf(b, ctx, s, "watch", "-c", sha, "--interval", "1")
		cancel()
		for _, r := range s.Requests() {
			if strings.HasSuffix(r.Path, "/actions/runs") {
				polls++
			}
		}
		requests, conditional, points, roundTrips = requests+float64(req), conditional+float64(cond), points+float64(pts), roundTrips+float64(rt)
	}
	b.ReportMetric(first/float64(b.N), "first-poll-points/op")
	b.ReportMetric(requests/polls, "requests/poll")
	b.ReportMetric(conditional/requests, "conditional-fraction")
	b.ReportMetric(points/polls, "points/poll")
	b.ReportMetric(roundTrips/polls, "roundtrips/poll")
}
