package cmdutil

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// A date or date-time in GitHub's search syntax.
var searchDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?$`)

// ValidateCreated checks a --created value in GitHub's search syntax:
// DATE, >DATE, >=DATE, <DATE, <=DATE, DATE..DATE, DATE..* or *..DATE, where
// DATE is YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM].
func ValidateCreated(s string) error {
	bad := func(why string) error {
		return fmt.Errorf("invalid --created %q: %s; use e.g. 2026-01-31, >=2026-01-01, <2026-02-01 or 2026-01-01..2026-01-31", s, why)
	}
	if s == "" {
		return bad("empty")
	}
	if from, to, ok := strings.Cut(s, ".."); ok {
		if from == "*" && to == "*" {
			return bad("a range needs at least one date")
		}
		for _, d := range []string{from, to} {
			if d != "*" {
				if err := checkSearchDate(d); err != nil {
					return bad(err.Error())
				}
			}
		}
		if from != "*" && to != "*" && from > to && len(from) == len(to) {
			return bad("the range ends before it starts")
		}
		return nil
	}
	d := strings.TrimLeft(s, "<>=")
	switch op := s[:len(s)-len(d)]; op {
	case "", ">", ">=", "<", "<=":
	default:
		return bad(fmt.Sprintf("unknown comparison %q", op))
	}
	if err := checkSearchDate(d); err != nil {
		return bad(err.Error())
	}
	return nil
}

func checkSearchDate(d string) error {
	if !searchDateRE.MatchString(d) {
		return fmt.Errorf("%q is not a date", d)
	}
	if _, err := time.Parse("2006-01-02", d[:10]); err != nil {
		return fmt.Errorf("%q is not a calendar date", d[:10])
	}
	if len(d) > 10 {
		clock := d[11:]
		if len(clock) >= 5 && (clock[:2] > "23" || clock[3:5] > "59") {
			return fmt.Errorf("%q is not a time of day", clock)
		}
	}
	return nil
}
