package logs

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// checkArchive reads the zip's central directory back, which catches a
// truncated or corrupt download.
func checkArchive(r io.ReaderAt, size int64) error {
	if _, err := zip.NewReader(r, size); err != nil {
		return fmt.Errorf("%w: %v", errNotZip, err)
	}
	return nil
}

// SafeEntryPath returns where an archive entry goes under dir, refusing
// names that would land outside it.
func SafeEntryPath(dir, name string) (string, error) {
	clean := filepath.FromSlash(name)
	if name == "" || filepath.IsAbs(clean) || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") ||
		filepath.VolumeName(clean) != "" {
		return "", fmt.Errorf("archive entry %q: absolute or unsafe path", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", fmt.Errorf("archive entry %q escapes the folder", name)
		}
	}
	return filepath.Join(dir, clean), nil
}

// extract unpacks the archive into dir after checking every entry: none
// may escape dir or be a link, and none may overwrite a file unless clobber.
func extract(r io.ReaderAt, size int64, dir string, clobber bool) (int, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", errNotZip, err)
	}
	targets := make([]string, len(zr.File))
	for i, f := range zr.File {
		p, err := SafeEntryPath(dir, f.Name)
		if err != nil {
			return 0, err
		}
		if f.Mode()&os.ModeSymlink != 0 {
			return 0, fmt.Errorf("archive entry %q is a symbolic link; refusing to extract", f.Name)
		}
		if _, err := os.Lstat(p); err == nil && !f.FileInfo().IsDir() && !clobber {
			return 0, fmt.Errorf("%s already exists; use --clobber to overwrite", p)
		}
		targets[i] = p
	}
	files := 0
	for i, f := range zr.File {
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(targets[i], 0o755); err != nil {
				return files, err
			}
			continue
		}
		if err := writeEntry(f, targets[i]); err != nil {
			return files, err
		}
		files++
	}
	return files, nil
}

func writeEntry(f *zip.File, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	src, err := f.Open()
	if err != nil {
		return fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	defer src.Close()
	_, err = saveAtomically(path, func(w io.Writer) (int64, error) { return io.Copy(w, src) }, nil)
	return err
}
