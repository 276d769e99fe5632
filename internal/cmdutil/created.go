package cmdutil

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A date or date-time in GitHub's search syntax: YYYY-MM-DD, optionally
// with THH:MM, :SS and a zone (Z or ±HH:MM).
var searchDateRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|([+-])(\d{2}):(\d{2}))?)?$`)

// oldestCreated bounds an open-ended --created range from below: GitHub
// Actions did not exist before 2008, so no run was created earlier.
var oldestCreated = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)

// searchTimeLayout is how ghruns writes a date-time in GitHub's search syntax.
const searchTimeLayout = "2006-01-02T15:04:05Z"

// formatSearchTime writes t, in UTC and to the second, in GitHub's search syntax.
func formatSearchTime(t time.Time) string {
	return t.UTC().Format(searchTimeLayout)
}

// ValidateCreated checks a --created value in GitHub's search syntax:
// DATE, >DATE, >=DATE, <DATE, <=DATE, DATE..DATE, DATE..* or *..DATE, where
// DATE is YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], a real date and time.
func ValidateCreated(s string) error {
	_, _, err := ParseCreatedRange(s, time.Now())
	return err
}

// ParseCreatedRange turns a --created value into the first and last second
// it selects, both included, in UTC: DATE is the whole day (UTC, as GitHub
// is silent on the zone), a date-time that second, or that minute when the
// seconds are left out. An open end is 2008-01-01 below (oldestCreated),
// and a day after now above, so that a clock a little behind GitHub's loses
// no run. A range that ends before it starts is an error; other forms may
// select no time at all (<2001-01-01).
func ParseCreatedRange(s string, now time.Time) (from, to time.Time, err error) {
	bad := func(why string) error {
		return fmt.Errorf("invalid --created %q: %s; use e.g. 2026-01-31, >=2026-01-01, <2026-02-01 or 2026-01-01..2026-01-31", s, why)
	}
	from, to = oldestCreated, now.UTC().Truncate(time.Second).Add(24*time.Hour)
	if s == "" {
		return from, to, bad("empty")
	}
	if a, b, ok := strings.Cut(s, ".."); ok {
		if a == "*" && b == "*" {
			return from, to, bad("a range needs at least one date")
		}
		if a != "*" {
			if from, _, err = parseSearchTime(a); err != nil {
				return from, to, bad(err.Error())
			}
		}
		if b != "*" {
			if _, to, err = parseSearchTime(b); err != nil {
				return from, to, bad(err.Error())
			}
		}
		if a != "*" && b != "*" && to.Before(from) {
			return from, to, bad("the range ends before it starts")
		}
		return from, to, nil
	}
	d := strings.TrimLeft(s, "<>=")
	op := s[:len(s)-len(d)]
	switch op {
	case "", ">", ">=", "<", "<=":
	default:
		return from, to, bad(fmt.Sprintf("unknown comparison %q", op))
	}
	first, last, err := parseSearchTime(d)
	if err != nil {
		return from, to, bad(err.Error())
	}
	switch op {
	case "":
		from, to = first, last
	case ">":
		from = last.Add(time.Second)
	case ">=":
		from = first
	case "<":
		to = first.Add(-time.Second)
	case "<=":
		to = last
	}
	return from, to, nil
}

// parseSearchTime parses one DATE and returns the first and last second it
// names: a day, a minute when the seconds are left out, or one second. A
// time without a zone is in UTC, as a date is.
func parseSearchTime(d string) (first, last time.Time, err error) {
	m := searchDateRE.FindStringSubmatch(d)
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
