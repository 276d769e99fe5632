package atomicfile

import (
	"errors"

	"golang.org/x/sys/unix"
)

// renameNoReplace is renamex_np(RENAME_EXCL): one step, refused by the
// kernel if the target exists. ok is false on a file system that does not
// support it.
func renameNoReplace(from, target string) (ok bool, err error) {
	err = unix.RenamexNp(from, target, unix.RENAME_EXCL)
	switch {
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOTSUP):
		return false, nil
	case errors.Is(err, unix.EEXIST):
		return true, errExist(target)
	}
	return true, err
}
