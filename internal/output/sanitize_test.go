package output

import (
	"bufio"
	"bytes"
	"errors"
	"testing"
)

// TestSanitizerSplits feeds text through the sanitiser in two pieces cut at
// every byte, which must print as one piece does: escape sequences and
// characters may straddle buffers.
func TestSanitizerSplits(t *testing.T) {
	in := "\ufeffa\x1b[31mé\x1b]0;t\x1b\\b\u009b2Jc€\r\n\xffd\x1b(Be𝄞\n\x1b]8;;u\x07f\xe2\x82"
	whole := sanitize(t, in)
	if want := "p\taéb" + "c€\np\t\ufffdde𝄞\np\tf\ufffd\n"; whole != want {
		t.Errorf("sanitize = %q, want %q", whole, want)
	}
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j++ {
			if got := sanitize(t, in[:i], in[i:j], in[j:]); got != whole {
				t.Fatalf("split at %d, %d: %q, want %q", i, j, got, whole)
			}
		}
	}
}

func sanitize(t *testing.T, parts ...string) string {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	s := NewSanitizer(w, "p\t")
	for _, p := range parts {
		if _, err := s.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return buf.String()
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestSanitizerWriteError passes on the failure of the writer beneath, so
// that a reader copying a long log into a closed pipe stops.
func TestSanitizerWriteError(t *testing.T) {
	s := NewSanitizer(bufio.NewWriterSize(failingWriter{}, 16), "")
	var err error
	for range 10 {
		if _, err = s.Write([]byte("a line of text\n")); err != nil {
			break
		}
	}
	if err == nil || err.Error() != "broken pipe" {
		t.Errorf("Write error = %v, want the writer's", err)
	}
	if err := s.Close(); err == nil {
		t.Error("Close after a failed write returned no error")
	}
}

// TestSanitizerBidi: log text cannot reorder what the terminal shows.
func TestSanitizerBidi(t *testing.T) {
	got := sanitize(t, "ok \u202eevil\u202c \u2067x\u2069\n")
	if want := "p\tok evil x\n"; got != want {
		t.Errorf("sanitize = %q, want %q", got, want)
	}
}
