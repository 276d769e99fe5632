package logs

// All that ghruns knows of GitHub's log archives: how to read one, where
// a job's and a step's logs are in it, and which of them to print. Package
// unzip unpacks one safely.

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/unzip"
)

// checkArchive checks that a download saved as it is reads as a zip.
func checkArchive(r io.ReaderAt, size int64) error {
	_, err := unzip.Open(r, size)
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
