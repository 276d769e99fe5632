package output

import (
	"bufio"
	"unicode/utf8"
)

// escape states of Sanitizer.
const (
	stText      = iota
	stEsc       // after ESC
	stEscInter  // ESC and intermediate bytes (0x20–0x2F), until a final byte
	stCSI       // ESC [ or C1 CSI, until a final byte (0x40–0x7E)
	stString    // OSC, DCS, SOS, PM or APC, until BEL or ST
	stStringEsc // ESC within a string: ST if "\" follows
)

// Sanitizer copies text from GitHub (logs now; any name later) to a
// terminal or a pipe line by line, each line behind a prefix, dropping
// terminal control that could move the cursor or rewrite the screen:
// escape sequences (CSI, OSC and the other strings, and two-byte escapes),
// C0 and C1 control characters but tab and newline, and a leading
// byte-order mark. Bytes that are not UTF-8 become U+FFFD. It keeps its
// state across writes, so sequences and characters may span buffers.
type Sanitizer struct {
	w         *bufio.Writer
	prefix    string
	state     int
	lineStart bool // nothing of the current line written yet
	textStart bool // nothing of the text read yet
	carry     []byte
}

// NewSanitizer returns a Sanitizer writing to w, every line behind prefix.
func NewSanitizer(w *bufio.Writer, prefix string) *Sanitizer {
	return &Sanitizer{w: w, prefix: prefix, lineStart: true, textStart: true}
}

// Write sanitises p. Its error is w's, which bufio keeps once a write
// failed (a closed pipe), so that the caller stops reading.
func (s *Sanitizer) Write(p []byte) (int, error) {
	s.write(p)
	if _, err := s.w.Write(nil); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close ends the text: a cut character becomes U+FFFD and a last line
// without a newline gets one. It returns w's error, as Write does, and
// leaves the Sanitizer ready for another text.
func (s *Sanitizer) Close() error {
	s.finish()
	_, err := s.w.Write(nil)
	return err
}

func (s *Sanitizer) write(p []byte) {
	if len(s.carry) > 0 {
		// Complete the character cut at the end of the last buffer.
		had := len(s.carry)
		buf := append(s.carry, p[:min(utf8.UTFMax-had, len(p))]...)
		s.carry = nil
		if !utf8.FullRune(buf) {
			s.carry = buf // p was shorter still
			return
		}
		r, size := utf8.DecodeRune(buf)
		s.rune(r)
		if size < had {
			// Not a character after all: its first byte became U+FFFD,
			// and the bytes after it are read again.
			s.write(append(buf[size:had:had], p...))
			return
		}
		p = p[size-had:]
	}
	for len(p) > 0 {
		if s.state == stText {
			// Printable ASCII goes out in one piece.
			i := 0
			for i < len(p) && p[i] >= 0x20 && p[i] < 0x7f {
				i++
			}
			if i > 0 {
				s.text(p[:i])
				p = p[i:]
				continue
			}
		}
		if p[0] < utf8.RuneSelf {
			s.rune(rune(p[0]))
			p = p[1:]
			continue
		}
		if !utf8.FullRune(p) {
			s.carry = append([]byte(nil), p...)
			return
		}
		r, size := utf8.DecodeRune(p)
		s.rune(r)
		p = p[size:]
	}
}

// finish flushes a cut character, ends the last line and resets the state.
func (s *Sanitizer) finish() {
	if len(s.carry) > 0 {
		s.carry = nil
		s.rune(utf8.RuneError)
	}
	if !s.lineStart {
		s.w.WriteByte('\n')
	}
	s.state, s.lineStart, s.textStart = stText, true, true
}

func (s *Sanitizer) text(b []byte) {
	s.textStart = false
	if s.lineStart {
		s.w.WriteString(s.prefix)
		s.lineStart = false
	}
	s.w.Write(b)
}

func (s *Sanitizer) rune(r rune) {
	first := s.textStart
	s.textStart = false
	switch s.state {
	case stText:
		switch {
		case r == 0x1b:
			s.state = stEsc
		case r == 0x9b:
			s.state = stCSI
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f:
			s.state = stString
		case r == '\n':
			if s.lineStart {
				s.w.WriteString(s.prefix)
			}
			s.w.WriteByte('\n')
			s.lineStart = true
		case r == '\t':
			s.text([]byte{'\t'})
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// Other control characters, \r among them, are dropped.
		case r == 0xfeff && first:
			// The byte-order mark GitHub starts log files with.
		default:
			var b [utf8.UTFMax]byte
			s.text(b[:utf8.EncodeRune(b[:], r)])
		}
	case stEsc:
		switch {
		case r == '[':
			s.state = stCSI
		case r == ']' || r == 'P' || r == 'X' || r == '^' || r == '_':
			s.state = stString
		case r >= 0x20 && r <= 0x2f:
			s.state = stEscInter
		case r >= 0x30 && r <= 0x7e:
			s.state = stText
		default:
			s.state = stText
			s.rune(r)
		}
	case stEscInter, stCSI:
		switch {
		case r >= 0x20 && r <= 0x2f, s.state == stCSI && r >= 0x30 && r <= 0x3f:
		case r >= 0x30 && r <= 0x7e:
			s.state = stText
		default:
			// Not part of a sequence (a newline, another ESC): the
			// sequence was cut; the character counts as text.
			s.state = stText
			s.rune(r)
		}
	case stString:
		switch r {
		case 0x07, 0x9c:
			s.state = stText
		case 0x1b:
			s.state = stStringEsc
		case '\n':
			// An unterminated string ends with its line, so that it
			// cannot swallow the rest of the log.
			s.state = stText
			s.rune(r)
		}
	case stStringEsc:
		if r == '\\' {
			s.state = stText
			return
		}
		s.state = stEsc
		s.rune(r)
	}
}
