package bulk

import (
	"bytes"
	"strings"
	"testing"
)

func TestMeter(t *testing.T) {
	var b bytes.Buffer
	m := newMeter(&b, "cancel", 3)
	for range 3 {
		m.step()
	}
	m.clear()
	out := b.String()
	if !strings.Contains(out, "cancel 1/3 runs") || !strings.Contains(out, "cancel 3/3 runs") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("meter drew %q", out)
	}
	var nilMeter *meter
	nilMeter.step() // no terminal: nothing to draw, no panic
	nilMeter.clear()
}
