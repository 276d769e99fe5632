package runquery

import (
	"context"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ghruns/gh-runs/internal/api"
)

// spanTarget is how many runs a planned span aims to hold: under
// GitHub's cap, with room for runs spread less evenly than estimated.
const spanTarget = 900

// span is a stretch of creation times, first and last second included,
// that one listing covers. (GH_DEBUG's log calls spans "windows".)
type span struct {
	from, to time.Time
	// count is GitHub's total_count for the span, once probed.
	count int
	// newest is the creation second of the span's newest run, when count > 0.
	newest time.Time
	// listed marks a span whose runs were listed while splitting: runs.
	listed bool
	runs   []api.Run
}

// String is the span as the created qualifier of its requests.
func (w span) String() string { return Range{From: w.from, To: w.to}.String() }

// served is how many of the span's runs GitHub serves.
func (w span) served() int {
	if w.listed {
		return len(w.runs)
	}
	return min(w.count, api.SearchCap)
}

// seconds is the span's length in whole seconds, both ends included.
func seconds(from, to time.Time) int64 { return int64(to.Sub(from)/time.Second) + 1 }

// spanLister lists the runs of a filter that GitHub caps, by splitting
// its created range into spans that each hold no more than GitHub serves.
type spanLister struct {
	c      *api.Client
	repo   api.Repo
	filter api.RunFilter
	conc   int
	debug  io.Writer

	// need is how many runs are wanted in all, newest first; 0: every one.
	need int
	// covered counts the runs served by the spans planned so far.
	covered int
	// leftOut is set when one second held more runs than GitHub serves.
	leftOut bool
	probes  int
	// listings counts the probes and listings of spans, which budget bounds.
	listings, budget int
	// progress, when set, says on stderr that a long split goes on.
	progress io.Writer
	noted    bool
}

// budgetFor is how many probes and listings of spans splitting may take
// for a listing that claims total runs: several times what an honest
// server needs, so that only answers that contradict themselves (counts
// that do not shrink with the spans) exhaust it.
func budgetFor(total int) int {
	return 64 + 8*(total/spanTarget+1)
}

// spend counts n requests against the budget.
func (sl *spanLister) spend(n int) error {
	sl.listings += n
	if sl.listings > sl.budget {
		return fmt.Errorf("listing past GitHub's cap of %d runs stopped after %d requests: the counts GitHub answered for windows of creation time do not add up; list fewer runs with -L or a narrower --created",
			api.SearchCap, sl.listings)
	}
	if sl.progress != nil && !sl.noted && sl.listings >= progressAfter {
		sl.noted = true
		fmt.Fprintf(sl.progress, "listing more than GitHub's %d runs, in windows of creation time: this takes a request per window\n", api.SearchCap)
	}
	return nil
}

// progressAfter is how many span requests go by before a note on stderr.
const progressAfter = 50

// outside is an error when a listing of span w holds a run created out of
// it: the server did not apply the created qualifier, and splitting by
// creation time cannot work.
func outside(w span, runs []api.Run) error {
	for _, r := range runs {
		if t := second(r.CreatedAt); t.Before(w.from) || t.After(w.to) {
			return fmt.Errorf("listing past GitHub's cap of %d runs stopped: asked for runs created %s, the server answered with a run created at %s, so it does not apply the created filter; list at most %d runs (-L)",
				api.SearchCap, w, t.Format(time.RFC3339), api.SearchCap)
		}
	}
	return nil
}

// listPastCap completes a listing that GitHub cut at its cap: first, the
// listing of the filter, holds its newest runs; the older ones, back to
// lo, the first second the filter selects, are listed span by span of
// creation time. Runs come back newest first, each once, up to limit (0:
// all). Only when more runs than GitHub serves share one second are runs
// left out; the result is then Capped.
func listPastCap(ctx context.Context, c *api.Client, repo api.Repo, f api.RunFilter, lo time.Time, limit int, first *api.RunList, stderr, debug io.Writer) (*api.RunList, error) {
	sl := &spanLister{c: c, repo: repo, filter: f, conc: max(c.Concurrency(), 1), debug: debug, need: limit,
		budget: budgetFor(first.TotalCount), progress: stderr}
	sl.logf("the listing holds %d runs, of which GitHub serves %d: listing the older ones in windows", first.TotalCount, len(first.Runs))
	var top time.Time // the listing's newest second: its range ends there
	for _, r := range first.Runs {
		if t := second(r.CreatedAt); t.After(top) {
			top = t
		}
	}
	ws, err := sl.past(ctx, lo, top, first)
	if err != nil {
		return nil, err
	}
	runs, err := sl.fetch(ctx, ws)
	if err != nil {
		return nil, err
	}
	runs = api.DedupeRuns(runs)
	if limit > 0 && len(runs) > limit {
		runs = runs[:limit]
	}
	capped := sl.leftOut && (limit == 0 || len(runs) < limit)
	sl.logf("%d runs from %d windows, after %d probes", len(runs), len(ws), sl.probes)
	return &api.RunList{Runs: runs, TotalCount: first.TotalCount, Capped: capped}, nil
}

