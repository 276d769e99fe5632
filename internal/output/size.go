package output

import "fmt"

// Bytes prints a size for a person, in decimal units as GitHub shows
// artifact sizes: "512 B", "18.4 KB", "1.2 MB", "3.0 GB".
func Bytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, u := range []string{"KB", "MB", "GB", "TB"} {
		f /= unit
		// 999.96 KB would print as 1000.0 KB: it is 1.0 MB.
		if f < unit-0.05 || u == "TB" {
			return fmt.Sprintf("%.1f %s", f, u)
		}
	}
	return "" // not reached
}
