package fakegh

import (
	"net/http"
	"strconv"
	"time"
)

// Budget is GitHub's secondary rate limit on REST requests as documented:
// no more than Points points in any rolling minute, a GET, HEAD or OPTIONS
// costing one point and any other method five
// (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
type Budget struct {
	// Points per rolling minute; GitHub's figure is 900.
	Points int
	// RetryAfter is the wait the refusal names; 0 means 60 seconds.
	RetryAfter time.Duration
}

// budgetState is the fake's record of points spent, for EnforceBudget.
type budgetState struct {
	Budget
	spent   []spend
	refused int
	peak    int
}

type spend struct {
	at     time.Time
	points int
}

// EnforceBudget makes the fake refuse, from the next request on, any
// request that would take the points spent in the last minute (by the
// fake's clock) past b.Points, with GitHub's secondary-limit answer (403,
// its message, Retry-After). A refused request spends nothing. The zero
// Budget turns enforcement off. Tests read SecondaryLimits and PeakPoints.
func (s *Server) EnforceBudget(b Budget) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.budgetOn.Store(b.Points > 0)
	if b.Points <= 0 {
		s.budget = nil
		return
	}
	if b.RetryAfter <= 0 {
		b.RetryAfter = time.Minute
	}
	s.budget = &budgetState{Budget: b}
}

// SecondaryLimits is how many requests the enforced budget refused.
func (s *Server) SecondaryLimits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.budget == nil {
		return 0
	}
	return s.budget.refused
}

// PeakPoints is the most points the requests the fake accepted spent
// within one rolling minute, while a budget was enforced.
func (s *Server) PeakPoints() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.budget == nil {
		return 0
	}
	return s.budget.peak
}

// points is what a request costs against the secondary limit.
func points(method string) int {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return 1
	}
	return 5
}

// budgetBefore is serveAPI's hook before the route runs: the secondary
// limit's refusal when r would overspend the enforced budget.
func (s *Server) budgetBefore(r *http.Request) (response, bool) {
	// Not s.mu: a request must not wait for the answers being written, or
	// the fake's own locking would add round trips that RoundTrips counts.
	if !s.budgetOn.Load() {
		return response{}, false // and the clock is not read: tests count its calls
	}
	now := s.now()
	s.mu.Lock()
	b := s.budget
	if b == nil {
		s.mu.Unlock()
		return response{}, false
	}
	cut := now.Add(-time.Minute)
	keep := b.spent[:0]
	used := 0
	for _, sp := range b.spent {
		if sp.at.After(cut) {
			keep = append(keep, sp)
			used += sp.points
		}
	}
	b.spent = keep
	cost := points(r.Method)
	over := used+cost > b.Points
	if over {
		b.refused++
	} else {
		b.spent = append(b.spent, spend{now, cost})
		b.peak = max(b.peak, used+cost)
	}
	wait := b.RetryAfter
	s.mu.Unlock()
	if !over {
		return response{}, false
	}
	res := s.secondaryLimit(r)
	res.header.Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	return res, true
}
