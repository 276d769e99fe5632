package version

import (
	"testing"

	"github.com/ghruns/gh-runs/internal/build"
)

func TestLine(t *testing.T) {
	v, c, d := build.Version, build.Commit, build.Date
	defer func() { build.Version, build.Commit, build.Date = v, c, d }()

	build.Version, build.Commit, build.Date = "1.2.3", "0123456789abcdef", "2026-11-25T08:00:00Z"
	if got := Line("gh runs"); got != "gh runs version 1.2.3 (0123456, 2026-11-25)" {
		t.Errorf("Line = %q", got)
	}
	build.Commit, build.Date = "", ""
	if got := Line("ghruns"); got != "ghruns version 1.2.3" {
		t.Errorf("Line without commit and date = %q", got)
	}
	if got := Template("ghruns"); got != "ghruns version 1.2.3\n" {
		t.Errorf("Template = %q", got)
	}
}
