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
