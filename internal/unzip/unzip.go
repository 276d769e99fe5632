// Package unzip unpacks a zip archive into a folder safely: every entry is
// checked before anything is written (no name may leave the folder, no
// entry may be a link, the whole must stay within size limits), a new
// folder appears whole or not at all, and files already in an existing
// folder are kept unless the caller allows replacing them.
package unzip

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ghruns/gh-runs/internal/atomicfile"
	"github.com/ghruns/gh-runs/internal/output"
)

// ErrNotZip is a download that is not a readable zip archive.
var ErrNotZip = errors.New("the downloaded archive is not a readable zip file")

// Open reads the zip's central directory, which catches a truncated or
// corrupt download.
func Open(r io.ReaderAt, size int64) (*zip.Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotZip, err)
	}
	return zr, nil
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

// Limits on what Extract unpacks. GitHub's logs are text, which deflate
// shrinks about ten times, and build outputs shrink less; a zip bomb
// unpacks to a thousand times its size and more. Below a mebibyte the
// ratio is not checked: a small archive cannot fill a disk.
const (
	// MaxSize is the most an archive may unpack to, in bytes.
	MaxSize = 10 << 30
	// MaxRatio is the most an archive may unpack to, as a multiple of its size.
	MaxRatio             = 100
	minRatioCheckedAbove = 1 << 20
)

// LimitError is an archive refused for what it would unpack to, before
// anything was written.
type LimitError struct {
	// By names what sets the limits, for the message: "--extract".
	By string
	// Bomb: refused for unpacking to more than MaxRatio times its size;
	// otherwise for unpacking to more than MaxSize.
	Bomb bool
	// Size is the archive's size, Unpacked what its entries say they
	// unpack to (counted up to a little past MaxSize).
	Size     int64
	Unpacked uint64
}

func (e *LimitError) Error() string {
	if !e.Bomb {
		return fmt.Sprintf("the archive unpacks to more than %s, the limit of %s", output.ByteSize(MaxSize), e.By)
	}
	return fmt.Sprintf("the archive's %s unpack to %s, %d times its size, more than the %d times %s allows; it looks like a zip bomb",
		output.ByteSize(e.Size), output.ByteSize(int64(e.Unpacked)), e.Unpacked/uint64(max(e.Size, 1)), MaxRatio, e.By)
}

// ExistsError is a file already where the archive has one, kept because
// the caller did not allow replacing it; nothing of the archive was moved
// into the folder.
type ExistsError struct {
	Path string
}

// Error offers --clobber: every command that unpacks archives has it.
func (e *ExistsError) Error() string {
	return e.Path + " already exists; use --clobber to overwrite"
}

// Options say how Extract treats what it finds.
type Options struct {
	// Clobber replaces files already in the folder.
	Clobber bool
	// LimitBy names what sets the size limits in a LimitError.
	LimitBy string
}

// extraction is an archive checked to be safe to unpack: its folders,
// parents first, and its files, by clean slash-separated name.
type extraction struct {
	dirs  []string
	files []*zip.File
	names []string // names[i] is where files[i] goes
}

// planExtraction checks every entry before anything is written: none may
// escape the folder or be a link, no name may come twice or be both a file
// and a folder, and the whole must stay within the size limits.
func planExtraction(zr *zip.Reader, dir string, archiveSize int64, limitBy string) (*extraction, error) {
	p := &extraction{}
	isDir := map[string]bool{} // every name seen, and whether it is a folder
	addDir := func(entry, name string) error {
		if d, seen := isDir[name]; seen {
			if !d {
				return fmt.Errorf("archive entry %q: %s is both a file and a folder; refusing to extract", entry, name)
			}
			return nil
		}
		isDir[name] = true
		p.dirs = append(p.dirs, name)
		return nil
	}
	var total uint64
	for _, f := range zr.File {
		if _, err := SafeEntryPath(dir, f.Name); err != nil {
			return nil, err
		}
		if f.Mode()&os.ModeSymlink != 0 {
			return nil, fmt.Errorf("archive entry %q is a symbolic link; refusing to extract", f.Name)
		}
		name := path.Clean(f.Name)
		folder := f.FileInfo().IsDir()
		if name == "." {
			if folder {
				continue
			}
			return nil, fmt.Errorf("archive entry %q: absolute or unsafe path", f.Name)
		}
		// Parents first, from the top.
		var parents []string
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			parents = append(parents, d)
		}
		for _, d := range slices.Backward(parents) {
			if err := addDir(f.Name, d); err != nil {
				return nil, err
			}
		}
		if folder {
			if err := addDir(f.Name, name); err != nil {
				return nil, err
			}
			continue
		}
		if d, seen := isDir[name]; seen {
			if d {
				return nil, fmt.Errorf("archive entry %q: %s is both a file and a folder; refusing to extract", f.Name, name)
			}
			return nil, fmt.Errorf("archive entry %q: %s appears twice; refusing to extract", f.Name, name)
		}
		isDir[name] = false
		p.files = append(p.files, f)
		p.names = append(p.names, name)
		// The zip reader fails an entry that unpacks to more than its
		// header says, so the headers bound what is written.
		total += min(f.UncompressedSize64, MaxSize+1)
		if total > MaxSize {
			return nil, &LimitError{By: limitBy, Size: archiveSize, Unpacked: total}
		}
	}
	if total > minRatioCheckedAbove && total > uint64(archiveSize)*MaxRatio {
		return nil, &LimitError{By: limitBy, Bomb: true, Size: archiveSize, Unpacked: total}
	}
	return p, nil
}

