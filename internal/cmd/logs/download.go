package logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/atomicfile"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/unzip"
)

// DownloadOptions are logs download's dependencies and flag values.
type DownloadOptions struct {
	IO      *iostreams.IOStreams
	Client  *api.Client
	Repo    cmdutil.Repository
	RunID   int64
	Attempt int
	Output  string
	Extract string
	Clobber bool
}

// NewDownloadCmd builds the logs download command; runF replaces the work in tests.
func NewDownloadCmd(env *cmdutil.Env, runF func(context.Context, *DownloadOptions) error) *cobra.Command {
	opts := &DownloadOptions{IO: env.IO}
	cmd := &cobra.Command{
		Use:   "download [<run-id>]",
		Short: "Download the log archive of a workflow run",
		Long: fmt.Sprintf(`Save a run's log archive, a zip file with one log per job and step.

The archive is written to a temporary file beside the target and renamed
into place once complete and readable, so the target appears whole or not
at all. An existing file, or one created during the download, is kept
unless --clobber is given; a replaced file keeps its mode.

--extract checks every entry before writing anything: it refuses links,
names that leave the folder or come twice, and archives that would unpack
to more than %s or to more than %d times their size. A new folder
appears whole or not at all; in an existing one, no symbolic link is
followed. -o - writes the archive to standard output unless it is a
terminal.`, output.ByteSize(unzip.MaxSize), unzip.MaxRatio),
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s 123456 -o ci.zip --clobber
  %[1]s 123456 --attempt 2 -x logs/
  %[1]s 123456 -o - > logs.zip`, env.Command("logs download")),
		Args:              cmdutil.RunIDArg(env.IO.CanPrompt),
		ValidArgsFunction: env.CompleteRunIDs(api.Run.Completed),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.RunID, err = cmdutil.ParseRunArg(args); err != nil {
				return err
			}
			if err := opts.validate(cmd); err != nil {
				return err
			}
			if opts.Repo, err = env.Repo(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			picked := opts.RunID == 0
			if opts.Client, opts.RunID, err = env.ResolveRun(cmd.Context(), opts.Repo, opts.RunID, "Select a run to download the logs of", api.Run.Completed); err != nil {
				return err
			}
			if picked {
				// The default file name and the check of the target need the ID.
				if err := opts.validate(cmd); err != nil {
					return err
				}
			}
			return runDownload(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "Write the archive to `file` (default run-<id>-logs.zip; - for standard output)")
	f.StringVarP(&opts.Extract, "extract", "x", "", "Unpack the archive into `directory` instead of saving it")
	f.IntVarP(&opts.Attempt, "attempt", "a", 0, "Download the logs of this `attempt` (default: the latest)")
	f.BoolVar(&opts.Clobber, "clobber", false, "Overwrite existing files")
	return cmd
}

// validate checks flags and the target before any request.
func (o *DownloadOptions) validate(cmd *cobra.Command) error {
	if o.Attempt < 0 {
		return cmdutil.FlagErrorf("invalid --attempt %d: must be 1 or more", o.Attempt)
	}
	if cmd.Flags().Changed("output") && o.Extract != "" {
		return cmdutil.FlagErrorf("specify only one of --output or --extract")
	}
	if cmd.Flags().Changed("extract") && o.Extract == "" {
		return cmdutil.FlagErrorf("--extract needs a directory")
	}
	if o.Extract != "" {
		if fi, err := os.Stat(o.Extract); err == nil && !fi.IsDir() {
			return cmdutil.FlagErrorf("--extract %s: not a directory", o.Extract)
		}
		return nil
	}
	if o.Output == "-" && o.IO.IsStdoutTTY() {
		return errors.New("refusing to write a zip archive to the terminal\nhint: redirect standard output (-o - > logs.zip), pipe it, or name a file with -o")
	}
	if o.RunID == 0 {
		return nil // checked again once a run is chosen
	}
	if o.Output == "" {
		o.Output = fmt.Sprintf("run-%d-logs.zip", o.RunID)
	}
	if o.Output == "-" {
		return nil
	}
	if fi, err := os.Stat(o.Output); err == nil && fi.IsDir() {
		return cmdutil.FlagErrorf("%s is a directory; name a file with -o", o.Output)
	}
	// Lstat: a symbolic link is there even when it points nowhere.
	if _, err := os.Lstat(o.Output); err == nil && !o.Clobber {
		return &cmdutil.FlagError{Err: existsError(o.Output), NoUsage: true}
	}
	if dir := filepath.Dir(o.Output); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return cmdutil.FlagErrorf("cannot write %s: folder %s does not exist", o.Output, dir)
		}
	}
	return nil
}

func runDownload(ctx context.Context, opts *DownloadOptions) error {
	repo := opts.Repo.API()
	progress, meter := downloadMeter(opts.IO, opts.RunID)
	fetch := func(w io.Writer) (int64, error) {
		n, err := opts.Client.DownloadLogs(ctx, repo, opts.RunID, opts.Attempt, w, progress)
		meter.Done()
		if err != nil {
			err = cmdutil.RunError("download logs of", repo, opts.RunID, err)
			if h := AttemptHint(ctx, opts.Client, repo, opts.RunID, opts.Attempt, err); h != err {
				return n, h
			}
			return n, unfinishedHint(ctx, opts.Client, repo, opts.RunID, opts.Attempt, err)
		}
		return n, nil
	}

	switch {
	case opts.Output == "-":
		_, err := fetch(opts.IO.Out)
		return err
	case opts.Extract != "":
		return downloadAndExtract(opts, fetch)
	}
	n, err := saveAtomically(opts.Output, opts.Clobber, fetch, checkArchive)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "saved the logs of run %d to %s (%s)\n", opts.RunID, opts.Output, output.ByteSize(n))
	return nil
}

// saveAtomically writes through fetch to a temporary file beside path,
// runs verify on it, and moves it to path: replacing a file there only
// with clobber, and refusing one that appeared during the download. On any
// failure the temporary file is removed and path is untouched.
func saveAtomically(path string, clobber bool, fetch func(io.Writer) (int64, error), verify func(io.ReaderAt, int64) error) (int64, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return 0, fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer f.Abort()
	n, err := fetch(f)
	if err != nil {
		return n, err
	}
	if err := verify(f, n); err != nil {
		return n, err
	}
	if err := f.Publish(clobber); errors.Is(err, fs.ErrExist) {
		return n, existsError(path)
	} else if err != nil {
		return n, fmt.Errorf("writing %s: %w", path, err)
	}
	return n, nil
}

// existsError refuses to overwrite path.
func existsError(path string) error {
	return fmt.Errorf("%s already exists; use --clobber to overwrite it", path)
}

func downloadAndExtract(opts *DownloadOptions, fetch func(io.Writer) (int64, error)) error {
	tmp, err := os.CreateTemp("", "ghruns-logs-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := fetch(tmp)
	if err != nil {
		return err
	}
	if err := checkArchive(tmp, n); err != nil {
		return err
	}
	files, err := unzip.Extract(tmp, n, opts.Extract, unzip.Options{Clobber: opts.Clobber, LimitBy: "--extract"})
	var limit *unzip.LimitError
	switch {
	case errors.As(err, &limit) && limit.Bomb:
		return fmt.Errorf("%w\nhint: save it with -o to inspect it", err)
	case errors.As(err, &limit):
		return fmt.Errorf("%w\nhint: save it with -o and unpack it with a tool of your choice", err)
	case err != nil:
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "extracted %s of the logs of run %d into %s\n", output.Plural(files, "file"), opts.RunID, opts.Extract)
	return nil
}

// downloadMeter shows on stderr, when it is a terminal, how much of the
// archive has come and how fast: progress is what the client reports to.
func downloadMeter(ios *iostreams.IOStreams, runID int64) (progress func(done, total int64), meter *output.Updater) {
	if !ios.IsStderrTTY() {
		return nil, nil
	}
	return output.NewByteMeter(ios.ErrOut, fmt.Sprintf("logs of run %d", runID))
}
