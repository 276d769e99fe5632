package output

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestUpdater reports the first step at once, no more than once an
// interval after, and a last time, final, on Done.
func TestUpdater(t *testing.T) {
	var calls []bool
	u := NewUpdater(time.Hour, func(_ time.Duration, final bool) { calls = append(calls, final) })
	for range 3 {
		u.Update()
	}
	u.Done()
	u.Done()
	u.Update()
	if fmt.Sprint(calls) != "[false true]" {
		t.Errorf("reports (final or not) %v, want [false true]", calls)
	}

	var nilUpdater *Updater
	nilUpdater.Update() // no terminal: nothing to draw, no panic
	nilUpdater.Done()
}

// TestUpdaterConcurrent: workers may step one Updater at once.
func TestUpdaterConcurrent(t *testing.T) {
	n := 0
	u := NewUpdater(0, func(time.Duration, bool) { n++ })
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				u.Update()
			}
		})
	}
	wg.Wait()
	u.Done()
	if n != 801 {
		t.Errorf("%d reports, want 801", n)
	}
}

// TestMeter draws the first step, skips the steps within the interval,
// shows the last state and clears the line.
func TestMeter(t *testing.T) {
	var b bytes.Buffer
	done := 0
	m := NewMeter(&b, func(time.Duration) string {
		if done == 0 {
			return ""
		}
		return fmt.Sprintf("cancel %d/3 runs", done)
	})
	for range 3 {
		done++
		m.Update()
	}
	m.Done()
	if want := "\r\x1b[Kcancel 1/3 runs\r\x1b[Kcancel 3/3 runs\r\x1b[K"; b.String() != want {
		t.Errorf("meter drew %q, want %q", b.String(), want)
	}
}

// TestMeterNothingShown leaves the terminal alone when the work ended
// before it moved (a failed download), and does not draw the same line
// twice.
func TestMeterNothingShown(t *testing.T) {
	var b bytes.Buffer
	m := NewMeter(&b, func(time.Duration) string { return "" })
	m.Done()
	if b.Len() != 0 {
		t.Errorf("meter drew %q", b.String())
	}
	b.Reset()
	m = NewMeter(&b, func(time.Duration) string { return "1/1" })
	m.Update()
	m.Done()
	if want := "\r\x1b[K1/1\r\x1b[K"; b.String() != want {
		t.Errorf("meter drew %q, want %q", b.String(), want)
	}
}
