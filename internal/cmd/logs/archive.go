package logs

// All that ghruns knows of GitHub's log archives: how to read one, where
// a job's and a step's logs are in it, which of them to print, and how to
// unpack it safely.

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/atomicfile"
	"github.com/ghruns/gh-runs/internal/output"
)

var errNotZip = errors.New("the downloaded archive is not a readable zip file")

// openArchive reads the zip's central directory, which catches a truncated
// or corrupt download.
func openArchive(r io.ReaderAt, size int64) (*zip.Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNotZip, err)
	}
	return zr, nil
}

// checkArchive is openArchive for a download saved as it is.
func checkArchive(r io.ReaderAt, size int64) error {
	_, err := openArchive(r, size)
	return err
}

// unknownStep names the step of a line from a job's whole log, which the
// archive gives when it has no per-step files; gh prints the same.
const unknownStep = "UNKNOWN STEP"

// archiveJob is one job's logs in the archive, named as the archive names
// it: the job's name with some characters dropped and cut to a length.
type archiveJob struct {
	name  string
	log   *zip.File // <n>_<name>.txt, the whole job; nil when absent
	steps []archiveStep
}

type archiveStep struct {
	number int
	name   string // from the file name, which GitHub may cut short
	file   *zip.File
}

var (
	// Compiled on first use, not at every start of ghruns.
	jobLogName  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-?\d+_(.+)\.txt$`) })
	stepLogName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+)_(.*)\.txt$`) })
)

// indexArchive lists the jobs of a log archive in the order they first
// appear in it, each with its whole log and its steps' logs by number:
//
//	0_build.txt               the job "build", whole
//	build/1_Set up job.txt    its step 1
//	build/2_Run tests.txt     its step 2
//
// Entries of any other shape (folders, build/system.txt) are left out.
func indexArchive(zr *zip.Reader) []*archiveJob {
	var jobs []*archiveJob
	byName := map[string]*archiveJob{}
	get := func(name string) *archiveJob {
		j := byName[name]
		if j == nil {
			j = &archiveJob{name: name}
			byName[name] = j
			jobs = append(jobs, j)
		}
		return j
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		dir, base, nested := strings.Cut(f.Name, "/")
		switch {
		case !nested:
			if m := jobLogName().FindStringSubmatch(f.Name); m != nil {
				if j := get(m[1]); j.log == nil {
					j.log = f
				}
			}
		case !strings.Contains(base, "/"):
			if m := stepLogName().FindStringSubmatch(base); m != nil {
				n, err := strconv.Atoi(m[1])
				if err == nil {
					j := get(dir)
					j.steps = append(j.steps, archiveStep{number: n, name: m[2], file: f})
				}
			}
		}
	}
	for _, j := range jobs {
		slices.SortStableFunc(j.steps, func(a, b archiveStep) int { return a.number - b.number })
	}
	return jobs
}

// archiveName is the name GitHub gives a job's logs in the archive, as
// GitHub CLI works it out (cli/cli#5011): without "/" and ":", cut to 90
// UTF-16 code units, trimmed.
func archiveName(job string) string {
	s := strings.NewReplacer("/", "", ":", "").Replace(job)
	if u := utf16.Encode([]rune(s)); len(u) > 90 {
		s = string(utf16.Decode(u[:90]))
	}
	return strings.TrimSpace(s)
}

// matchJobs finds the API's job for each archive job, by the name the
// archive gives it. GitHub tells apart jobs of one name by their order: the
// first job that ran is "build" (0_build.txt, folder build), the second
// "build (1)" (1_build (1).txt, folder "build (1)"), and so on; skipped
// jobs have no logs and take no number.
func matchJobs(archive []*archiveJob, jobs []api.Job) map[*archiveJob]*api.Job {
	byName := map[string]*archiveJob{}
	for _, aj := range archive {
		byName[aj.name] = aj
	}
	apiJob := map[*archiveJob]*api.Job{}
	logged := map[string]int{} // jobs with logs so far, by archive name
	for i := range jobs {
		name := archiveName(jobs[i].Name)
		if n := logged[name]; n > 0 {
			if aj := byName[fmt.Sprintf("%s (%d)", name, n)]; aj != nil && apiJob[aj] == nil {
				apiJob[aj] = &jobs[i]
			}
		} else if aj := byName[name]; aj != nil && apiJob[aj] == nil {
			apiJob[aj] = &jobs[i]
		}
		if jobs[i].Conclusion != api.ConclusionSkipped {
			logged[name]++
		}
	}
	return apiJob
}

// segment is one log file to print, with the job and step its lines are
// prefixed with.
type segment struct {
	job, step string
	file      *zip.File
}

// selectSegments picks what to print from the archive: every job, or the
// one asked for (only), or those that failed, and their steps.
func selectSegments(archive []*archiveJob, jobs []api.Job, only *api.Job, runID int64, failed bool) ([]segment, error) {
	apiJob := matchJobs(archive, jobs)

	picked := archive
	if only != nil {
		picked = nil
		for _, aj := range archive {
			if apiJob[aj] != nil && apiJob[aj].ID == only.ID {
				picked = append(picked, aj)
			}
		}
		if len(picked) == 0 {
			return nil, fmt.Errorf("job %s (ID %d) of run %d has no log in the run's log archive%s",
				output.OneLine(only.Name), only.ID, runID, noLogReason(only))
		}
	}

	var segs []segment
	for _, aj := range picked {
		j := apiJob[aj]
		if failed && (j == nil || !j.Conclusion.IsFailure()) {
			continue
		}
		segs = append(segs, jobSegments(aj, j, failed)...)
	}
	if len(segs) == 0 {
		if failed {
			return nil, fmt.Errorf("the failed jobs of run %d have no logs in the run's log archive", runID)
		}
		return nil, fmt.Errorf("the log archive of run %d holds no job logs", runID)
	}
	return segs, nil
}

