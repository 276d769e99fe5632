package delete

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmd/cancel"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/pace"
)

// BenchmarkPacedWrites deletes 1,000 runs, and cancels 200, against a fake
// that enforces GitHub's secondary limit (900 points a rolling minute,
// writes 5, reads 1), on a simulated clock: the job's pacing is measured,
// round trips aside. It reports the simulated minutes, their ratio to what
// the budget allows for the writes (writes × 5 / 900 minutes), and the
// secondary-limit answers, which must be 0.
func BenchmarkPacedWrites(b *testing.B) {
	for _, bc := range []struct {
		name   string
		n      int
		newCmd func(*cmdutil.Env) *cobra.Command
		args   []string
		done   string
		edit   func(int, *fakegh.Run)
	}{
		{"delete-1000", 1000, func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) },
			[]string{"--older-than", "1h", "--yes"}, "\tdeleted\n", nil},
		{"cancel-200", 200, func(env *cmdutil.Env) *cobra.Command { return cancel.NewCmd(env, nil) },
			[]string{"-s", "in_progress", "--yes"}, "\tcancelled\n", func(_ int, r *fakegh.Run) {
				r.Status, r.Conclusion, r.Usage = "in_progress", "", nil
				r.Jobs[0].Status, r.Jobs[0].Conclusion = "in_progress", ""
			}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var minutes, ratio, limits float64
			for range b.N {
				b.StopTimer()
				clock := pace.NewSimClock(cmdtest.Now)
				cmdtest.Isolate(b)
				s := fakegh.New(b)
				s.Token, s.Now, s.Unchecked = cmdtest.Token, clock.Now, true
				s.AddRuns(fakegh.GenerateRuns(bc.n, 10000, cmdtest.Now.Add(-2*time.Hour), bc.edit)...)
				s.EnforceBudget(fakegh.Budget{Points: pace.Budget})
				b.Setenv("GHRUNS_API_URL", s.URL)
				ios, _, out, errOut := cmdtest.Streams(false)
				env := cmdtest.Env(ios)
				env.PaceClock = clock
				b.StartTimer()
				err := cmdtest.Exec(env, bc.newCmd(env), bc.args...)
				b.StopTimer()
				if err != nil || strings.Count(out.String(), bc.done) != bc.n {
					b.Fatalf("error %v, %d done\n%s", err, strings.Count(out.String(), bc.done), errOut)
				}
				limits = float64(s.SecondaryLimits())
				if n := s.SecondaryLimits(); n != 0 {
					b.Fatalf("%d secondary-limit answers", n)
				}
				elapsed := clock.Now().Sub(cmdtest.Now)
				allowed := time.Duration(float64(bc.n*pace.WritePoints) / pace.Budget * float64(time.Minute))
				minutes, ratio = elapsed.Minutes(), elapsed.Seconds()/allowed.Seconds()
				if ratio > 1.15 {
					b.Fatalf("took %s, over 15%% more than the %s the budget allows", elapsed, allowed)
				}
				b.ReportMetric(float64(s.PeakPoints()), "peak-points/min")
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(minutes, "sim-min")
			b.ReportMetric(ratio, "x-budget")
			b.ReportMetric(limits, "secondary-limits")
		})
	}
}
