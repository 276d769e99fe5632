// Package download implements `ghruns download`: a run's or the
// repository's artifacts, unpacked into folders, as `gh run download` does.
package download

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/picker"
	"github.com/ghruns/gh-runs/internal/unzip"
)

// Options are download's dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Prompter asks which artifacts to download; nil when nobody can answer.
	Prompter picker.MultiPrompter
	// Command is how the user calls download, for the limits' message.
	Command string

	// RunID is the run whose artifacts to download; 0: the repository's.
	RunID    int64
	Names    []string
	Patterns []string
	Dir      string
	Clobber  bool
	// Prompt asks for the names: on a terminal, with no run, name or pattern.
	Prompt bool
}

// NewCmd builds the download command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: env.IO, Command: env.Command("download")}
	cmd := &cobra.Command{
		Use:   "download [<run-id>]",
		Short: "Download the artifacts of a workflow run",
		Long: fmt.Sprintf(`Download and unpack artifacts, as gh run download does.

With a run ID, that run's artifacts; without one, the repository's, the
newest of each name. On a terminal with no run ID, name or pattern, a list
asks which names to download; otherwise every artifact is downloaded.
-n takes an exact name and -p a glob (*, ?, [a-z]); both may be repeated,
and an artifact that matches any of them is downloaded.

Each artifact is unpacked into a folder of its name under --dir, unless a
single -n is given (and no -p), or a single name is picked from the list:
that one is unpacked into --dir itself. An artifact whose name cannot be a
folder name (it is empty, ".", ".." or an absolute path, or holds "/", "\",
one of : * ? " < > |, a control or bidi character; on Windows, also a device
name such as NUL, or a trailing dot or space), whose
name differs from an earlier one's only in case, or whose folder is a
symbolic link or a file is refused, and the others go on. Expired
artifacts are skipped with a note.

Every archive is checked before anything is written: entries that are
links or whose names leave the folder are refused (gh skips those
entries without a word), as are archives that would unpack to more than
%s or to more than %d times their size. A new folder appears whole or
not at all. A file already there is never replaced unless --clobber is
given: the download stops naming it, before it changes anything. (Recent
versions of gh run download also stop at a file already there, but once
the files before it are written, and have no --clobber.) The archive is
fetched from GitHub's storage host without the token.`, output.ByteSize(unzip.MaxSize), unzip.MaxRatio),
		Example: fmt.Sprintf(`  # Every artifact of a run, each in a folder of its name
  %[1]s 123456

  # One artifact of a run, unpacked into the current folder
  %[1]s 123456 -n test-results

  # The newest artifacts of these names in the repository, under out/
  %[1]s -n coverage -p 'dist-*' -D out`, env.Command("download")),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.FlagErrorf("%s: unexpected argument %q", cmd.CommandPath(), args[1])
			}
			return nil
		},
		ValidArgsFunction: env.CompleteRunIDs(api.Run.Completed),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.RunID, err = cmdutil.ParseRunArg(args); err != nil {
				return err
			}
			if err := opts.validate(); err != nil {
				return err
			}
			if opts.RunID == 0 && len(opts.Names) == 0 && len(opts.Patterns) == 0 && env.IO.CanPrompt() {
				if opts.Prompter, _ = env.Prompter.(picker.MultiPrompter); opts.Prompter != nil {
					opts.Prompt = true
				}
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
			return run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&opts.Names, "name", "n", nil, "Download the artifacts of this exact `name` (repeatable)")
	f.StringArrayVarP(&opts.Patterns, "pattern", "p", nil, "Download the artifacts whose name matches this `glob` (repeatable)")
	f.StringVarP(&opts.Dir, "dir", "D", ".", "Unpack into this `directory`")
	f.BoolVar(&opts.Clobber, "clobber", false, "Replace files already in the directory")
	return cmd
}

// validate checks the flags before any request.
func (o *Options) validate() error {
	for _, n := range o.Names {
		if n == "" {
			return cmdutil.FlagErrorf("--name needs a value")
		}
	}
	for _, p := range o.Patterns {
		if _, err := path.Match(p, ""); err != nil || p == "" {
			return cmdutil.FlagErrorf("invalid --pattern %q: not a glob (*, ?, [a-z], \\ to escape)", p)
		}
	}
	if o.Dir == "" {
		return cmdutil.FlagErrorf("--dir needs a directory")
	}
	if fi, err := os.Stat(o.Dir); err == nil && !fi.IsDir() {
		return cmdutil.FlagErrorf("--dir %s: not a directory", o.Dir)
	}
	return nil
}

