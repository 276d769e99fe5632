//go:build linux || darwin

package atomicfile

// Where the kernel renames without replacing (renameNoReplace, per system),
// that one step is used; on a file system that does not support it, a file
// falls back to link-then-unlink, and a folder to a check then a rename.

func renameFileNoReplace(from, target string) error {
	if ok, err := renameNoReplace(from, target); ok {
		return err
	}
	return linkNoReplace(from, target)
}

func renameDirNoReplace(from, target string) error {
	if ok, err := renameNoReplace(from, target); ok {
		return err
	}
	return checkThenRename(from, target)
}
