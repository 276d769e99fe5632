package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/unzip"
)

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
			if opts.RunID, err = cmdutil.ParseRunArg(args); err != nil {
				return err
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
			if opts.Client, opts.RunID, err = env.ResolveRun(cmd.Context(), opts.Repo, opts.RunID, "Select a run to print the logs of", api.Run.Completed); err != nil {
				return err
			}
			return runView(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Job, "job", "j", "", "Print only the job with this `name or ID`")
	_ = cmd.RegisterFlagCompletionFunc("job", env.CompleteJobs)
	f.BoolVar(&opts.Failed, "failed", false, "Print only the jobs and steps that failed")
	f.IntVarP(&opts.Attempt, "attempt", "a", 0, "Print the logs of this `attempt` (default: the latest)")
	return cmd
}

// View prints the logs opts asks for; `view --log` shares it.
func View(ctx context.Context, opts *ViewOptions) error { return runView(ctx, opts) }

func runView(ctx context.Context, opts *ViewOptions) error {
	repo := opts.Repo.API()
	tmp, err := os.CreateTemp("", "ghruns-logs-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	// The jobs name the steps and tell which failed. With neither --job nor
	// --failed the archive is wanted whatever they say, so it is fetched
	// alongside them, a round trip earlier; with either, the jobs come
	// first and may end the command before a large archive is fetched for
	// nothing.
	type download struct {
		n   int64
		err error
	}
	var early chan download
	dlCtx, cancelDownload := context.WithCancel(ctx)
	defer cancelDownload()
	if opts.Job == "" && !opts.Failed {
		early = make(chan download, 1)
		go func() {
			n, err := opts.Client.DownloadLogs(dlCtx, repo, opts.RunID, opts.Attempt, tmp, nil)
			early <- download{n, err}
		}()
	}
	jobs, err := opts.Client.ListJobs(ctx, repo, opts.RunID, opts.Attempt)
	if err != nil {
		if early != nil {
			cancelDownload()
			<-early
		}
		err = cmdutil.RunError("list the jobs of", repo, opts.RunID, err)
		return AttemptHint(ctx, opts.Client, repo, opts.RunID, opts.Attempt, err)
	}
	var only *api.Job
	if opts.Job != "" {
		if only, err = findJob(jobs, opts.Job, opts.RunID); err != nil {
			return OtherAttemptHint(ctx, opts.Client, repo, opts.RunID, opts.Attempt, opts.Job, err)
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

	var dl download
	if early != nil {
		dl = <-early
	} else {
		dl.n, dl.err = opts.Client.DownloadLogs(ctx, repo, opts.RunID, opts.Attempt, tmp, nil)
	}
	n := dl.n
	if err := dl.err; err != nil {
		return downloadError(repo, opts.RunID, jobs, err)
	}
	zr, err := unzip.Open(tmp, n)
	if err != nil {
		return fmt.Errorf("logs of run %d: %w", opts.RunID, err)
	}

	segs, err := selectSegments(indexArchive(zr), jobs, only, opts.RunID, opts.Failed)
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

// FindJob finds the job of run runID named by ref: its ID, else its name.
func FindJob(jobs []api.Job, ref string, runID int64) (*api.Job, error) {
	return findJob(jobs, ref, runID)
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
