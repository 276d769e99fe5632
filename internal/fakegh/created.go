package fakegh

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// timeRange is the half-open interval [from, to) of creation times a `created`
// filter selects; a zero bound is open.
type timeRange struct {
	from, to time.Time
}

func (tr timeRange) contains(t time.Time) bool {
	return (tr.from.IsZero() || !t.Before(tr.from)) && (tr.to.IsZero() || t.Before(tr.to))
}

// parseCreated parses GitHub's search syntax for dates
// (https://docs.github.com/en/search-github/getting-started-with-searching-on-github/understanding-the-search-syntax#query-for-dates):
// DATE, >DATE, >=DATE, <DATE, <=DATE, DATE..DATE, DATE..*, *..DATE,
// where DATE is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM.
// A date without a time is a whole day in UTC; GitHub does not say which zone it uses.
func parseCreated(s string) (timeRange, error) {
	if strings.ContainsAny(s, " \t") {
		// A '+' left unencoded in the query string arrives as a space.
		return timeRange{}, errors.New("contains a space (an unencoded '+' in a time zone arrives as one)")
	}
	if a, b, ok := strings.Cut(s, ".."); ok {
		var tr timeRange
		if a == "*" && b == "*" {
			return tr, errors.New("both ends of the range are *")
		}
		if a != "*" {
			from, _, err := parseSearchTime(a)
			if err != nil {
				return tr, err
			}
			tr.from = from
		}
		if b != "*" {
			_, to, err := parseSearchTime(b)
			if err != nil {
				return tr, err
			}
			tr.to = to
		}
		return tr, nil
	}
	for _, op := range []string{">=", "<=", ">", "<"} {
		rest, ok := strings.CutPrefix(s, op)
		if !ok {
			continue
		}
		start, end, err := parseSearchTime(rest)
		if err != nil {
			return timeRange{}, err
		}
		switch op {
		case ">=":
			return timeRange{from: start}, nil
		case ">":
			return timeRange{from: end}, nil
		case "<=":
			return timeRange{to: end}, nil
		default:
			return timeRange{to: start}, nil
		}
	}
	start, end, err := parseSearchTime(s)
	return timeRange{from: start, to: end}, err
}

// parseSearchTime parses one DATE and returns the interval it names: a whole day, or
// one instant.
func parseSearchTime(s string) (start, end time.Time, err error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, t.AddDate(0, 0, 1), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, t.Add(time.Nanosecond), nil
		}
	}
	return start, end, fmt.Errorf("%q is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM", s)
}
