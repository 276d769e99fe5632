//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestModesFollowUmask: files get 0666 and folders 0777, less the umask,
// as a shell's redirection and mkdir would give them.
func TestModesFollowUmask(t *testing.T) {
	for _, tc := range []struct{ umask, file, dir os.FileMode }{
		{0o022, 0o644, 0o755},
		{0o002, 0o664, 0o775},
		{0o077, 0o600, 0o700},
	} {
		old := syscall.Umask(int(tc.umask))
		dir := t.TempDir()
		target := filepath.Join(dir, "out.zip")
		err := write(t, target, "x", false)
		var tmp string
		if err == nil {
			tmp, err = MkdirTemp(filepath.Join(dir, "folder"))
		}
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(target); fi.Mode().Perm() != tc.file {
			t.Errorf("umask %04o: file mode %04o, want %04o", tc.umask, fi.Mode().Perm(), tc.file)
		}
		if fi, _ := os.Stat(tmp); fi.Mode().Perm() != tc.dir {
			t.Errorf("umask %04o: folder mode %04o, want %04o", tc.umask, fi.Mode().Perm(), tc.dir)
		}
	}
}
