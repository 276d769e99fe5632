// Package view implements `ghruns view`: one run's summary and its jobs.
package view

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cli/go-gh/v2/pkg/browser"
	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmd/logs"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
)

// Fields are view's --json fields: a run's, plus its jobs.
var Fields = append(slices.Clone(output.RunFields), "jobs")

// Options are view's dependencies and flag values.
type Options struct {
	IO         *iostreams.IOStreams
	Client     *api.Client
	Repo       cmdutil.Repository
	Now        time.Time
	Browse     func(url string) error
	RunID      int64
	Attempt    int
	Verbose    bool
	ExitStatus bool
	Web        bool
	Exporter   *output.Exporter
	// Log and LogFailed print the logs, as `logs view` and `logs view --failed` do.
	Log, LogFailed bool
	// Job limits the view, or the logs, to one job, by name or ID.
	Job string
	// Command is how the user calls view ("ghruns view"), for the hint
	// that names --log-failed.
	Command string
}

// NewCmd builds the view command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: env.IO, Command: env.Command("view")}
	cmd := &cobra.Command{
		Use:   "view [<run-id>]",
		Short: "View a summary of a workflow run",
		Long: `View a run's status, trigger and timing, then its jobs; with --verbose,
each job's steps too.`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s 123456 --verbose --attempt 2
  %[1]s 123456 --exit-status && echo passed
  %[1]s 123456 --json status,conclusion,jobs`, env.Command("view")),
		Args:              cmdutil.RunIDArg(env.IO.CanPrompt),
		ValidArgsFunction: env.CompleteRunIDs(nil),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.RunID, err = cmdutil.ParseRunArg(args); err != nil {
				return err
			}
			if opts.Attempt < 0 {
				return cmdutil.FlagErrorf("invalid --attempt %d: must be 1 or more", opts.Attempt)
			}
			if err := opts.Exporter.Validate(); err != nil {
				return cmdutil.FlagErrorf("%s", err)
			}
			if opts.Web && opts.Exporter.Enabled() {
				return cmdutil.FlagErrorf("specify only one of --web or --json")
			}
			if opts.Log && opts.LogFailed {
				return cmdutil.FlagErrorf("specify only one of --log or --log-failed")
			}
			if (opts.Log || opts.LogFailed) && (opts.Web || opts.Exporter.Enabled()) {
				return cmdutil.FlagErrorf("--log and --log-failed cannot be used with --web or --json")
			}
			if cmd.Flags().Changed("job") && strings.TrimSpace(opts.Job) == "" {
				return cmdutil.FlagErrorf("--job needs a job name or ID")
			}
			if opts.Repo, err = env.Repo(); err != nil {
				return err
			}
			opts.Browse = func(url string) error {
				return browser.New("", env.IO.Out, env.IO.ErrOut).Browse(url)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			// --web with a run ID needs no client, nor the warning that no token gives.
			if !opts.Web || opts.RunID == 0 {
				if opts.Client, opts.RunID, err = env.ResolveRun(cmd.Context(), opts.Repo, opts.RunID, "Select a run to view", nil); err != nil {
					return err
				}
			}
			opts.Now = env.Clock()
			return run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.Attempt, "attempt", "a", 0, "The `attempt` of the run to view (default: the latest)")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "Show the steps of each job")
	f.BoolVar(&opts.ExitStatus, "exit-status", false, "Exit with status 1 if the run failed")
	f.BoolVarP(&opts.Web, "web", "w", false, "Open the run in the browser")
	f.BoolVar(&opts.Log, "log", false, "Print the run's logs, as `logs view` does")
	f.BoolVar(&opts.LogFailed, "log-failed", false, "Print the logs of the failed steps, as `logs view --failed` does")
	f.StringVarP(&opts.Job, "job", "j", "", "View only the job with this `name or ID`")
	_ = cmd.RegisterFlagCompletionFunc("job", env.CompleteJobs)
	opts.Exporter = output.AddJSONFlags(cmd, Fields)
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	if opts.Web {
		url := fmt.Sprintf("https://%s/%s/%s/actions/runs/%d", opts.Repo.Host, opts.Repo.Owner, opts.Repo.Name, opts.RunID)
		if opts.Attempt > 0 {
			url += fmt.Sprintf("/attempts/%d", opts.Attempt)
		}
		if opts.IO.IsStderrTTY() {
			fmt.Fprintf(opts.IO.ErrOut, "Opening %s in your browser.\n", url)
		}
		if err := opts.Browse(url); err != nil {
			// No browser (a server, a container): the URL is what the user
			// needs, not why the launcher failed.
			fmt.Fprintln(opts.IO.ErrOut, "could not open a browser; open this URL instead:")
			fmt.Fprintln(opts.IO.Out, url)
		}
		return nil
	}

	if opts.Log || opts.LogFailed {
		return logs.View(ctx, &logs.ViewOptions{IO: opts.IO, Client: opts.Client, Repo: opts.Repo,
			RunID: opts.RunID, Attempt: opts.Attempt, Job: opts.Job, Failed: opts.LogFailed})
	}
	needJobs := !opts.Exporter.Enabled() || opts.Exporter.Has("jobs") || opts.Job != ""
	r, jobs, err := fetch(ctx, opts, needJobs)
	if err != nil {
		return err
	}
	verbose := opts.Verbose
	if opts.Job != "" {
		// One job, with its steps, as gh's `run view --job` shows it.
		j, err := logs.FindJob(jobs, opts.Job, opts.RunID)
		if err != nil {
			return logs.OtherAttemptHint(ctx, opts.Client, opts.Repo.API(), opts.RunID, opts.Attempt, opts.Job, err)
		}
		jobs, verbose = []api.Job{*j}, true
	}
	if opts.Exporter.Enabled() {
		data := output.RunData(*r)
		jobData := make([]map[string]any, len(jobs))
		for i, j := range jobs {
			jobData[i] = output.JobData(j)
		}
		data["jobs"] = jobData
		if err := opts.Exporter.Write(opts.IO, output.Pick(data, opts.Exporter.Fields())); err != nil {
			return err
		}
	} else {
		as, err := annotations(ctx, opts.Client, opts.Repo.API(), jobs)
		if err != nil {
			return err
		}
		p := page{run: r, jobs: jobs, annotations: as, now: opts.Now, verbose: verbose, logHint: logHint(opts, jobs)}
		if err := render(opts.IO, p); err != nil {
			return err
		}
	}
	if opts.ExitStatus && r.Completed() && r.Conclusion.IsFailure() {
		return cmdutil.ErrSilent
	}
	return nil
}

// logHint is the command that prints the logs of the failed steps among
// jobs, or "" when none failed.
func logHint(opts *Options, jobs []api.Job) string {
	if !slices.ContainsFunc(jobs, func(j api.Job) bool { return j.Conclusion.IsFailure() }) {
		return ""
	}
	hint := fmt.Sprintf("%s %d --log-failed", opts.Command, opts.RunID)
	if opts.Attempt > 0 {
		hint += fmt.Sprintf(" --attempt %d", opts.Attempt)
	}
	if opts.Job != "" {
		hint += fmt.Sprintf(" --job %d", jobs[0].ID)
	}
	return hint
}

// fetch gets the run and, when needed, its jobs, both at once.
func fetch(ctx context.Context, opts *Options, needJobs bool) (*api.Run, []api.Job, error) {
	var jobs []api.Job
	jobsErr := make(chan error, 1)
	if needJobs {
		go func() {
			var err error
			jobs, err = opts.Client.ListJobs(ctx, opts.Repo.API(), opts.RunID, opts.Attempt)
			jobsErr <- err
		}()
	} else {
		jobsErr <- nil
	}
	r, err := opts.Client.GetRun(ctx, opts.Repo.API(), opts.RunID, opts.Attempt)
	jerr := <-jobsErr
	if err != nil {
		// A missing attempt of a run that exists must not read as a missing run.
		action := ""
		if opts.Attempt > 0 {
			action = fmt.Sprintf("attempt %d of", opts.Attempt)
		}
		err = cmdutil.RunError(action, opts.Repo.API(), opts.RunID, err)
		return nil, nil, logs.AttemptHint(ctx, opts.Client, opts.Repo.API(), opts.RunID, opts.Attempt, err)
	}
	if jerr != nil {
		return nil, nil, fmt.Errorf("listing the jobs of run %d: %w", opts.RunID, jerr)
	}
	return r, jobs, nil
}
