package runquery

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A date or date-time in GitHub's search syntax: YYYY-MM-DD, optionally
// with THH:MM, :SS and a zone (Z or ±HH:MM).
var searchDateRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|([+-])(\d{2}):(\d{2}))?)?$`)
})

// oldestCreated bounds an open-ended range from below: GitHub Actions did
// not exist before 2008, so no run was created earlier.
var oldestCreated = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)

// searchTimeLayout is how ghruns writes a date-time in GitHub's search syntax.
const searchTimeLayout = "2006-01-02T15:04:05Z"

// formatSearchTime writes t, in UTC and to the second, in GitHub's search syntax.
func formatSearchTime(t time.Time) string {
	return t.UTC().Format(searchTimeLayout)
}

// Range is a span of creation times: its first and last second, both
// included, in UTC. A zero From or To leaves that end open.
type Range struct{ From, To time.Time }

// String writes the range for GitHub's created qualifier, in full
// date-times: A..B, or <T (T a second after To) or >=A with an open end;
// "" when both ends are open.
func (r Range) String() string {
	switch {
	case r.From.IsZero() && r.To.IsZero():
		return ""
	case r.From.IsZero():
		return "<" + formatSearchTime(r.To.Add(time.Second))
	case r.To.IsZero():
		return ">=" + formatSearchTime(r.From)
	}
	return formatSearchTime(r.From) + ".." + formatSearchTime(r.To)
}

// oldest is the first second of the range, oldestCreated when it is open.
func (r Range) oldest() time.Time {
	if r.From.IsZero() {
		return oldestCreated
	}
	return r.From
}

// ParseCreated reads a --created value in GitHub's search syntax into the
// range it selects: DATE, >DATE, >=DATE, <DATE, <=DATE, DATE..DATE, DATE..*
// or *..DATE, where DATE is YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], a
// real date and time. DATE is the whole day (UTC, as GitHub is silent on
// the zone), a date-time that second, or that minute when the seconds are
// left out. A range that ends before it starts is an error; other forms may
// select no time at all (<2001-01-01).
func ParseCreated(s string) (Range, error) {
	var r Range
	bad := func(why string) (Range, error) {
		return Range{}, fmt.Errorf("invalid --created %q: %s; use e.g. 2026-01-31, >=2026-01-01, <2026-02-01 or 2026-01-01..2026-01-31", s, why)
	}
	if s == "" {
		return bad("empty")
	}
	if a, b, ok := strings.Cut(s, ".."); ok {
		if a == "*" && b == "*" {
			return bad("a range needs at least one date")
		}
		var err error
		if a != "*" {
			if r.From, _, err = parseSearchTime(a); err != nil {
				return bad(err.Error())
			}
		}
		if b != "*" {
			if _, r.To, err = parseSearchTime(b); err != nil {
				return bad(err.Error())
			}
		}
		if a != "*" && b != "*" && r.To.Before(r.From) {
			return bad("the range ends before it starts")
		}
		return r, nil
	}
	d := strings.TrimLeft(s, "<>=")
	op := s[:len(s)-len(d)]
	switch op {
	case "", ">", ">=", "<", "<=":
	default:
		return bad(fmt.Sprintf("unknown comparison %q", op))
	}
	first, last, err := parseSearchTime(d)
	if err != nil {
		return bad(err.Error())
	}
	switch op {
	case "":
		r.From, r.To = first, last
	case ">":
		r.From = last.Add(time.Second)
	case ">=":
		r.From = first
	case "<":
		r.To = first.Add(-time.Second)
	case "<=":
		r.To = last
	}
	return r, nil
}

// parseSearchTime parses one DATE and returns the first and last second it
// names: a day, a minute when the seconds are left out, or one second. A
// time without a zone is in UTC, as a date is.
func parseSearchTime(d string) (first, last time.Time, err error) {
	m := searchDateRE().FindStringSubmatch(d)
	if m == nil {
		return first, last, fmt.Errorf("%q is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SS, optionally with Z or ±HH:MM)", d)
	}
	day, err := time.Parse(time.DateOnly, m[1])
	if err != nil {
		return first, last, fmt.Errorf("%q is not a calendar date", m[1])
	}
	if m[2] == "" {
		return day, day.AddDate(0, 0, 1).Add(-time.Second), nil
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	hour, minute, sec := num(m[2]), num(m[3]), num(m[4])
	if hour > 23 || minute > 59 || sec > 59 {
		return first, last, fmt.Errorf("%q is not a time of day", d[11:])
	}
	zone := time.UTC
	if m[6] != "" {
		oh, om := num(m[7]), num(m[8])
		if oh > 23 || om > 59 {
			return first, last, fmt.Errorf("%q is not a time zone offset", m[5])
		}
		off := oh*3600 + om*60
		if m[6] == "-" {
			off = -off
		}
		zone = time.FixedZone(m[5], off)
	}
	first = time.Date(day.Year(), day.Month(), day.Day(), hour, minute, sec, 0, zone).UTC()
	if m[4] == "" {
		return first, first.Add(59 * time.Second), nil
	}
	return first, first, nil
}