// jobSegments are a job's step logs, or its whole log when the archive has
// no step logs for it. failed keeps the failed steps, or the whole job when
// none of its steps is marked failed.
func jobSegments(aj *archiveJob, j *api.Job, failed bool) []segment {
	jobName := aj.name
	stepName := map[int]string{}
	stepFailed := map[int]bool{}
	if j != nil {
		jobName = j.Name
		for _, st := range j.Steps {
			stepName[st.Number] = st.Name
			stepFailed[st.Number] = st.Conclusion.IsFailure()
		}
	}
	jobName = output.OneLine(jobName)
	var all, failedOnly []segment
	for _, st := range aj.steps {
		name, ok := stepName[st.number]
		if !ok {
			name = st.name
		}
		s := segment{job: jobName, step: output.OneLine(name), file: st.file}
		all = append(all, s)
		if stepFailed[st.number] {
			failedOnly = append(failedOnly, s)
		}
	}
	switch {
	case failed && len(failedOnly) > 0:
		return failedOnly
	case len(all) > 0 && (!failed || aj.log == nil):
		return all
	case aj.log != nil:
		return []segment{{job: jobName, step: unknownStep, file: aj.log}}
	}
	return nil
}

// noLogReason says why a job may have no log, from its state.
func noLogReason(j *api.Job) string {
	switch {
	case j.Conclusion == api.ConclusionSkipped:
		return " (it was skipped)"
	case !j.Completed():
		return " (it is " + string(j.Status) + ")"
	}
	return ""
}

// print writes the segment's lines, each prefixed with job and step, with
// terminal control removed.
func (s segment) print(w *bufio.Writer) error {
	rc, err := s.file.Open()
	if err != nil {
		return fmt.Errorf("log %q: %w", s.file.Name, err)
	}
	defer rc.Close()
	san := output.NewSanitizer(w, s.job+"\t"+s.step+"\t")
	// Copied a buffer at a time, not by lines: a line of any length is
	// printed whole.
	buf := make([]byte, 64<<10)
	for {
		n, err := rc.Read(buf)
		// A failed write (a closed pipe) stops the copy.
		if _, werr := san.Write(buf[:n]); werr != nil {
			return werr
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("log %q: %w", s.file.Name, err)
		}
	}
	return san.Close()
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

// Limits on what --extract unpacks. GitHub's logs are text, which deflate
// shrinks about ten times; a zip bomb unpacks to a thousand times its size
// and more. Below a mebibyte the ratio is not checked: a small archive
// cannot fill a disk.
const (
	maxExtractSize       = 10 << 30
	maxExtractRatio      = 100
	minRatioCheckedAbove = 1 << 20
)

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
func planExtraction(zr *zip.Reader, dir string, archiveSize int64) (*extraction, error) {
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
		total += min(f.UncompressedSize64, maxExtractSize+1)
		if total > maxExtractSize {
			return nil, fmt.Errorf("the archive unpacks to more than %s, the limit of --extract\nhint: save it with -o and unpack it with a tool of your choice", byteSize(maxExtractSize))
		}
	}
	if total > minRatioCheckedAbove && total > uint64(archiveSize)*maxExtractRatio {
		return nil, fmt.Errorf("the archive's %s unpack to %s, %d times its size, more than the %d times --extract allows; it looks like a zip bomb\nhint: save it with -o to inspect it",
			byteSize(archiveSize), byteSize(int64(total)), total/uint64(max(archiveSize, 1)), maxExtractRatio)
	}
	return p, nil
}

// extract unpacks the archive into dir after checking every entry. A new
// folder appears whole or not at all: the archive is unpacked beside it
// and renamed. Into an existing folder, nothing is moved in before every
// file is unpacked beside its place, and no symbolic link in the folder is
// followed; files there are kept unless clobber.
func extract(r io.ReaderAt, size int64, dir string, clobber bool) (int, error) {
	zr, err := openArchive(r, size)
	if err != nil {
		return 0, err
	}
	p, err := planExtraction(zr, dir, size)
	if err != nil {
		return 0, err
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return p.intoNewFolder(dir)
	} else if err != nil {
		return 0, err
	}
	return p.intoFolder(dir, clobber)
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
			return i, fmt.Errorf("%s already exists; use --clobber to overwrite", filepath.Join(dir, to))
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
			return nil, fmt.Errorf("%s already exists; use --clobber to overwrite", filepath.Join(dir, name))
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

// mkdirStage makes a hidden folder in root to unpack into.
func mkdirStage(root *os.Root) (string, error) {
	for range 10000 {
		name := ".ghruns-extract-" + strconv.FormatUint(uint64(rand.Uint32()), 10)
		err := root.Mkdir(name, 0o700)
		if !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
	return "", errors.New("no free temporary name")
}
