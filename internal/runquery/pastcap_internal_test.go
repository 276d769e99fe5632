package runquery

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestCover splits creation ranges of runs spread in many ways into spans,
// here with probes only (one-run requests, cheap where listings are not).
// The spans must not overlap, must leave out no run, and must each hold
// what GitHub serves whole.
func TestCover(t *testing.T) {
	base := fakegh.SeedBase
	day := 24 * time.Hour
	for _, tc := range []struct {
		name string
		n    int
		conc int
		// at is run i's creation time.
		at func(i int, rng *rand.Rand) time.Time
		// guess is the first estimate of the density, in runs a second.
		guess float64
		// need is how many runs are wanted; 0: all.
		need int
	}{
		{name: "a minute apart", n: 4000, conc: 8, guess: 1.0 / 60,
			at: func(i int, _ *rand.Rand) time.Time { return base.Add(-time.Duration(i) * time.Minute) }},
		{name: "a minute apart, guess far too dense", n: 4000, conc: 8, guess: 1,
			at: func(i int, _ *rand.Rand) time.Time { return base.Add(-time.Duration(i) * time.Minute) }},
		{name: "growing: dense lately, sparse years ago", n: 4000, conc: 8, guess: 0.1,
			at: func(i int, _ *rand.Rand) time.Time {
				return base.Add(-time.Duration(float64(time.Second) * (float64(i) * float64(i) * 6)))
			}},
		{name: "bursts years apart", n: 4500, conc: 8, guess: 90,
			at: func(i int, rng *rand.Rand) time.Time {
				return base.Add(-time.Duration(i/900)*400*day - time.Duration(rng.IntN(10))*time.Second)
			}},
		{name: "random over 15 years, one request at a time", n: 3000, conc: 1, guess: 1e-3,
			at: func(_ int, rng *rand.Rand) time.Time {
				return base.Add(-time.Duration(rng.Int64N(int64(15 * 365 * day))))
			}},
		{name: "a thousand in one second", n: 2000, conc: 4, guess: 1.0 / 60,
			at: func(i int, _ *rand.Rand) time.Time {
				if i < 1000 {
					return base // exactly what GitHub serves, in the newest second
				}
				return base.Add(-time.Duration(i) * time.Second)
			}},
		{name: "the newest 2,500 only", n: 4000, conc: 8, guess: 1.0 / 60, need: 2500,
			at: func(i int, _ *rand.Rand) time.Time { return base.Add(-time.Duration(i) * time.Minute) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := fakegh.Start(t)
			s.Token = "t0k3n"
			rng := rand.New(rand.NewPCG(3, 5))
			runs := fakegh.GenerateRuns(tc.n, 1, base, func(i int, r *fakegh.Run) { r.CreatedAt = tc.at(i, rng).Truncate(time.Second) })
			s.AddRuns(runs...)
			c, err := api.New(api.Options{BaseURL: s.URL, Token: "t0k3n", UserAgent: "ghruns/test", Concurrency: tc.conc})
			if err != nil {
				t.Fatal(err)
			}
			var debug strings.Builder
			sl := &spanLister{c: c, repo: api.Repo{Owner: "octo", Name: "hello"}, filter: api.RunFilter{Branch: "main"},
				conc: tc.conc, need: tc.need, debug: &debug, budget: budgetFor(tc.n)}
			hi := second(base)
			ws, err := sl.cover(context.Background(), oldestCreated, hi, tc.n, tc.guess)
			if err != nil {
				t.Fatal(err)
			}
			in := func(from, to time.Time) int {
				n := 0
				for _, r := range runs {
					if !r.CreatedAt.Before(from) && !r.CreatedAt.After(to) {
						n++
					}
				}
				return n
			}
			// More runs than GitHub serves in one second: the rest are left out.
			perSecond := map[time.Time]int{}
			for _, r := range runs {
				perSecond[r.CreatedAt]++
			}
			reachable := tc.n
			for _, n := range perSecond {
				reachable -= max(0, n-api.SearchCap)
			}
			covered, end := 0, hi.Add(time.Second)
			for i, w := range ws {
				full := w.listed && w.from.Equal(w.to) && in(w.from, w.to) > api.SearchCap
				switch {
				case !w.to.Before(end):
					t.Fatalf("span %d %s overlaps the one before, or is out of order", i, w)
				case w.from.After(w.to) || w.from.Before(oldestCreated):
					t.Fatalf("span %d %s is not a range within the search", i, w)
				case full && w.count != api.SearchCap:
					t.Fatalf("span %d %s, one crowded second, stands for %d runs, want the %d GitHub serves", i, w, w.count, api.SearchCap)
				case !full && in(w.from, w.to) != w.count:
					t.Fatalf("span %d %s holds %d runs, counted as %d", i, w, in(w.from, w.to), w.count)
				case w.count > api.SearchCap:
					t.Fatalf("span %d %s holds %d runs, more than GitHub serves", i, w, w.count)
				case w.listed && len(w.runs) != w.count:
					t.Fatalf("span %d %s has %d runs listed for %d", i, w, len(w.runs), w.count)
				case w.count == 0:
					t.Errorf("span %d %s is empty, yet kept", i, w)
				}
				if gap := in(w.to.Add(time.Second), end.Add(-time.Second)); gap > 0 {
					t.Fatalf("%d runs between span %d %s and the one before are left out", gap, i, w)
				}
				covered += w.count
				end = w.from
			}
			switch {
			case tc.need == 0 && covered != reachable:
				t.Errorf("spans hold %d runs, want all %d that GitHub serves", covered, reachable)
			case tc.need > 0 && (covered < tc.need || covered > tc.need+api.SearchCap):
				t.Errorf("spans hold %d runs, want the newest %d and at most a span more", covered, tc.need)
			case sl.leftOut != (reachable < tc.n && tc.need == 0):
				t.Errorf("left out: %v, want %v", sl.leftOut, reachable < tc.n)
			}
			if got := strings.Count(debug.String(), "\n"); tc.need == 0 && got < sl.probes {
				t.Errorf("%d debug lines for %d probes:\n%s", got, sl.probes, debug.String())
			}
			t.Logf("%d runs in %d spans after %d requests, %d of them probes", covered, len(ws), len(s.Requests()), sl.probes)
			if testing.Verbose() && os.Getenv("WINDOWS_LOG") != "" {
				t.Log("\n" + debug.String())
			}
		})
	}
}