// Extract unpacks the archive r of size bytes into dir after checking
// every entry, and returns how many files it wrote. A new folder appears
// whole or not at all: the archive is unpacked beside it and renamed. Into
// an existing folder, nothing is moved in before every file is unpacked
// beside its place, and no symbolic link in the folder is followed; a file
// there is an *ExistsError unless o.Clobber. An archive refused for its
// size is a *LimitError.
func Extract(r io.ReaderAt, size int64, dir string, o Options) (int, error) {
	zr, err := Open(r, size)
	if err != nil {
		return 0, err
	}
	p, err := planExtraction(zr, dir, size, o.LimitBy)
	if err != nil {
		return 0, err
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return p.intoNewFolder(dir)
	} else if err != nil {
		return 0, err
	}
	return p.intoFolder(dir, o.Clobber)
}

func (p *extraction) intoNewFolder(dir string) (int, error) {
	dir = filepath.Clean(dir) // "logs/" is the folder logs, in "."
	if err := os.MkdirAll(filepath.Dir(dir), 0o777); err != nil {
		return 0, err
	}
	tmp, err := atomicfile.MkdirTemp(dir)
	if err != nil {
		return 0, fmt.Errorf("cannot extract into %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // nothing there once renamed
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return 0, err
	}
	err = p.unpack(root)
	root.Close()
	if err != nil {
		return 0, err
	}
	if err := atomicfile.RenameDir(tmp, dir); errors.Is(err, fs.ErrExist) {
		return 0, fmt.Errorf("%s appeared during the download; nothing was extracted into it", dir)
	} else if err != nil {
		return 0, fmt.Errorf("cannot extract into %s: %w", dir, err)
	}
	return len(p.files), nil
}

func (p *extraction) intoFolder(dir string, clobber bool) (int, error) {
	// The root keeps every step inside dir, whatever links it holds.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return 0, fmt.Errorf("cannot extract into %s: %w", dir, err)
	}
	defer root.Close()
	keepMode, err := p.check(root, dir, clobber)
	if err != nil {
		return 0, err
	}
	stageName, err := mkdirStage(root)
	if err != nil {
		return 0, fmt.Errorf("cannot extract into %s: %w", dir, err)
	}
	defer root.RemoveAll(stageName)
	stage, err := root.OpenRoot(stageName)
	if err != nil {
		return 0, err
	}
	defer stage.Close()
	if err := p.unpack(stage); err != nil {
		return 0, err
	}
	for _, d := range p.dirs {
		// check saw each one absent or a real folder.
		if err := root.Mkdir(filepath.FromSlash(d), 0o777); err != nil && !errors.Is(err, fs.ErrExist) {
			return 0, err
		}
	}
	for i, name := range p.names {
		from, to := filepath.Join(stageName, filepath.FromSlash(name)), filepath.FromSlash(name)
		if mode, ok := keepMode[name]; ok {
			if err := stage.Chmod(filepath.FromSlash(name), mode); err != nil {
				return i, err
			}
		}
		if err := atomicfile.RenameIn(root, from, to, clobber); errors.Is(err, fs.ErrExist) {
			return i, &ExistsError{Path: filepath.Join(dir, to)}
		} else if err != nil {
			return i, err
		}
	}
	return len(p.files), nil
}

// check looks at what is in dir where the archive's entries go: a symbolic
// link on the way, a file where a folder goes or the other way round, and
// files there (refused without clobber). It returns the modes of the files
// to be replaced, which they keep.
func (p *extraction) check(root *os.Root, dir string, clobber bool) (map[string]fs.FileMode, error) {
	for _, d := range p.dirs { // parents first: a link is seen before anything under it
		fi, err := root.Lstat(filepath.FromSlash(d))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, err
		case fi.Mode()&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("%s is a symbolic link; refusing to extract through it", filepath.Join(dir, d))
		case !fi.IsDir():
			return nil, fmt.Errorf("%s is a file where the archive has a folder; refusing to extract", filepath.Join(dir, d))
		}
	}
	keepMode := map[string]fs.FileMode{}
	for _, name := range p.names {
		fi, err := root.Lstat(filepath.FromSlash(name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, err
		case fi.IsDir():
			return nil, fmt.Errorf("%s is a folder where the archive has a file; refusing to extract", filepath.Join(dir, name))
		case !clobber:
			return nil, &ExistsError{Path: filepath.Join(dir, name)}
		case fi.Mode().IsRegular():
			keepMode[name] = fi.Mode().Perm()
		}
	}
	return keepMode, nil
}

// unpack writes the folders and files into root, which starts empty.
// Files get 0666 and folders 0777, less the umask.
func (p *extraction) unpack(root *os.Root) error {
	for _, d := range p.dirs {
		if err := root.Mkdir(filepath.FromSlash(d), 0o777); err != nil {
			return err
		}
	}
	for i, f := range p.files {
		if err := writeEntry(root, f, p.names[i]); err != nil {
			return err
		}
	}
	return nil
}

func writeEntry(root *os.Root, f *zip.File, name string) error {
	src, err := f.Open()
	if err != nil {
		return fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	defer src.Close()
	// O_EXCL: on a file system that ignores case, two names differing in
	// case only are one file; the second is refused, not written over the first.
	dst, err := root.OpenFile(filepath.FromSlash(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	return dst.Close()
}

// stageTries is how many random names mkdirStage tries: each is one in
// four billion, so only a folder that refuses every name runs out.
const stageTries = 10000

// mkdirStage makes a hidden folder in root to unpack into.
func mkdirStage(root *os.Root) (string, error) {
	for range stageTries {
		name := ".ghruns-extract-" + strconv.FormatUint(uint64(rand.Uint32()), 10)
		err := root.Mkdir(name, 0o700)
		if !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
	return "", errors.New("no free temporary name")
}
