package output

import (
	"bufio"
	"unicode/utf8"
)

// Sanitizer copies long text from GitHub (logs) to a terminal or a pipe
// line by line, each line behind a prefix, removing what OneLine removes
// but keeping tabs and line breaks, and dropping a leading byte-order
// mark. Bytes that are not UTF-8 become U+FFFD. It keeps its state across
// writes, so sequences and characters may span buffers.
type Sanitizer struct {
	w         *bufio.Writer
	prefix    string
	controls  controls
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
		if s.controls.state == stText {
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
	s.controls, s.lineStart, s.textStart = controls{}, true, true
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
	switch s.controls.read(r) {
	case newline:
		if s.lineStart {
			s.w.WriteString(s.prefix)
		}
		s.w.WriteByte('\n')
		s.lineStart = true
	case tab:
		s.text([]byte{'\t'})
	case removed, carriageReturn:
	default:
		if r == 0xfeff && first {
			// The byte-order mark GitHub starts log files with.
			return
		}
		var b [utf8.UTFMax]byte
		s.text(b[:utf8.EncodeRune(b[:], r)])
	}
}
