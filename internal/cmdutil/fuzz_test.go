package cmdutil_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// FuzzParseRepo: ParseRepo never panics; what it accepts is a usable
// repository that survives being written back as HOST/OWNER/REPO.
func FuzzParseRepo(f *testing.F) {
	for _, s := range []string{
		"octo/hello", "ghe.example.com/team/app", "octo/hello.go", "octo/hello.git", " octo/hello ",
		"https://github.com/cli/cli", "https://github.com/cli/cli.git", "git@github.com:cli/cli.git",
		"ssh://git@ghe.io:2222/o/r.git", "HTTPS://GitHub.com/Octo/Hello", "https://github.com/a/b/c",
		"", "/", "//", "octo", "octo/", "/hello", "a/b/c/d", "octo/hel lo", "-octo/x", "octo/..", "octo/.",
		"../octo/hello", "octo/a..b", "octo/a.git.git", "octo/.git", "ho st/o/r", "octo/hello\n", "octo\t/hello",
		"GITHUB.COM/octo/hello", "localhost:8080/o/r", "o/" + strings.Repeat("r", 101), strings.Repeat("o", 40) + "/r",
		"octo/héllo", "ｏcto/hello", "octo\\hello", "file:///etc/passwd", "git@:o/r",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := cmdutil.ParseRepo(s, "github.com")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "invalid repository ") {
				t.Errorf("ParseRepo(%q) error does not say what is wrong: %v", s, err)
			}
			return
		}
		for _, part := range []struct{ what, v string }{{"host", r.Host}, {"owner", r.Owner}, {"name", r.Name}} {
			switch {
			case part.v == "":
				t.Fatalf("ParseRepo(%q) = %+v: empty %s", s, r, part.what)
			case strings.ContainsAny(part.v, `/\`):
				t.Fatalf("ParseRepo(%q) = %+v: %s has a slash", s, r, part.what)
			case strings.IndexFunc(part.v, unicode.IsSpace) >= 0:
				t.Fatalf("ParseRepo(%q) = %+v: %s has whitespace", s, r, part.what)
			case !isPrintableASCII(part.v):
				t.Fatalf("ParseRepo(%q) = %+v: %s is not printable ASCII", s, r, part.what)
			}
		}
		// Owner and name become URL path segments: never a dot segment.
		// (A dot inside a name, even "a..b", is a valid GitHub name.)
		for _, v := range []string{r.Owner, r.Name} {
			if v == "." || v == ".." {
				t.Fatalf("ParseRepo(%q) = %+v: %q is a dot segment", s, r, v)
			}
		}
		if strings.Contains(r.Owner, "..") {
			t.Fatalf("ParseRepo(%q) = %+v: owner has \"..\"", s, r)
		}

		again, err := cmdutil.ParseRepo(r.Host+"/"+r.Owner+"/"+r.Name, "other.example")
		if err != nil || again != r {
			if strings.HasSuffix(r.Name, ".git") {
				t.Fatalf("ParseRepo(%q) = %+v, but re-parsing gives %+v, %v: ParseRepo strips only one .git again, "+
					"so \"octo/a.git.git\" gives name \"a.git\", which \"github.com/octo/a.git\" does not parse back to",
					s, r, again, err)
			}
			t.Fatalf("ParseRepo(%q) = %+v, but re-parsing %q gives %+v, %v", s, r, r.Host+"/"+r.Owner+"/"+r.Name, again, err)
		}
	})
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

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

// FuzzValidateCreated: ValidateCreated never panics, accepts only GitHub's
// date syntax, and does not refuse valid single dates or ordered ranges.
func FuzzValidateCreated(f *testing.F) {
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
		err := cmdutil.ValidateCreated(s)
		ok, from, to := oracleCreated(s)
		if err == nil && !ok {
			if looseCreated.MatchString(s) {
				t.Fatalf("ValidateCreated(%q) accepted it: checkSearchDate checks hours and minutes but not seconds "+
					"or the zone offset again, so \"2026-01-01T10:00:99\" and \"2026-01-01T10:00+99:99\" pass", s)
			}
			t.Fatalf("ValidateCreated(%q) accepted what is not GitHub's date syntax", s)
		}
		if err != nil && !strings.Contains(err.Error(), "invalid --created") {
			t.Errorf("ValidateCreated(%q) error does not name the flag: %v", s, err)
		}
		if err == nil || !ok {
			return
		}
		// The oracle accepts and the product refuses: fine only for a range
		// that really ends before it starts.
		if from == "" {
			t.Fatalf("ValidateCreated(%q) refused a valid date: %v", s, err)
		}
		if from == "*" || to == "*" {
			t.Fatalf("ValidateCreated(%q) refused a valid open range: %v", s, err)
		}
		ft, fk := searchTime(from)
		tt, tk := searchTime(to)
		if fk != tk || ft.After(tt) {
			return // backwards, or ends of kinds that do not compare
		}
		if fk == "zoned" && from[len(from)-6:] != to[len(to)-6:] {
			t.Fatalf("ValidateCreated(%q) refused an ordered range: %v: it orders a range by comparing strings again, so "+
				"\"2026-01-01T10:00+05:00..2026-01-01T09:00+00:00\" (05:00Z..09:00Z) is refused as ending before it starts",
				s, err)
		}
		t.Fatalf("ValidateCreated(%q) refused an ordered range: %v", s, err)
	})
}

// FuzzParseRunID: a run ID is accepted exactly when it is a positive
// decimal integer that fits int64, and it parses to that integer.
func FuzzParseRunID(f *testing.F) {
	for _, s := range []string{
		"1", "42", "7000000110", "0", "-1", "+1", "x1", "1e3", "0x10", " 42", "42 ", "", "１", "١",
		"010", "08", "007", "999999999999999999", "1000000000000000000", "9223372036854775807",
		"9223372036854775808", "99999999999999999999", "00000000000000000001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := cmdutil.ParseRunID(s)
		want, perr := strconv.ParseInt(s, 10, 64)
		valid := perr == nil && want > 0 && strings.Trim(s, "0123456789") == ""
		switch {
		case valid && err == nil && id == want:
		case !valid && err != nil:
			if !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Errorf("ParseRunID(%q) error does not quote the input: %v", s, err)
			}
		case valid && err == nil && strings.HasPrefix(s, "0"):
			t.Fatalf("ParseRunID(%q) = %d, want %d: a leading 0 is read as octal again (as fmt.Sscan does), "+
				"so \"010\" is run 8", s, id, want)
		case valid && strings.HasPrefix(s, "0"):
			t.Fatalf("ParseRunID(%q) refused a valid run ID: %v: a leading 0 is read as octal again (as fmt.Sscan does) "+
				"and fails on 8 or 9, or a digit cap counts the zeros", s, err)
		case valid && len(s) > 18:
			t.Fatalf("ParseRunID(%q) refused a valid run ID: %v: IDs of 19 digits fit int64, "+
				"but a length cap of 18 digits is back", s, err)
		case valid:
			t.Fatalf("ParseRunID(%q) = %d, %v; want %d", s, id, err, want)
		default:
			t.Fatalf("ParseRunID(%q) = %d, accepted what is not a positive int64", s, id)
		}
	})
}
