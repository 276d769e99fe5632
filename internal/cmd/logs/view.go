package logs

import (
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
)

// unknownStep names the step of a line from a job's whole log, which the
// archive gives when it has no per-step files; gh prints the same.
const unknownStep = "UNKNOWN STEP"

// ViewOptions are logs view's dependencies and flag values.
type ViewOptions struct {
	IO      *iostreams.IOStreams
	Client  *api.Client
	Repo    cmdutil.Repository
	RunID   int64
	Attempt int
	// Job selects one job by name or ID; "" means every job.
	Job    string
	Failed bool
}

// NewViewCmd builds the logs view command; runF replaces the work in tests.
func NewViewCmd(env *cmdutil.Env, runF func(context.Context, *ViewOptions) error) *cobra.Command {
	opts := &ViewOptions{IO: env.IO}
	cmd := &cobra.Command{
		Use:   "view [<run-id>]",
		Short: "Print the logs of a workflow run",
		Long: `Print a run's log lines, each prefixed with its job and step and a tab,
as "gh run view --log" does: JOB<tab>STEP<tab>LINE.

Jobs come in the order of the run's log archive, steps by number. Lines from
a job whose archive has no per-step logs carry the step "UNKNOWN STEP".
Terminal control sequences in the logs (colours, cursor movements, carriage
returns, other control characters but tab) are removed, so that a log cannot
rewrite the screen.

--failed keeps the jobs that failed (failure, timed_out, startup_failure,
action_required) and, within them, the steps that failed; a failed job with
no failed step is printed whole.

With no run ID on a terminal, pick one of the recent completed runs.`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s 123456 --failed
  %[1]s 123456 --job build | grep -i error
  %[1]s 123456 --job 987654321 --attempt 1`, env.Command("logs view")),
		Args:              cmdutil.RunIDArg(env.IO.CanPrompt),
		ValidArgsFunction: env.CompleteRunIDs(api.Run.Completed),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if len(args) == 1 {
				if opts.RunID, err = cmdutil.ParseRunID(args[0]); err != nil {
					return err
				}
			}
			if opts.Attempt < 0 {
				return cmdutil.FlagErrorf("invalid --attempt %d: must be 1 or more", opts.Attempt)
			}
			if cmd.Flags().Changed("job") && strings.TrimSpace(opts.Job) == "" {
				return cmdutil.FlagErrorf("--job needs a job name or ID")
			}
			if opts.Repo, err = env.Repo(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Client, err = env.Client(opts.Repo, false); err != nil {
				return err
			}
			if opts.RunID == 0 {
				if opts.RunID, err = env.PickRun(cmd.Context(), opts.Client, opts.Repo, "Select a run to print the logs of", api.Run.Completed); err != nil {
					return err
				}
			}
			return runView(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Job, "job", "j", "", "Print only the job with this `name or ID`")
	f.BoolVar(&opts.Failed, "failed", false, "Print only the jobs and steps that failed")
	f.IntVarP(&opts.Attempt, "attempt", "a", 0, "Print the logs of this `attempt` (default: the latest)")
	return cmd
}

func runView(ctx context.Context, opts *ViewOptions) error {
	repo := opts.Repo.API()
	// The jobs come first: they name the steps, tell which failed, and
	// check --job before a large archive is fetched for nothing.
	jobs, err := opts.Client.ListJobs(ctx, repo, opts.RunID, opts.Attempt)
	if err != nil {
		return cmdutil.RunError("list the jobs of", repo, opts.RunID, err)
	}
	var only *api.Job
	if opts.Job != "" {
		if only, err = findJob(jobs, opts.Job, opts.RunID); err != nil {
			return err
		}
	}
	if opts.Failed {
		if only != nil && !only.Conclusion.IsFailure() {
			fmt.Fprintf(opts.IO.ErrOut, "job %s of run %d did not fail (%s)\n", output.OneLine(only.Name), opts.RunID, output.StateInParens(only.Status, only.Conclusion))
			return nil
		}
		if only == nil && !slices.ContainsFunc(jobs, func(j api.Job) bool { return j.Conclusion.IsFailure() }) {
			fmt.Fprintf(opts.IO.ErrOut, "run %d has no failed jobs\n", opts.RunID)
			return nil
		}
	}

	tmp, err := os.CreateTemp("", "ghruns-logs-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := opts.Client.DownloadLogs(ctx, repo, opts.RunID, opts.Attempt, tmp, nil)
	if err != nil {
		return downloadError(repo, opts.RunID, jobs, err)
	}
	zr, err := zip.NewReader(tmp, n)
	if err != nil {
		return fmt.Errorf("logs of run %d: %w: %v", opts.RunID, errNotZip, err)
	}

	segs, err := selectSegments(indexArchive(zr), jobs, only, opts)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	for _, s := range segs {
		if err := s.print(out); err != nil {
			return err
		}
	}
	return out.Flush()
}

// findJob finds the job named by ref: its ID, else its name.
func findJob(jobs []api.Job, ref string, runID int64) (*api.Job, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		for i := range jobs {
			if jobs[i].ID == id {
				return &jobs[i], nil
			}
		}
	}
	var found []*api.Job
	for i := range jobs {
		if jobs[i].Name == ref {
			found = append(found, &jobs[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if len(jobs) == 0 {
			return nil, fmt.Errorf("no job %q in run %d: the run has no jobs", ref, runID)
		}
		return nil, fmt.Errorf("no job %q in run %d; its jobs: %s", ref, runID, jobList(jobs))
	}
	return nil, fmt.Errorf("job name %q is ambiguous in run %d: %s\nhint: pass the job's ID to --job", ref, runID, jobList(derefJobs(found)))
}

func derefJobs(js []*api.Job) []api.Job {
	out := make([]api.Job, len(js))
	for i, j := range js {
		out[i] = *j
	}
	return out
}

func jobList(jobs []api.Job) string {
	names := make([]string, len(jobs))
	for i, j := range jobs {
		names[i] = fmt.Sprintf("%s (ID %d)", output.OneLine(j.Name), j.ID)
	}
	return strings.Join(names, ", ")
}

// downloadError words a failed download, with a hint when the run is
// still going: GitHub serves a run's logs once it completes.
func downloadError(repo api.Repo, id int64, jobs []api.Job, err error) error {
	err = cmdutil.RunError("download logs of", repo, id, err)
	var he *api.HTTPError
	running := slices.ContainsFunc(jobs, func(j api.Job) bool { return !j.Completed() })
	if errors.As(err, &he) && (he.StatusCode == http.StatusNotFound || he.StatusCode >= 500) && running {
		return fmt.Errorf("%w\nhint: run %d is not completed yet; GitHub serves its logs once it is", err, id)
	}
	return err
}

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
	jobLogName  = regexp.MustCompile(`^-?\d+_(.+)\.txt$`)
	stepLogName = regexp.MustCompile(`^(\d+)_(.*)\.txt$`)
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
			if m := jobLogName.FindStringSubmatch(f.Name); m != nil {
				if j := get(m[1]); j.log == nil {
					j.log = f
				}
			}
		case !strings.Contains(base, "/"):
			if m := stepLogName.FindStringSubmatch(base); m != nil {
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

// segment is one log file to print, with the job and step its lines are
// prefixed with.
type segment struct {
	job, step string
	file      *zip.File
}

// selectSegments picks what to print from the archive: every job, or the
// one asked for, or those that failed, and their steps.
func selectSegments(archive []*archiveJob, jobs []api.Job, only *api.Job, opts *ViewOptions) ([]segment, error) {
	// The API's job for each archive job, by the name the archive gives it.
	apiJob := map[*archiveJob]*api.Job{}
	byName := map[string]*archiveJob{}
	for _, aj := range archive {
		byName[aj.name] = aj
	}
	for i := range jobs {
		if aj := byName[archiveName(jobs[i].Name)]; aj != nil && apiJob[aj] == nil {
			apiJob[aj] = &jobs[i]
		}
	}

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
				output.OneLine(only.Name), only.ID, opts.RunID, noLogReason(only))
		}
	}

	var segs []segment
	for _, aj := range picked {
		j := apiJob[aj]
		if opts.Failed && (j == nil || !j.Conclusion.IsFailure()) {
			continue
		}
		segs = append(segs, jobSegments(aj, j, opts.Failed)...)
	}
	if len(segs) == 0 {
		if opts.Failed {
			return nil, fmt.Errorf("the failed jobs of run %d have no logs in the run's log archive", opts.RunID)
		}
		return nil, fmt.Errorf("the log archive of run %d holds no job logs", opts.RunID)
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

// print writes the segment's lines, each prefixed with job and step.
func (s segment) print(w *bufio.Writer) error {
	rc, err := s.file.Open()
	if err != nil {
		return fmt.Errorf("log %q: %w", s.file.Name, err)
	}
	defer rc.Close()
	lw := &logWriter{w: w, prefix: s.job + "\t" + s.step + "\t", lineStart: true, entryStart: true}
	// A bufio.Reader, not a Scanner: a line of any length is printed whole,
	// a buffer at a time.
	br := bufio.NewReaderSize(rc, 64<<10)
	for {
		chunk, err := br.ReadSlice('\n')
		lw.write(chunk)
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return fmt.Errorf("log %q: %w", s.file.Name, err)
		}
	}
	lw.finish()
	// A failed write (a closed pipe) stays in the writer; stop there.
	if _, err := w.Write(nil); err != nil {
		return err
	}
	return nil
}

// escape states of logWriter.
const (
	stText      = iota
	stEsc       // after ESC
	stEscInter  // ESC and intermediate bytes (0x20–0x2F), until a final byte
	stCSI       // ESC [ or C1 CSI, until a final byte (0x40–0x7E)
	stString    // OSC, DCS, SOS, PM or APC, until BEL or ST
	stStringEsc // ESC within a string: ST if "\" follows
)

// logWriter writes log text line by line behind a prefix, dropping
// terminal control: escape sequences (CSI, OSC and the other strings, and
// two-byte escapes), C0 and C1 control characters but tab and newline, and
// a leading byte-order mark. Bytes that are not UTF-8 become U+FFFD. It
// keeps its state across writes, so sequences and characters may span
// buffers.
type logWriter struct {
	w          *bufio.Writer
	prefix     string
	state      int
	lineStart  bool // nothing of the current line written yet
	entryStart bool // nothing of the file read yet
	carry      []byte
}

func (lw *logWriter) write(p []byte) {
	if len(lw.carry) > 0 {
		// Complete the character cut at the end of the last buffer.
		had := len(lw.carry)
		buf := append(lw.carry, p[:min(utf8.UTFMax-had, len(p))]...)
		lw.carry = nil
		if !utf8.FullRune(buf) {
			lw.carry = buf // p was shorter still
			return
		}
		r, size := utf8.DecodeRune(buf)
		lw.rune(r)
		if size < had {
			// Not a character after all: its first byte became U+FFFD,
			// and the bytes after it are read again.
			lw.write(append(buf[size:had:had], p...))
			return
		}
		p = p[size-had:]
	}
	for len(p) > 0 {
		if lw.state == stText {
			// Printable ASCII goes out in one piece.
			i := 0
			for i < len(p) && p[i] >= 0x20 && p[i] < 0x7f {
				i++
			}
			if i > 0 {
				lw.text(p[:i])
				p = p[i:]
				continue
			}
		}
		if p[0] < utf8.RuneSelf {
			lw.rune(rune(p[0]))
			p = p[1:]
			continue
		}
		if !utf8.FullRune(p) {
			lw.carry = append([]byte(nil), p...)
			return
		}
		r, size := utf8.DecodeRune(p)
		lw.rune(r)
		p = p[size:]
	}
}

// finish ends the file: a cut character becomes U+FFFD, a last line
// without a newline gets one, and the state is reset.
func (lw *logWriter) finish() {
	if len(lw.carry) > 0 {
		lw.carry = nil
		lw.rune(utf8.RuneError)
	}
	if !lw.lineStart {
		lw.w.WriteByte('\n')
	}
	lw.state, lw.lineStart, lw.entryStart = stText, true, true
}

func (lw *logWriter) text(b []byte) {
	lw.entryStart = false
	if lw.lineStart {
		lw.w.WriteString(lw.prefix)
		lw.lineStart = false
	}
	lw.w.Write(b)
}

func (lw *logWriter) rune(r rune) {
	first := lw.entryStart
	lw.entryStart = false
	switch lw.state {
	case stText:
		switch {
		case r == 0x1b:
			lw.state = stEsc
		case r == 0x9b:
			lw.state = stCSI
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f:
			lw.state = stString
		case r == '\n':
			if lw.lineStart {
				lw.w.WriteString(lw.prefix)
			}
			lw.w.WriteByte('\n')
			lw.lineStart = true
		case r == '\t':
			lw.text([]byte{'\t'})
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// Other control characters, \r among them, are dropped.
		case r == 0xfeff && first:
			// The byte-order mark GitHub starts log files with.
		default:
			var b [utf8.UTFMax]byte
			lw.text(b[:utf8.EncodeRune(b[:], r)])
		}
	case stEsc:
		switch {
		case r == '[':
			lw.state = stCSI
		case r == ']' || r == 'P' || r == 'X' || r == '^' || r == '_':
			lw.state = stString
		case r >= 0x20 && r <= 0x2f:
			lw.state = stEscInter
		case r >= 0x30 && r <= 0x7e:
			lw.state = stText
		default:
			lw.state = stText
			lw.rune(r)
		}
	case stEscInter, stCSI:
		switch {
		case r >= 0x20 && r <= 0x2f, lw.state == stCSI && r >= 0x30 && r <= 0x3f:
		case r >= 0x30 && r <= 0x7e:
			lw.state = stText
		default:
			// Not part of a sequence (a newline, another ESC): the
			// sequence was cut; the character counts as text.
			lw.state = stText
			lw.rune(r)
		}
	case stString:
		switch r {
		case 0x07, 0x9c:
			lw.state = stText
		case 0x1b:
			lw.state = stStringEsc
		case '\n':
			// An unterminated string ends with its line, so that it
			// cannot swallow the rest of the log.
			lw.state = stText
			lw.rune(r)
		}
	case stStringEsc:
		if r == '\\' {
			lw.state = stText
			return
		}
		lw.state = stEsc
		lw.rune(r)
	}
}