// past goes on from a listing, cut at GitHub's cap, of the runs created
// in [lo, hi]. The listing holds the newest of them, so it covers every
// second after that of its oldest run; that second and the older ones are
// covered by spans planned at the listing's density. When every run
// listed shares one second, that second is probed: if it holds more runs
// than GitHub serves, those listed stand for it. The spans go on below it.
func (sl *spanLister) past(ctx context.Context, lo, hi time.Time, list *api.RunList) ([]span, error) {
	// Runs after hi do not count, so that each step narrows the range
	// whatever the server answers.
	var in []api.Run
	for _, r := range list.Runs {
		if !second(r.CreatedAt).After(hi) {
			in = append(in, r)
		}
	}
	if len(in) == 0 {
		return nil, nil
	}
	cut, newest := second(in[0].CreatedAt), second(in[0].CreatedAt)
	for _, r := range in {
		t := second(r.CreatedAt)
		if t.Before(cut) {
			cut = t
		}
		if t.After(newest) {
			newest = t
		}
	}
	var kept []api.Run
	for _, r := range in {
		if second(r.CreatedAt).After(cut) {
			kept = append(kept, r)
		}
	}
	w := span{from: cut.Add(time.Second), to: newest, count: len(kept), listed: true, runs: kept}
	left := list.TotalCount - len(kept)
	rate := float64(len(in)) / float64(seconds(cut, newest))
	if len(kept) == 0 {
		// Every run listed was created in one second: how many were?
		probe := []span{{from: cut, to: cut}}
		if err := sl.probe(ctx, probe); err != nil {
			return nil, err
		}
		n := probe[0].count
		w = span{from: cut, to: cut, count: len(in), listed: true, runs: in}
		if n > len(in) {
			sl.leftOut = true
			sl.logf("%s holds %d runs within one second, more than GitHub serves: %d of them are listed", w, n, len(in))
		} else {
			sl.logf("%s holds %s, listed", w, runsText(len(in)))
		}
		left = list.TotalCount - max(n, len(in))
		cut, rate = cut.Add(-time.Second), 0
	} else {
		sl.logf("%s holds %s, listed", w, runsText(len(kept)))
	}
	sl.covered += len(w.runs)
	rest, err := sl.cover(ctx, lo, cut, left, rate)
	return append([]span{w}, rest...), err
}

