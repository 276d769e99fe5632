package unzip_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/unzip"
)

// FuzzSafeEntryPath: SafeEntryPath never panics, and every archive entry
// name it accepts lands inside the folder, on the current OS, whether the
// folder is given as an absolute or a relative path.
func FuzzSafeEntryPath(f *testing.F) {
	for _, s := range []string{
		"build/1_Set up job.txt", "1_build.txt", "build/", "a/b/c.txt", ".", "./", "./a", "a/./b", "...", "..a", "a..",
		"..", "../", "../evil", "a/../b", "a/../../evil", "a/..", "/etc/passwd", "//server/share/x", `\evil`, `a\..\..\evil`,
		`C:\evil`, "C:evil", "C:/evil", `\\?\C:\evil`, "a/b/../../..", "a//b", "a/\x00/b", "\u2025/evil", "~/x", "",
		"a/b/", "CON", "a:b", "..\x00", ". ./x", " ../x",
	} {
		f.Add(s)
	}
	abs := filepath.Join(f.TempDir(), "logs")
	f.Fuzz(func(t *testing.T, name string) {
		for _, dir := range []string{abs, "logs", filepath.Join("out", "run-1")} {
			p, err := unzip.SafeEntryPath(dir, name)
			if err != nil {
				if !strings.Contains(err.Error(), "archive entry") {
					t.Errorf("SafeEntryPath(%q, %q) error does not name the entry: %v", dir, name, err)
				}
				continue
			}
			rel, err := filepath.Rel(dir, p)
			switch {
			case err != nil:
				t.Fatalf("SafeEntryPath(%q, %q) = %q, not relative to the folder: %v", dir, name, p, err)
			case filepath.IsAbs(rel) || filepath.VolumeName(rel) != "":
				t.Fatalf("SafeEntryPath(%q, %q) = %q: absolute relative path %q", dir, name, p, rel)
			case rel == ".." || strings.HasPrefix(rel, ".."+string(os.PathSeparator)):
				t.Fatalf("SafeEntryPath(%q, %q) = %q escapes the folder (%q)", dir, name, p, rel)
			}
			if filepath.IsAbs(dir) != filepath.IsAbs(p) {
				t.Fatalf("SafeEntryPath(%q, %q) = %q changed absoluteness", dir, name, p)
			}
			// The result is the folder joined with the name, nothing else.
			if want := filepath.Join(dir, filepath.FromSlash(name)); p != want {
				t.Fatalf("SafeEntryPath(%q, %q) = %q, want %q", dir, name, p, want)
			}
		}
	})
}
