package runquery

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// maxAge bounds --older-than and --newer-than: a century reaches well past
// the first workflow run, and keeps the arithmetic far from overflow.
const maxAge = 100 * 365 * 24 * time.Hour

// ageRE splits off the weeks and days that Go durations lack: 2w, 30d, 1w2d12h.
// Compiled on first use, like the package's other patterns: not at every
// start of ghruns.
var ageRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:(\d+)w)?(?:(\d+)d)?(.*)$`) })

// ParseAge parses an age for --older-than and --newer-than: weeks (2w),
// days (30d), or a Go duration (12h, 90m, 1h30m), the units combined largest
// first (1w2d, 2d12h).
func ParseAge(s string) (time.Duration, error) {
	bad := errors.New("want a duration such as 30d, 12h, 90m or 2w")
	m := ageRE().FindStringSubmatch(s)
	if s == "" || m == nil {
		return 0, bad
	}
	var days int64
	for i, perDay := range map[int]int64{1: 7, 2: 1} {
		if m[i] == "" {
			continue
		}
		n, err := strconv.ParseInt(m[i], 10, 64)
		if err != nil || n > int64(maxAge/(24*time.Hour)) {
			return 0, fmt.Errorf("%s is too long ago: at most 100 years", s)
		}
		days += n * perDay
	}
	var rest time.Duration
	if m[3] != "" {
		var err error
		if rest, err = time.ParseDuration(m[3]); err != nil || rest < 0 {
			return 0, bad
		}
	}
	if days > int64(maxAge/(24*time.Hour)) || rest > maxAge {
		return 0, fmt.Errorf("%s is too long ago: at most 100 years", s)
	}
	d := time.Duration(days)*24*time.Hour + rest
	switch {
	case d > maxAge:
		return 0, fmt.Errorf("%s is too long ago: at most 100 years", s)
	case d <= 0:
		return 0, errors.New("want a duration above zero, such as 30d, 12h, 90m or 2w")
	}
	return d, nil
}

// FormatAge writes an age the way ParseAge reads it, in days when it is whole days.
func FormatAge(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d <= 0:
		return ""
	case d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	}
	return d.String()
}