func run(ctx context.Context, opts *Options) error {
	repo := opts.Repo.API()
	listed, err := opts.list(ctx, repo)
	if err != nil {
		return err
	}
	newest, expired := newestByName(listed)
	if len(newest) == 0 {
		return errors.New(opts.nothingValid(expired))
	}
	names, patterns := opts.Names, opts.Patterns
	if opts.Prompt {
		if names, err = pick(opts.Prompter, newest); err != nil {
			return err
		}
	}
	wanted := func(name string) bool {
		return len(names)+len(patterns) == 0 || slices.Contains(names, name) ||
			slices.ContainsFunc(patterns, func(p string) bool { ok, _ := path.Match(p, name); return ok })
	}
	var picked []api.Artifact
	for _, a := range newest {
		if wanted(a.Name) {
			picked = append(picked, a)
		}
	}
	for _, a := range expired {
		if wanted(a.Name) {
			fmt.Fprintf(opts.IO.ErrOut, "note: skipped artifact %s (ID %d): it has expired\n", output.OneLine(a.Name), a.ID)
		}
	}
	if len(picked) == 0 {
		if slices.ContainsFunc(expired, func(a api.Artifact) bool { return wanted(a.Name) }) {
			return errors.New("nothing to download: every artifact that matches has expired")
		}
		return errors.New("nothing to download: no artifact matches the names and patterns given")
	}

	// As gh: one folder per artifact, unless one name was asked for.
	own := !(len(names) == 1 && len(patterns) == 0)
	results, wait := opts.fetchAll(ctx, repo, picked, own, caseClashes(picked, own))
	// An interrupted download returns at once, but its temporary files are
	// removed first.
	defer wait()
	var failed []error
	for i := range picked {
		r := <-results[i]
		if r.err == nil {
			fmt.Fprintln(opts.IO.ErrOut, r.done)
			continue
		}
		if ctx.Err() != nil {
			return r.err
		}
		if len(picked) == 1 {
			return r.err
		}
		failed = append(failed, r.err)
		fmt.Fprintln(opts.IO.ErrOut, output.Lines(r.err.Error()))
		if h := cmdutil.Hint(r.err); h != "" {
			fmt.Fprintf(opts.IO.ErrOut, "hint: %s\n", h)
		}
	}
	if len(failed) > 0 {
		return cmdutil.Reported(failed...)
	}
	return nil
}

// caseClashes refuses, by index, each artifact whose folder name differs
// from an earlier one's only in case: on a file system that ignores case
// (macOS, Windows) the two would share a folder. They are refused on every
// system, so that a download does the same everywhere.
func caseClashes(picked []api.Artifact, own bool) map[int]error {
	refused := map[int]error{}
	if !own {
		return refused
	}
	folders := map[string]string{} // artifact names by their lower case
	for i, a := range picked {
		if first, taken := folders[strings.ToLower(a.Name)]; taken {
			refused[i] = fmt.Errorf("download artifact %q (ID %d): its name differs from artifact %s's only in case, "+
				"so it cannot be a folder name beside it on every system; skipped", a.Name, a.ID, output.OneLine(first))
			continue
		}
		folders[strings.ToLower(a.Name)] = a.Name
	}
	return refused
}

// fetched is how the download of one artifact ended: the line to print,
// or why it failed.
type fetched struct {
	done string
	err  error
}

