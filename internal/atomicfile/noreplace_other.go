//go:build !linux && !darwin

package atomicfile

// renameFileNoReplace moves by link and unlink; Windows has hard links on
// NTFS, the file system it writes to nearly always.
func renameFileNoReplace(from, target string) error {
	return linkNoReplace(from, target)
}

// renameDirNoReplace checks, then renames; on Windows rename itself
// refuses an existing target.
func renameDirNoReplace(from, target string) error {
	return checkThenRename(from, target)
}