// cover splits [lo, hi], holding about expected runs at about rate runs a
// second near hi (0: unknown), into spans, newest first, that GitHub
// serves whole. Each round plans up to conc-1 spans of about spanTarget
// runs back from hi, plus a tail span for all that is older, and probes
// them together. A span that holds too many is listed, and gone on from
// (past); a tail that holds too many is covered in turn, from its newest
// run down, at the density just seen.
func (sl *spanLister) cover(ctx context.Context, lo, hi time.Time, expected int, rate float64) ([]span, error) {
	var out []span
	for !hi.Before(lo) && !sl.enough() {
		k := int(math.Ceil(float64(expected) / spanTarget))
		k = max(1, min(k, sl.conc-1))
		width := seconds(lo, hi)
		if rate > 0 {
			width = max(1, min(width, int64(spanTarget/rate)))
		}
		var ws []span
		to := hi
		for i := 0; i < k && !to.Before(lo); i++ {
			from := to.Add(-time.Duration(width-1) * time.Second)
			if from.Before(lo) {
				from = lo
			}
			ws = append(ws, span{from: from, to: to})
			to = from.Add(-time.Second)
		}
		tail := !to.Before(lo)
		if tail {
			ws = append(ws, span{from: lo, to: to})
		}
		if err := sl.probe(ctx, ws); err != nil {
			return nil, err
		}
		body := ws
		if tail {
			body = ws[:len(ws)-1]
		}
		var seen int
		var secs int64
		for _, w := range body {
			seen += w.count
			secs += seconds(w.from, w.to)
			if sl.enough() {
				return out, nil
			}
			sub, err := sl.settle(ctx, w)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
		if !tail || sl.enough() {
			break
		}
		t := ws[len(ws)-1]
		if t.count <= api.SearchCap {
			sub, err := sl.settle(ctx, t)
			return append(out, sub...), err
		}
		// The tail holds too many: go on within it, from its newest run down,
		// at the density just seen, or its own average if that is higher.
		sl.logf("%s holds %d runs: narrowing", t, t.count)
		hi, expected = t.newest, t.count
		rate = float64(t.count) / float64(seconds(lo, hi))
		if seen > 0 {
			rate = max(rate, float64(seen)/float64(secs))
		}
	}
	return out, nil
}

// settle returns a probed span as spans that GitHub serves whole: the
// span itself, nothing when it is empty, or, when it holds too many runs,
// the listing of its newest runs and spans for the rest (past).
func (sl *spanLister) settle(ctx context.Context, w span) ([]span, error) {
	switch {
	case w.count == 0:
		sl.logf("%s holds 0 runs", w)
		return nil, nil
	case w.count <= api.SearchCap:
		sl.logf("%s holds %s", w, runsText(w.count))
		sl.covered += w.count
		return []span{w}, nil
	}
	sl.logf("%s holds %d runs: listing its newest", w, w.count)
	if err := sl.spend(1); err != nil {
		return nil, err
	}
	list, err := sl.c.ListRuns(ctx, sl.repo, sl.at(w), 0)
	if err != nil {
		return nil, err
	}
	if err := outside(w, list.Runs); err != nil {
		return nil, err
	}
	if !list.Capped {
		// It shrank since the probe.
		w.listed, w.runs, w.count = true, list.Runs, len(list.Runs)
		sl.covered += w.count
		return []span{w}, nil
	}
	return sl.past(ctx, w.from, w.to, list)
}

// enough reports whether the spans planned so far hold every run wanted.
func (sl *spanLister) enough() bool { return sl.need > 0 && sl.covered >= sl.need }

// at is the filter narrowed to a span.
func (sl *spanLister) at(w span) api.RunFilter {
	f := sl.filter
	f.Created = w.String()
	return f
}

// probe counts the runs of each span with a one-run listing, all at once.
func (sl *spanLister) probe(ctx context.Context, ws []span) error {
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i := range ws {
		wg.Go(func() {
			list, err := sl.c.ListRuns(ctx, sl.repo, sl.at(ws[i]), 1)
			if err != nil {
				errs[i] = err
				return
			}
			ws[i].count = list.TotalCount
			if err := outside(ws[i], list.Runs); err != nil {
				errs[i] = err
				return
			}
			if len(list.Runs) > 0 {
				ws[i].newest = second(list.Runs[0].CreatedAt)
			} else if ws[i].count > 0 {
				ws[i].newest = ws[i].to
			}
		})
	}
	wg.Wait()
	sl.probes += len(ws)
	if err := sl.spend(len(ws)); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// fetch lists the spans not listed yet, newest first, as far as they
// are needed, at most conc spans at once, and returns every span's runs
// in order.
func (sl *spanLister) fetch(ctx context.Context, ws []span) ([]api.Run, error) {
	limits := make([]int, 0, len(ws))
	left := sl.need
	for _, w := range ws {
		if sl.need > 0 && left <= 0 {
			break
		}
		lim := 0 // the whole span
		if sl.need > 0 && left < w.served() {
			lim = left
		}
		limits = append(limits, lim)
		left -= w.served()
	}
	lists := make([][]api.Run, len(limits))
	errs := make([]error, len(limits))
	cut := make([]bool, len(limits))
	// An error is kept for its span, not returned, so that every span is
	// listed as before and the first error in order is the one reported.
	var g errgroup.Group
	g.SetLimit(sl.conc)
	for i := range limits {
		if ws[i].listed {
			lists[i] = ws[i].runs
			continue
		}
		g.Go(func() error {
			list, err := sl.c.ListRuns(ctx, sl.repo, sl.at(ws[i]), limits[i])
			if err == nil {
				// A span that grew past the cap since its probe leaves runs out.
				lists[i], cut[i] = list.Runs, list.Capped
			}
			errs[i] = err
			return nil
		})
	}
	g.Wait()
	var runs []api.Run
	for i, l := range lists {
		if errs[i] != nil {
			return nil, errs[i]
		}
		runs = append(runs, l...)
		sl.leftOut = sl.leftOut || cut[i]
	}
	return runs, nil
}

func (sl *spanLister) logf(format string, args ...any) {
	if sl.debug != nil {
		fmt.Fprintf(sl.debug, "windows: "+format+"\n", args...)
	}
}

func runsText(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}

// second is t's whole second in UTC: GitHub's creation times have no finer grain.
func second(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