// fetchAll downloads and unpacks the artifacts, as many at once as the
// client's concurrency allows: each waits on GitHub's redirect and then on
// the storage host, so one at a time would cost a round trip or more per
// artifact. Each result arrives on its own channel, so that the caller
// reports them in the artifacts' order whatever order they finish in; wait
// returns once every download has ended. The folders are distinct (one
// name each), so the unpacking may overlap too. On a terminal one meter
// counts the bytes of them all; the results are then held until every
// download ended, so that no line interrupts it. An artifact with an error
// in refused is not fetched: that error is its result.
func (o *Options) fetchAll(ctx context.Context, repo api.Repo, picked []api.Artifact, own bool, refused map[int]error) (results []chan fetched, wait func()) {
	results = make([]chan fetched, len(picked))
	for i := range results {
		results[i] = make(chan fetched, 1)
	}
	progress := make([]func(done, total int64), len(picked))
	var meter *output.Updater
	if o.IO.IsStderrTTY() {
		if len(picked) == 1 {
			progress[0], meter = output.NewByteMeter(o.IO.ErrOut, artifactLabel(picked[0]))
		} else {
			var all func(done, total int64)
			all, meter = output.NewByteMeter(o.IO.ErrOut, output.Plural(len(picked), "artifact"))
			var total int64
			for _, a := range picked {
				total += a.SizeInBytes
			}
			done := make([]atomic.Int64, len(picked))
			var sum atomic.Int64
			for i := range picked {
				progress[i] = func(d, _ int64) {
					all(sum.Add(d-done[i].Swap(d)), total)
				}
			}
		}
	}
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(max(o.Client.Concurrency(), 1), len(picked)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r := fetched{err: refused[i]}
				if r.err == nil {
					r.done, r.err = o.fetch(ctx, repo, picked[i], own, progress[i])
				}
				results[i] <- r
			}
		}()
	}
	go func() {
		for i := range picked {
			work <- i
		}
		close(work)
	}()
	if meter == nil {
		return results, wg.Wait
	}
	// The meter clears its line when every download has ended; only then
	// are the results handed on.
	wg.Wait()
	meter.Done()
	return results, wg.Wait
}

// list fetches the artifacts the options mean, newest first: the run's, or
// the repository's (only those of the names asked for, when there are no
// patterns: GitHub filters by name, which spares listing every artifact).
func (o *Options) list(ctx context.Context, repo api.Repo) ([]api.Artifact, error) {
	if o.RunID != 0 {
		l, err := o.Client.ListArtifacts(ctx, repo, api.ArtifactFilter{Run: o.RunID}, 0)
		if err != nil {
			return nil, cmdutil.RunError("list the artifacts of", repo, o.RunID, err)
		}
		return l.Artifacts, nil
	}
	filters := []api.ArtifactFilter{{}}
	if len(o.Names) > 0 && len(o.Patterns) == 0 {
		filters = filters[:0]
		for _, n := range o.Names {
			filters = append(filters, api.ArtifactFilter{Name: n})
		}
	}
	lists, err := o.Client.ListArtifactsEach(ctx, repo, filters, 0)
	if err != nil {
		return nil, fmt.Errorf("list the artifacts of %s: %w", repo, err)
	}
	var all []api.Artifact
	for _, l := range lists {
		all = append(all, l.Artifacts...)
	}
	return all, nil
}

// newestByName keeps, of each name, the newest artifact that has not
// expired, in listing order; expired lists the newest of each name that
// has no other.
func newestByName(listed []api.Artifact) (newest, expired []api.Artifact) {
	seen := map[string]bool{}
	for _, a := range listed {
		if !a.Expired && !seen[a.Name] {
			seen[a.Name] = true
			newest = append(newest, a)
		}
	}
	for _, a := range listed {
		if a.Expired && !seen[a.Name] {
			seen[a.Name] = true
			expired = append(expired, a)
		}
	}
	return newest, expired
}

func (o *Options) nothingValid(expired []api.Artifact) string {
	what := "repository " + o.Repo.String()
	if o.RunID != 0 {
		what = "run " + strconv.FormatInt(o.RunID, 10)
	}
	if len(expired) > 0 {
		return fmt.Sprintf("nothing to download: every artifact of %s has expired", what)
	}
	return fmt.Sprintf("nothing to download: %s has no artifacts", what)
}

// pick asks which of the artifacts' names to download.
func pick(p picker.MultiPrompter, newest []api.Artifact) ([]string, error) {
	options := make([]string, len(newest))
	for i, a := range newest {
		options[i] = output.OneLine(a.Name)
	}
	idx, err := p.MultiSelect("Select the artifacts to download", options)
	if errors.Is(err, picker.ErrInterrupted) {
		// Ctrl-C at the list: the person changed their mind, as at [y/N].
		return nil, cmdutil.ErrCancel
	} else if err != nil {
		return nil, err
	}
	if len(idx) == 0 {
		return nil, errors.New("no artifacts selected")
	}
	names := make([]string, len(idx))
	for i, x := range idx {
		names[i] = newest[x].Name
	}
	return names, nil
}

