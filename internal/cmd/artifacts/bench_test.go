package artifacts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/pace"
)

// BenchmarkDeleteKeep is `artifacts delete --keep 10 --yes` over 1,000
// artifacts of 10 names (with the seed's 10 artifacts: 900 deleted),
// against a fake that enforces GitHub's secondary limit (900 points a
// rolling minute, writes 5, reads 1), on a simulated clock, as
// BenchmarkPacedWrites in internal/cmd/delete: the pace is what is
// measured, round trips aside. It reports the requests (listing pages
// and deletes), the simulated minutes, their ratio to what the budget
// allows for the writes (writes × 5 / 900 minutes), and the
// secondary-limit answers, which must be 0.
func BenchmarkDeleteKeep(b *testing.B) {
	var minutes, ratio, requests, pages, deleted float64
	for range b.N {
		b.StopTimer()
		clock := pace.NewSimClock(cmdtest.Now)
		cmdtest.Isolate(b)
		s := fakegh.New(b)
		s.Token, s.Now, s.Unchecked = cmdtest.Token, clock.Now, true
		fakegh.Seed(s)
		as := make([]fakegh.Artifact, 1000)
		for i := range as {
			as[i] = fakegh.Artifact{ID: int64(100_000 + i), Name: fmt.Sprintf("bulk-%d", i%10), RunID: fakegh.FailedRun,
				CreatedAt: fakegh.SeedBase.Add(-time.Duration(i) * time.Minute), Zip: []byte{}}
		}
		s.AddArtifacts(as...)
		s.EnforceBudget(fakegh.Budget{Points: pace.Budget})
		b.Setenv("GHRUNS_API_URL", s.URL)
		ios, _, out, errOut := cmdtest.Streams(false)
		env := cmdtest.Env(ios)
		env.PaceClock = clock
		b.StartTimer()
		err := cmdtest.Exec(env, NewDeleteCmd(env, nil), "--keep", "10", "--yes")
		b.StopTimer()
		n := strings.Count(out.String(), "\tdeleted\n")
		if err != nil || n != 900 {
			b.Fatalf("error %v, %d deleted\n%s", err, n, errOut)
		}
		if n := s.SecondaryLimits(); n != 0 {
			b.Fatalf("%d secondary-limit answers", n)
		}
		pages = 0
		for _, r := range s.Requests() {
			if r.Method == "GET" {
				pages++
			}
		}
		elapsed := clock.Now().Sub(cmdtest.Now)
		allowed := time.Duration(float64(n*pace.WritePoints) / pace.Budget * float64(time.Minute))
		minutes, ratio = elapsed.Minutes(), elapsed.Seconds()/allowed.Seconds()
		requests, deleted = float64(len(s.Requests())), float64(n)
		b.ReportMetric(float64(s.PeakPoints()), "peak-points/min")
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(requests, "requests")
	b.ReportMetric(pages, "listing-pages")
	b.ReportMetric(deleted, "deleted")
	b.ReportMetric(minutes, "sim-min")
	b.ReportMetric(ratio, "x-budget")
}
