package cmdutil_test

import (
	"strconv"
	"strings"
	"testing"
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
