//go:build !linux

package main

import "os"

// peakRSSKiB is not measured off Linux: other systems report the child's
// peak memory in other units or not at all, so the benchmark shows 0.
func peakRSSKiB(*os.ProcessState) int64 { return 0 }

// flushDisk does nothing off Linux.
func flushDisk() {}
