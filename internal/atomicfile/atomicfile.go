// Package atomicfile publishes files and folders whole or not at all: it
// writes them under a temporary name beside their target and moves them
// into place in one step that never replaces what appeared at the target
// meanwhile, unless replacing was asked for.
//
// What it creates gets the modes a shell would give, 0666 for files and
// 0777 for folders less the umask; a replaced file keeps its mode.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// File is a file being written for a target path. It is created beside the
// target under a hidden temporary name, and appears at the target only
// when Publish succeeds.
type File struct {
	*os.File
	target string
	done   bool
}

// Create starts a file to be published at target, in target's folder.
func Create(target string) (*File, error) {
	dir, base := filepath.Split(target)
	for range 10000 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(uint64(rand.Uint32()), 10)+".part")
		// O_EXCL and 0666: the kernel applies the umask, which the process
		// cannot read without changing it for every thread.
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &File{File: f, target: target}, nil
	}
	return nil, fmt.Errorf("cannot write %s: no free temporary name beside it", target)
}

// Publish syncs and closes the file and moves it to its target. Without
// replace it fails with an error wrapping fs.ErrExist when anything is at
// the target, a dangling symbolic link included, and the target is left
// as it is. With replace, a file at the target is replaced and its mode
// kept; a symbolic link there is itself replaced, never written through.
// On any failure the temporary file is removed.
func (f *File) Publish(replace bool) (err error) {
	defer func() {
		if err != nil {
			f.Abort()
		}
	}()
	if replace {
		if fi, err := os.Lstat(f.target); err == nil && fi.Mode().IsRegular() {
			if err := f.Chmod(fi.Mode().Perm()); err != nil {
				return err
			}
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if replace {
		err = os.Rename(f.Name(), f.target)
	} else {
		err = renameFileNoReplace(f.Name(), f.target)
	}
	if err != nil {
		return err
	}
	f.done = true
	return nil
}

// Abort closes and removes the temporary file, unless it was published.
// It is safe to call more than once, and after Publish.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// MkdirTemp creates an empty folder beside target, under a hidden
// temporary name, to be moved there by RenameDir once it is filled.
func MkdirTemp(target string) (string, error) {
	target = filepath.Clean(target)
	dir, base := filepath.Split(target)
	for range 10000 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(uint64(rand.Uint32()), 10)+".part")
		err := os.Mkdir(name, 0o777)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return name, nil
	}
	return "", fmt.Errorf("cannot create %s: no free temporary name beside it", target)
}

// RenameDir moves the folder from to target, failing with an error
// wrapping fs.ErrExist when anything is at target, an empty folder
// included.
func RenameDir(from, target string) error {
	return renameDirNoReplace(from, target)
}

// errExist is what the no-replace moves return when the target is taken.
func errExist(target string) error {
	return &fs.PathError{Op: "rename", Path: target, Err: fs.ErrExist}
}

// linkNoReplace moves a file by link(2) and unlink(2), which fails if the
// target exists, on any system with hard links. Where the file system has
// none, it checks the target and renames, which leaves a moment in which
// a file created at the target would be replaced.
func linkNoReplace(from, target string) error {
	err := os.Link(from, target)
	switch {
	case err == nil:
		os.Remove(from)
		return nil
	case errors.Is(err, fs.ErrExist):
		return errExist(target)
	}
	return checkThenRename(from, target)
}

func checkThenRename(from, target string) error {
	if _, err := os.Lstat(target); err == nil {
		return errExist(target)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(from, target)
}

// RenameIn moves a file within root, as Publish moves a temporary file to
// its target: without replace it fails with an error wrapping fs.ErrExist
// if anything is at to. Root keeps both names inside its folder.
func RenameIn(root *os.Root, from, to string, replace bool) error {
	if replace {
		return root.Rename(from, to)
	}
	err := root.Link(from, to)
	switch {
	case err == nil:
		return root.Remove(from)
	case errors.Is(err, fs.ErrExist):
		return err
	}
	// No hard links on this file system: check, then rename.
	if _, err := root.Lstat(to); err == nil {
		return &fs.PathError{Op: "rename", Path: to, Err: fs.ErrExist}
	}
	return root.Rename(from, to)
}