func TestParseCreated(t *testing.T) {
	ts := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	var open time.Time
	for in, want := range map[string]Range{
		"2026-01-31":                  {ts("2026-01-31T00:00:00Z"), ts("2026-01-31T23:59:59Z")},
		">2026-01-31":                 {ts("2026-02-01T00:00:00Z"), open},
		">=2026-01-31":                {ts("2026-01-31T00:00:00Z"), open},
		"<2026-01-31":                 {open, ts("2026-01-30T23:59:59Z")},
		"<=2026-01-31":                {open, ts("2026-01-31T23:59:59Z")},
		"2026-01-01..2026-01-31":      {ts("2026-01-01T00:00:00Z"), ts("2026-01-31T23:59:59Z")},
		"2026-01-01..*":               {ts("2026-01-01T00:00:00Z"), open},
		"*..2026-01-31":               {open, ts("2026-01-31T23:59:59Z")},
		"2026-01-31T10:00:05Z":        {ts("2026-01-31T10:00:05Z"), ts("2026-01-31T10:00:05Z")},
		">2026-01-31T10:00:05Z":       {ts("2026-01-31T10:00:06Z"), open},
		"<2026-01-31T10:00:05Z":       {open, ts("2026-01-31T10:00:04Z")},
		"<=2026-01-31T10:00:05+02:00": {open, ts("2026-01-31T08:00:05Z")},
		"2026-01-31T10:00:05":         {ts("2026-01-31T10:00:05Z"), ts("2026-01-31T10:00:05Z")},
		"2026-01-31T10:00Z":           {ts("2026-01-31T10:00:00Z"), ts("2026-01-31T10:00:59Z")},
		"2026-01-01T10:00:00+05:00..2026-01-01T09:00:00Z": {ts("2026-01-01T05:00:00Z"), ts("2026-01-01T09:00:00Z")},
	} {
		got, err := ParseCreated(in)
		if err != nil || !got.From.Equal(want.From) || !got.To.Equal(want.To) {
			t.Errorf("ParseCreated(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "*..*", "2026-02-30", "2026-01-31T24:00:00Z", "2026-01-31T10:00:60Z",
		"2026-01-31T10:00:00+24:00", "2026-01-31..2026-01-30", "2026-01-01T10:00:00Z..2026-01-01T09:59:59Z", "=2026-01-01",
		"2026-01-31T10", "2026-01-31 10:00:00"} {
		if _, err := ParseCreated(bad); err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("invalid --created %q: ", bad)) {
			t.Errorf("ParseCreated(%q): %v, want an invalid --created error", bad, err)
		}
	}
}

// TestCreatedQuery: the created value of a listing's first request is
// --created as given, or the range that ages name at Now, in full
// date-times, to a second before the older-than cut.
func TestCreatedQuery(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	for _, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{}, ""},
		{Filter{OlderThan: 30 * day, Now: now}, "<2026-10-26T12:00:00Z"},
		{Filter{NewerThan: 12 * time.Hour, Now: now}, ">=2026-11-25T00:00:00Z"},
		{Filter{OlderThan: day, NewerThan: 7 * day, Now: now}, "2026-11-18T12:00:00Z..2026-11-24T11:59:59Z"},
		// Counted from a clock that is not on the second: whole seconds.
		{Filter{OlderThan: time.Hour, Now: now.Add(1500 * time.Millisecond)}, "<2026-11-25T11:00:01Z"},
		// Ages a second apart select that one second.
		{Filter{OlderThan: time.Hour, NewerThan: time.Hour + time.Second, Now: now}, "2026-11-25T10:59:59Z..2026-11-25T10:59:59Z"},
		{Filter{Created: ">=2026-11-01"}, ">=2026-11-01"},
		{Filter{Created: "2026-11-01T10:00+02:00"}, "2026-11-01T10:00+02:00"},
	} {
		r, err := tc.f.CreatedRange()
		if err != nil {
			t.Fatalf("%+v: %v", tc.f, err)
		}
		if got := tc.f.request("", r).Created; got != tc.want {
			t.Errorf("%+v: created=%s, want %s", tc.f, got, tc.want)
		}
	}
}
