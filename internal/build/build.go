// Package build tells which build of ghruns is running: release builds set
// the values with -ldflags; `go install` builds read them from the module.
package build

import (
	"runtime/debug"
	"strings"
)

// Set at release time with -ldflags "-X github.com/ghruns/gh-runs/internal/build.Version=…".
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

func init() {
	// goreleaser writes these placeholders when git cannot tell.
	if Commit == "none" {
		Commit = ""
	}
	if strings.HasPrefix(Date, "0001-") {
		Date = ""
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	if Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		Version = strings.TrimPrefix(info.Main.Version, "v")
	}
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && Commit == "":
			Commit = s.Value
		case s.Key == "vcs.time" && Date == "":
			Date = s.Value
		}
	}
	if Version == "" {
		Version = "dev"
	}
}
