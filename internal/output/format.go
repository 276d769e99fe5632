package output

import (
	"fmt"
	"strings"
	"time"

	"github.com/cli/go-gh/v2/pkg/text"

	"github.com/ghruns/gh-runs/internal/api"
)

// Colors paints text with ANSI colours when enabled.
type Colors struct{ Enabled bool }

func (c Colors) paint(code, s string) string {
	if !c.Enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Green paints s green.
func (c Colors) Green(s string) string { return c.paint("32", s) }

// Red paints s red.
func (c Colors) Red(s string) string { return c.paint("31", s) }

// Yellow paints s yellow.
func (c Colors) Yellow(s string) string { return c.paint("33", s) }

// Gray paints s gray.
func (c Colors) Gray(s string) string { return c.paint("90", s) }

// Cyan paints s cyan.
func (c Colors) Cyan(s string) string { return c.paint("36", s) }

// Bold makes s bold.
func (c Colors) Bold(s string) string { return c.paint("1", s) }

// Symbol is the one-character mark for a run's or job's state:
// ✓ success, X failed, - skipped or neutral, * not completed.
func (c Colors) Symbol(status api.Status, conclusion api.Conclusion) string {
	if status != api.StatusCompleted {
		return c.Yellow("*")
	}
	switch conclusion {
	case api.ConclusionSuccess:
		return c.Green("✓")
	case api.ConclusionSkipped, api.ConclusionNeutral:
		return c.Gray("-")
	default:
		return c.Red("X")
	}
}

// State words a status and, once there is one, its conclusion for people:
// "in_progress", "completed (success)".
func State(status api.Status, conclusion api.Conclusion) string {
	return stateWords(status, conclusion, " (", ")")
}

// StateInParens words a state for text already in parentheses, where a
// second pair would read badly: "completed, success".
func StateInParens(status api.Status, conclusion api.Conclusion) string {
	return stateWords(status, conclusion, ", ", "")
}

func stateWords(status api.Status, conclusion api.Conclusion, open, close string) string {
	if conclusion == "" {
		return string(status)
	}
	return string(status) + open + string(conclusion) + close
}

// RFC3339 is t for a script, in UTC; empty when GitHub gave no time.
func RFC3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Ago says how long before now t was, the way gh does ("about 5 minutes ago").
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return text.RelativeTimeAgo(now, t)
}

// AgoShort says how long before now t was in a table's few columns, as gh's
// tables do: "12m", "3h", "2d", then the date ("Jan  2, 2006") from 30
// days on.
func AgoShort(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	ago := max(now.Sub(t), 0)
	switch {
	case ago < time.Hour:
		return fmt.Sprintf("%dm", int(ago.Minutes()))
	case ago < 24*time.Hour:
		return fmt.Sprintf("%dh", int(ago.Hours()))
	case ago < 30*24*time.Hour:
		return fmt.Sprintf("%dd", int(ago.Hours())/24)
	}
	return t.In(now.Location()).Format("Jan _2, 2006")
}

// Wrap breaks s into lines of at most width display columns at spaces; a
// word longer than width gets a line of its own.
func Wrap(width int, s string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		w := text.DisplayWidth(word)
		switch {
		case i == 0:
		case line+1+w > width:
			b.WriteByte('\n')
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += w
	}
	return b.String()
}

// Duration prints d in Go's compact form (1h2m3s), as gh does.
func Duration(d time.Duration) string {
	return d.Round(time.Second).String()
}

// Millis prints a count of milliseconds as a duration.
func Millis(ms int64) string {
	return Duration(time.Duration(ms) * time.Millisecond)
}

// Repositories counts repositories: "1 repository", "3 repositories",
// which Plural would spell "repositorys".
func Repositories(n int) string {
	if n == 1 {
		return "1 repository"
	}
	return fmt.Sprintf("%d repositories", n)
}

// Plural is n followed by thing, plural when n is not 1.
func Plural(n int, thing string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", thing)
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// ByteSize prints a count of bytes in binary units, one decimal: 4.8 MiB.
func ByteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Bytes prints a size for a person in decimal units, as GitHub shows
// artifact sizes and bills their storage: "512 B", "18.4 KB", "1.2 MB".
// Sizes of files written here use ByteSize's binary units instead.
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
