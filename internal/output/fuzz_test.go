package output

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzOneLine checks what every printer of GitHub's text promises, for any
// input: no escape, C0 or C1 control or bidi control comes out; OneLine
// prints one line, valid UTF-8, and changes nothing on a second pass; and
// the streaming Sanitizer removes exactly what Lines removes.
func FuzzOneLine(f *testing.F) {
	for _, seed := range []string{
		"plain title",
		"Fix\x1b[2J\x1b[Hthe screen",
		"copy \x1b]52;c;ZXZpbA==\x07me",
		"a \x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\",
		"txt.exe\u202egnp.",
		"iso\u2066late\u2069d",
		"\u009b2J\u009d0;t\u009c\u0090q\u009c",
		"\x1bP1$r\x1b\\ dcs",
		"cut \x1b[",
		"\x1b\x1b[\x1b]",
		"tab\tcr\rlf\n",
		"\xff\xfe bad utf-8 \xe2\x82",
		"\x1b(B charset \x1b#8",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		one := OneLine(in)
		if bad, at := forbidden(one, false); bad {
			t.Fatalf("OneLine(%q) = %q: forbidden character at %d", in, one, at)
		}
		if OneLine(one) != one {
			t.Fatalf("OneLine is not idempotent on %q: %q then %q", in, one, OneLine(one))
		}
		lines := Lines(in)
		if bad, at := forbidden(lines, true); bad {
			t.Fatalf("Lines(%q) = %q: forbidden character at %d", in, lines, at)
		}
		if strings.ContainsAny(in, "\n\ufeff") || !utf8.ValidString(in) {
			// By design the Sanitizer prefixes lines, drops a leading
			// byte-order mark and makes one U+FFFD of a cut character.
			return
		}
		streamed := strings.TrimPrefix(strings.TrimSuffix(sanitize(t, in), "\n"), "p\t")
		if strings.NewReplacer("\t", " ").Replace(streamed) != strings.NewReplacer("\t", " ", "\r", "").Replace(lines) {
			t.Fatalf("Sanitizer and Lines disagree on %q: %q and %q", in, streamed, lines)
		}
	})
}

// forbidden reports the first character a terminal would act on; layout
// allows tab and line feed.
func forbidden(s string, layout bool) (bool, int) {
	if !utf8.ValidString(s) {
		return true, -1
	}
	for i, r := range s {
		switch {
		case layout && (r == '\t' || r == '\n'):
		case r < 0x20, r >= 0x7f && r < 0xa0, isBidiControl(r):
			return true, i
		}
	}
	return false, 0
}
