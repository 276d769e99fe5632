package logs

import (
	"strings"
	"testing"
)

func TestArchiveName(t *testing.T) {
	for in, want := range map[string]string{
		"build":                       "build",
		"build / linux: amd64":        "build  linux amd64",
		" spaced ":                    "spaced",
		strings.Repeat("x", 95):       strings.Repeat("x", 90),
		strings.Repeat("😅", 46):       strings.Repeat("😅", 45),
		strings.Repeat("a", 89) + "😅": strings.Repeat("a", 89) + "\ufffd",
	} {
		if got := archiveName(in); got != want {
			t.Errorf("archiveName(%q) = %q, want %q", in, got, want)
		}
	}
}