func artifactLabel(a api.Artifact) string {
	return fmt.Sprintf("artifact %s (ID %d)", output.OneLine(a.Name), a.ID)
}

// fetch downloads one artifact and unpacks it, into a folder of its name
// under the directory when own is set, and returns the line that says so.
// progress, when set, is told the bytes downloaded so far.
func (o *Options) fetch(ctx context.Context, repo api.Repo, a api.Artifact, own bool, progress func(done, total int64)) (string, error) {
	label := artifactLabel(a)
	dest := o.Dir
	if own {
		if why := unsafeFolderName(a.Name); why != "" {
			return "", fmt.Errorf("download artifact %q (ID %d): its name %s, so it cannot be a folder name; skipped", a.Name, a.ID, why)
		}
		dest = filepath.Join(o.Dir, a.Name)
		// The folder of an artifact's name is the server's choice, not the
		// user's: a link there (a cloned repository may hold one) is not
		// followed, even one pointing nowhere.
		fi, err := os.Lstat(dest)
		switch {
		case err == nil && fi.Mode()&fs.ModeSymlink != 0:
			return "", fmt.Errorf("download %s: %s is a symbolic link; refusing to extract through it", label, dest)
		case err == nil && !fi.IsDir():
			return "", fmt.Errorf("download %s: %s is a file, not a folder; refusing to extract into it", label, dest)
		}
	}
	tmp, err := os.CreateTemp("", "ghruns-artifact-*.zip")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	n, err := o.Client.DownloadArtifact(ctx, repo, a.ID, tmp, progress)
	if err != nil {
		return "", fmt.Errorf("download %s: %w", label, err)
	}
	files, err := unzip.Extract(tmp, n, dest, unzip.Options{Clobber: o.Clobber, LimitBy: o.Command})
	var limit *unzip.LimitError
	switch {
	case errors.As(err, &limit):
		return "", fmt.Errorf("download %s: %w\nhint: fetch it with `gh api repos/%s/actions/artifacts/%d/zip > %d.zip` to inspect it",
			label, err, repo, a.ID, a.ID)
	case err != nil:
		return "", fmt.Errorf("download %s: %w", label, err)
	}
	return fmt.Sprintf("extracted %s of %s into %s", output.Plural(files, "file"), label, output.OneLine(dest)), nil
}

// unsafeFolderName says why an artifact's name cannot name a folder under
// the directory, or "". GitHub refuses such names at upload, but a name
// comes from the server and is checked all the same.
func unsafeFolderName(name string) string {
	return unsafeFolderNameOn(name, runtime.GOOS == "windows")
}

// unsafeFolderNameOn is unsafeFolderName on Windows when windows is set.
func unsafeFolderNameOn(name string, windows bool) string {
	switch {
	case name == "":
		return "is empty"
	case name == "." || name == "..":
		return "is " + strconv.Quote(name)
	case strings.ContainsAny(name, `/\`):
		return "holds a path separator"
	case strings.ContainsAny(name, `:*?"<>|`):
		return `holds one of : * ? " < > |`
	case strings.ContainsFunc(name, unicode.IsControl):
		return "holds a control character"
	case output.OneLine(name) != name:
		// A bidi override would show the folder's name in another order.
		return "holds a bidi control character"
	case filepath.VolumeName(name) != "" || filepath.IsAbs(name):
		return "is an absolute path"
	case windows && windowsDevice(name):
		return "is a device name on Windows (CON, PRN, AUX, NUL, COM1, LPT1 …)"
	case windows && (strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ")):
		return "ends in a dot or a space, which Windows drops"
	}
	return ""
}

// windowsDevice reports whether Windows takes name for a device, whatever
// its case and extension: "nul", "COM1.txt" are no file names there
// (https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file).
func windowsDevice(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	for _, device := range []string{"COM", "LPT"} {
		if port, ok := strings.CutPrefix(base, device); ok {
			return len(port) == 1 && port[0] >= '0' && port[0] <= '9' || port == "¹" || port == "²" || port == "³"
		}
	}
	return false
}
