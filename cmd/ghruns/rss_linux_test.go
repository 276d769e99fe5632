//go:build linux

package main

import (
	"os"
	"syscall"
)

// peakRSSKiB is a finished child's peak resident set size; Linux reports
// Maxrss in KiB.
func peakRSSKiB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}

// flushDisk writes every dirty page out, so that a measurement that
// follows does not pay for the writes of the one before.
func flushDisk() { syscall.Sync() }
