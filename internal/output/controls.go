package output

import (
	"strings"
	"unicode/utf8"
)

// This file is the one definition of what ghruns removes from text that
// came from GitHub (run titles come from commit messages and pull-request
// titles, which anyone who can open a pull request writes) before it
// reaches a terminal or a line of a script's output: anything a terminal
// would act on rather than show.
//
//   - escape sequences: CSI (ESC [ or U+009B, up to its final byte), the
//     strings OSC, DCS, SOS, PM and APC (ESC ] P X ^ _ or U+009D U+0090
//     U+0098 U+009E U+009F, up to BEL or ST; cut at a line break), and
//     two-byte escapes (ESC and a final byte, with intermediates between);
//   - C0 control characters (backspace, BEL …) and DEL; tab, line feed and
//     carriage return are layout, which each printer handles its own way
//     (a carriage return never reaches the output: it would let the rest
//     of a line overwrite its start);
//   - C1 control characters (U+0080–U+009F);
//   - the bidirectional overrides and isolates U+202A–U+202E and
//     U+2066–U+2069, which make a terminal show text in another order than
//     it is read (https://trojansource.codes).
//
// OneLine and Lines apply it to strings, Sanitizer to a stream.

// escape states of controls.
const (
	stText      = iota
	stEsc       // after ESC
	stEscInter  // ESC and intermediate bytes (0x20–0x2F), until a final byte
	stCSI       // ESC [ or C1 CSI, until a final byte (0x40–0x7E)
	stString    // OSC, DCS, SOS, PM or APC, until BEL or ST
	stStringEsc // ESC within a string: ST if "\" follows
)

// charKind is what a character is to a printer, once what came before it
// is known.
type charKind int

const (
	printable charKind = iota
	removed            // a control, a bidi control or part of an escape sequence
	tab
	newline
	carriageReturn // shown as nothing, but it separates words on one line
)

// controls reads text a character at a time and says what each is. Its
// zero value is at the start of a text.
type controls struct{ state int }

// read classifies r, read after the characters read before.
func (c *controls) read(r rune) charKind {
	switch c.state {
	case stText:
		switch {
		case r == 0x1b:
			c.state = stEsc
		case r == 0x9b:
			c.state = stCSI
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f:
			c.state = stString
		case r == '\n':
			return newline
		case r == '\t':
			return tab
		case r == '\r':
			return carriageReturn
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0), isBidiControl(r):
		default:
			return printable
		}
		return removed
	case stEsc:
		switch {
		case r == '[':
			c.state = stCSI
		case r == ']' || r == 'P' || r == 'X' || r == '^' || r == '_':
			c.state = stString
		case r >= 0x20 && r <= 0x2f:
			c.state = stEscInter
		case r >= 0x30 && r <= 0x7e:
			c.state = stText
		default:
			c.state = stText
			return c.read(r)
		}
	case stEscInter, stCSI:
		switch {
		case r >= 0x20 && r <= 0x2f, c.state == stCSI && r >= 0x30 && r <= 0x3f:
		case r >= 0x30 && r <= 0x7e:
			c.state = stText
		default:
			// Not part of a sequence (a newline, another ESC): the
			// sequence was cut; the character counts on its own.
			c.state = stText
			return c.read(r)
		}
	case stString:
		switch r {
		case 0x07, 0x9c:
			c.state = stText
		case 0x1b:
			c.state = stStringEsc
		case '\n':
			// An unterminated string ends with its line, so that it
			// cannot swallow the rest of the text.
			c.state = stText
			return c.read(r)
		}
	case stStringEsc:
		if r == '\\' {
			c.state = stText
			return removed
		}
		c.state = stEsc
		return c.read(r)
	}
	return removed
}

// isBidiControl reports whether r is a bidirectional override or isolate.
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// plainASCII reports whether s is printable ASCII only, which every
// printer passes as it is.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// OneLine makes text from GitHub (titles, names, branches, logins, error
// messages) safe to print as one line, on a terminal or in a field of a
// tab-separated row: escape sequences, control characters and bidi
// controls are removed, and tabs and line breaks become spaces. Bytes that
// are not UTF-8 become U+FFFD.
func OneLine(s string) string {
	return clean(s, ' ')
}

// Lines is OneLine for text of several lines (an error message): tabs and
// line breaks are kept.
func Lines(s string) string {
	return clean(s, 0)
}

// clean removes what controls removes; a layout character becomes space,
// or stays when space is 0.
func clean(s string, space rune) string {
	if plainASCII(s) {
		return s
	}
	var c controls
	return strings.Map(func(r rune) rune {
		switch c.read(r) {
		case removed:
			return -1
		case tab, newline:
			if space != 0 {
				return space
			}
		case carriageReturn:
			if space != 0 {
				return space
			}
			return -1
		}
		return r
	}, s)
}

// palette are the colour sequences Colors writes.
var palette = []string{"\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m", "\x1b[90m"}

// cell is OneLine for a table cell, which keeps Colors' colour sequences.
func cell(s string) string {
	if plainASCII(s) {
		return s
	}
	var c controls
	var b strings.Builder
	for i := 0; i < len(s); {
		if c.state == stText && s[i] == 0x1b {
			if seq := paletteAt(s[i:]); seq != "" {
				b.WriteString(seq)
				i += len(seq)
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch c.read(r) {
		case printable:
			b.WriteRune(r)
		case tab, newline, carriageReturn:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// paletteAt is the colour sequence of Colors that s starts with, or "".
func paletteAt(s string) string {
	for _, seq := range palette {
		if strings.HasPrefix(s, seq) {
			return seq
		}
	}
	return ""
}
