package atomicfile

import (
	"errors"

	"golang.org/x/sys/unix"
)

// renameNoReplace is renameat2(RENAME_NOREPLACE): one step, refused by the
// kernel if the target exists. ok is false on a file system that does not
// support it.
func renameNoReplace(from, target string) (ok bool, err error) {
	err = unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, target, unix.RENAME_NOREPLACE)
	switch {
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.ENOTSUP):
		return false, nil
	case errors.Is(err, unix.EEXIST):
		return true, errExist(target)
	}
	return true, err
}
