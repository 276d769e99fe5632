package runquery_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/runquery"
)

// The oracle for --created, written from GitHub's search syntax
// ("Understanding the search syntax", "Query for dates") independently
// of the product's code: DATE is YYYY-MM-DD, optionally followed by
// THH:MM, optional :SS, and an optional Z or ±HH:MM offset.
const oracleDate = `\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])` +
	`(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?`

var (
	oracleSingle = regexp.MustCompile(`^(?:>|>=|<|<=)?(` + oracleDate + `)$`)
	oracleRange  = regexp.MustCompile(`^(` + oracleDate + `|\*)\.\.(` + oracleDate + `|\*)$`)
	// looseCreated has the product's looser clock (any two digits for
	// seconds and offsets): inputs only it accepts are a known bug.
	looseCreated = regexp.MustCompile(strings.NewReplacer("DATE", looseDate).Replace(
		`^(?:[<>]=?)?DATE$|^(?:\*|DATE)\.\.(?:\*|DATE)$`))
)

const looseDate = `\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?`

// oracleCreated reports whether s is valid search syntax, with real
// calendar dates; for ranges it returns both ends ("*" for open).
func oracleCreated(s string) (ok bool, from, to string) {
	if m := oracleSingle.FindStringSubmatch(s); m != nil {
		return calendarDate(m[1]), "", ""
	}
	m := oracleRange.FindStringSubmatch(s)
	if m == nil || (m[1] == "*" && m[2] == "*") {
		return false, "", ""
	}
	for _, d := range m[1:] {
		if d != "*" && !calendarDate(d) {
			return false, "", ""
		}
	}
	return true, m[1], m[2]
}

func calendarDate(d string) bool {
	_, err := time.Parse("2006-01-02", d[:10])
	return err == nil
}

// searchTime parses one end of a range, and says which kind it is: a date,
// a time without zone, or a time with one (only the same kinds compare).
func searchTime(d string) (time.Time, string) {
	for _, layout := range []struct{ layout, kind string }{
		{"2006-01-02", "date"},
		{"2006-01-02T15:04", "local"}, {"2006-01-02T15:04:05", "local"},
		{"2006-01-02T15:04Z07:00", "zoned"}, {"2006-01-02T15:04:05Z07:00", "zoned"},
	} {
		if t, err := time.Parse(layout.layout, d); err == nil {
			return t, layout.kind
		}
	}
	return time.Time{}, ""
}

// FuzzParseCreated: ParseCreated never panics, accepts only GitHub's
// date syntax, and does not refuse valid single dates or ordered ranges.
func FuzzParseCreated(f *testing.F) {
	for _, s := range []string{
		"2026-01-31", ">2026-01-01", ">=2026-01-01", "<2026-02-01", "<=2026-02-01", "2026-01-01..2026-01-31",
		"2026-01-01..*", "*..2026-01-31", "*..*", "2026-01-01T10:00:00Z", ">=2026-01-01T10:00:00+02:00",
		"2026-01-01T10:00", "2026-01-01T23:59:59-05:30", "2024-02-29", "2026-02-29", "2026-02-30", "2026-13-01",
		"2026-00-10", "2026-1-1", "26-01-01", "", "yesterday", "=>2026-01-01", "==2026-01-01", "<>2026-01-01",
		"2026-01-31..2026-01-01", "2026-01-01...2026-01-02", "2026-01-01..2026-01-02..2026-01-03", "..",
		"2026-01-01T24:00", "2026-01-01T10:60", "2026-01-01T10:00:60", "2026-01-01T10:00:99", "2026-01-01T10:00+24:00",
		"2026-01-01T10:00+05:00..2026-01-01T09:00+00:00", "2026-01-01T10:00Z..2026-01-01T09:00+00:00",
		"２０２６-01-01", "2026-01-01 ", " 2026-01-01", "2026-01-01\n", "2026-01-01T", "2026-01-01t10:00z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := runquery.ParseCreated(s)
		ok, from, to := oracleCreated(s)
		if err == nil && !ok {
			if looseCreated.MatchString(s) {
				t.Fatalf("ParseCreated(%q) accepted it: checkSearchDate checks hours and minutes but not seconds "+
					"or the zone offset again, so \"2026-01-01T10:00:99\" and \"2026-01-01T10:00+99:99\" pass", s)
			}
			t.Fatalf("ParseCreated(%q) accepted what is not GitHub's date syntax", s)
		}
		if err != nil && !strings.Contains(err.Error(), "invalid --created") {
			t.Errorf("ParseCreated(%q) error does not name the flag: %v", s, err)
		}
		if err == nil || !ok {
			return
		}
		// The oracle accepts and the product refuses: fine only for a range
		// that really ends before it starts.
		if from == "" {
			t.Fatalf("ParseCreated(%q) refused a valid date: %v", s, err)
		}
		if from == "*" || to == "*" {
			t.Fatalf("ParseCreated(%q) refused a valid open range: %v", s, err)
		}
		ft, fk := searchTime(from)
		tt, tk := searchTime(to)
		if fk != tk || ft.After(tt) {
			return // backwards, or ends of kinds that do not compare
		}
		if fk == "zoned" && from[len(from)-6:] != to[len(to)-6:] {
			t.Fatalf("ParseCreated(%q) refused an ordered range: %v: it orders a range by comparing strings again, so "+
				"\"2026-01-01T10:00+05:00..2026-01-01T09:00+00:00\" (05:00Z..09:00Z) is refused as ending before it starts",
				s, err)
		}
		t.Fatalf("ParseCreated(%q) refused an ordered range: %v", s, err)
	})
}
