// Package dispatch implements `ghruns dispatch`: start a workflow_dispatch
// run of a workflow, say which run it is, and optionally follow it.
package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmd/watch"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// How long to look for the run a server did not name: GitHub creates the
// run a few seconds after it accepts the dispatch.
const (
	findTries    = 8
	findInterval = 3 * time.Second
)

// Options are dispatch's dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Now is the clock: runs created from the dispatch on are its run's
	// candidates when the server does not name the run.
	Now func() time.Time
	// Sleep waits d or until ctx is done.
	Sleep func(ctx context.Context, d time.Duration) error

	// Workflow is -w: a workflow's name, file name or ID.
	Workflow string
	// Ref is --ref, the branch or tag whose workflow file runs; empty
	// runs on the repository's default branch.
	Ref string
	// Inputs are the -f or --json-inputs values, by name.
	Inputs map[string]any
	// Watch follows the run until it completes.
	Watch bool
	// Interval, above 0, fixes the watch's poll interval.
	Interval   time.Duration
	ExitStatus bool
}

// NewCmd builds the dispatch command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: env.IO}
	var fields []string
	var jsonInputs string
	var seconds int
	cmd := &cobra.Command{
		Use:   "dispatch -w <workflow> [--ref <ref>]",
		Short: "Start a workflow run and print which run it is",
		Long: `Start a run of a workflow that has a workflow_dispatch trigger, on a branch
or tag, and print the run's ID and URL, tab-separated. Without --ref it
runs on the repository's default branch, as gh does.

Inputs are given with -f NAME=VALUE (repeatable) or as a JSON object with
--json-inputs FILE ("-" reads standard input). When the workflow file can
be read at --ref, input names it does not declare, required inputs left
out, and values outside a choice input's options are refused before the
run is started.

GitHub names the run it started. A server that does not (older GitHub
Enterprise Server) has its workflow_dispatch runs of the workflow on --ref
listed for a run created since the dispatch, for up to half a minute.

--watch follows the run as "watch" does; with --exit-status the exit code
is 1 unless the run concludes with success.`,
		Example: fmt.Sprintf(`  %[1]s -w CI --watch
  %[1]s -w deploy.yml --ref main -f environment=staging
  %[1]s -w Deploy --ref v1.5.0 -f environment=production --watch --exit-status
  echo '{"environment":"staging","version":"v1.5.0"}' | %[1]s -w Deploy --ref main --json-inputs -`, env.Command("dispatch")),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(opts.Workflow) == "" {
				return cmdutil.FlagErrorf("name the workflow to run with -w")
			}
			if cmd.Flags().Changed("ref") && strings.TrimSpace(opts.Ref) == "" {
				// An unset variable must not quietly mean the default branch.
				return cmdutil.FlagErrorf("invalid --ref \"\": name a branch or tag, or leave --ref out for the default branch")
			}
			if opts.ExitStatus && !opts.Watch {
				return cmdutil.FlagErrorf("--exit-status needs --watch")
			}
			if cmd.Flags().Changed("interval") {
				if !opts.Watch {
					return cmdutil.FlagErrorf("--interval needs --watch")
				}
				if seconds < 1 || seconds > 3600 {
					return cmdutil.FlagErrorf("invalid --interval %d: must be from 1 to 3600 seconds", seconds)
				}
				opts.Interval = time.Duration(seconds) * time.Second
			}
			var err error
			if opts.Inputs, err = readInputs(fields, jsonInputs, cmd.Flags().Changed("json-inputs"), env.IO.In); err != nil {
				return err
			}
			if opts.Repo, err = env.Repo(); err != nil {
				return err
			}
			opts.Now, opts.Sleep = env.Clock, api.Sleep
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Client, err = env.Client(opts.Repo, true); err != nil {
				return err
			}
			return run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Workflow, "workflow", "w", "", "The workflow to run: its `name`, file name or ID")
	f.StringVar(&opts.Ref, "ref", "", "The `branch` or tag whose workflow file runs (default: the repository's default branch)")
	f.StringArrayVarP(&fields, "field", "f", nil, "An input as `name=value` (repeatable)")
	f.StringVar(&jsonInputs, "json-inputs", "", "Read the inputs as a JSON object from `file` (\"-\" for standard input)")
	f.BoolVar(&opts.Watch, "watch", false, "Follow the run until it completes, as watch does")
	f.IntVarP(&seconds, "interval", "i", 0, "With --watch: wait this many `seconds` between checks, 1 to 3600")
	f.BoolVar(&opts.ExitStatus, "exit-status", false, "With --watch: exit with status 1 unless the run concludes with success")
	return cmd
}

// readInputs turns -f name=value pairs, or the JSON object --json-inputs
// names, into the dispatch's inputs; nil when there are none.
func readInputs(fields []string, file string, fromJSON bool, stdin io.Reader) (map[string]any, error) {
	if fromJSON && len(fields) > 0 {
		return nil, cmdutil.FlagErrorf("give inputs with -f or with --json-inputs, not both")
	}
	if fromJSON {
		var raw []byte
		var err error
		if file == "-" {
			raw, err = io.ReadAll(stdin)
		} else {
			raw, err = os.ReadFile(file)
		}
		if err != nil {
			return nil, fmt.Errorf("reading --json-inputs: %w", err)
		}
		var in map[string]any
		if err := json.Unmarshal(raw, &in); err != nil || in == nil {
			return nil, cmdutil.FlagErrorf("invalid --json-inputs: want a JSON object of input names and values")
		}
		for k, v := range in {
			switch v.(type) {
			case string, bool, float64:
			default:
				return nil, cmdutil.FlagErrorf("invalid --json-inputs: input %q must be a string, number or boolean", k)
			}
		}
		return in, nil
	}
	if len(fields) == 0 {
		return nil, nil
	}
	in := map[string]any{}
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, cmdutil.FlagErrorf("invalid -f %q: want name=value", f)
		}
		if _, dup := in[k]; dup {
			return nil, cmdutil.FlagErrorf("input %q given twice with -f", k)
		}
		in[k] = v
	}
	return in, nil
}

func run(ctx context.Context, opts *Options) error {
	repo := opts.Repo.API()
	if opts.Ref == "" {
		ref, err := defaultBranch(ctx, opts.Client, repo)
		if err != nil {
			return err
		}
		opts.Ref = ref
	}
	wf, err := findWorkflow(ctx, opts.Client, repo, opts.Workflow)
	if err != nil {
		return err
	}
	if err := checkInputs(ctx, opts, wf); err != nil {
		return err
	}
	id := workflowParam(wf)
	start := opts.Now()
	d, err := opts.Client.Dispatch(ctx, repo, id, api.DispatchRequest{Ref: opts.Ref, Inputs: opts.Inputs, ReturnRunDetails: true})
	if err != nil {
		return fmt.Errorf("could not dispatch %s on %s: %w", wf.Name, opts.Ref, err)
	}
	runID, url := int64(0), ""
	if d != nil {
		runID, url = d.RunID, d.HTMLURL
	} else {
		fmt.Fprintf(opts.IO.ErrOut, "the server started the run without naming it; looking for the %s run on %s created since the dispatch\n",
			output.OneLine(wf.Name), output.OneLine(opts.Ref))
		r, err := findRun(ctx, opts, id, start)
		if err != nil {
			return err
		}
		runID, url = r.ID, r.HTMLURL
	}
	fmt.Fprintf(opts.IO.Out, "%d\t%s\n", runID, url)
	if !opts.Watch {
		return nil
	}
	return watch.Follow(ctx, &watch.Options{IO: opts.IO, Client: opts.Client, Repo: opts.Repo, Now: opts.Now, Sleep: opts.Sleep,
		RunID: runID, Interval: opts.Interval, ExitStatus: opts.ExitStatus})
}

// defaultBranch is the branch a dispatch without --ref runs on, as gh's
// does: the repository's default branch.
func defaultBranch(ctx context.Context, c *api.Client, repo api.Repo) (string, error) {
	ref, err := c.DefaultBranch(ctx, repo)
	switch {
	case api.IsNotFound(err):
		return "", fmt.Errorf("repository %s not found (HTTP 404), so its default branch is unknown\n"+
			"hint: check -R OWNER/REPO (GitHub also answers 404 when the token cannot see a private repository), or name the branch with --ref", repo)
	case err != nil:
		return "", fmt.Errorf("finding the default branch of %s to run on: %w", repo, err)
	}
	return ref, nil
}

// findWorkflow resolves -w as the other commands do, and finds the
// workflow's file. A file name or ID that the listing lacks is used as
// given, GitHub being the judge.
func findWorkflow(ctx context.Context, c *api.Client, repo api.Repo, value string) (api.Workflow, error) {
	l := &onceLister{c: c}
	param, err := runquery.ResolveWorkflow(ctx, l, repo, value)
	if err != nil {
		return api.Workflow{}, err
	}
	ws, err := l.ListWorkflows(ctx, repo)
	if err != nil {
		return api.Workflow{}, fmt.Errorf("listing the workflows of %s: %w", repo, err)
	}
	for _, w := range ws {
		if fmt.Sprint(w.ID) == param || path.Base(w.Path) == param {
			return w, nil
		}
	}
	return api.Workflow{Name: param}, nil
}

// onceLister lists the workflows once, for both the name's resolution and
// the file's lookup.
type onceLister struct {
	c    *api.Client
	done bool
	ws   []api.Workflow
	err  error
}

func (l *onceLister) ListWorkflows(ctx context.Context, repo api.Repo) ([]api.Workflow, error) {
	if !l.done {
		l.ws, l.err = l.c.ListWorkflows(ctx, repo)
		l.done = true
	}
	return l.ws, l.err
}

// workflowParam names the workflow in the dispatch's path.
func workflowParam(w api.Workflow) string {
	if w.ID != 0 {
		return fmt.Sprint(w.ID)
	}
	return w.Name
}

// input is a workflow_dispatch input as the workflow file declares it.
type input struct {
	Required bool     `yaml:"required"`
	Default  any      `yaml:"default"`
	Type     string   `yaml:"type"`
	Options  []string `yaml:"options"`
}

// checkInputs reads the workflow file at --ref and refuses, before the
// dispatch, what GitHub would refuse: a workflow without the
// workflow_dispatch trigger, inputs it does not declare, required inputs
// left out, and choices outside the options. A file that cannot be read is
// no reason to stop: GitHub checks the inputs again.
func checkInputs(ctx context.Context, opts *Options, wf api.Workflow) error {
	if wf.Path == "" {
		return nil
	}
	text, err := opts.Client.FileContent(ctx, opts.Repo.API(), wf.Path, opts.Ref)
	if err != nil {
		if !api.IsNotFound(err) {
			fmt.Fprintf(opts.IO.ErrOut, "warning: could not read %s at %s, so the inputs are not checked: %s\n",
				output.OneLine(wf.Path), output.OneLine(opts.Ref), output.OneLine(err.Error()))
		}
		return nil
	}
	declared, trigger, err := parseInputs(text)
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "warning: could not parse %s, so the inputs are not checked: %s\n", output.OneLine(wf.Path), output.OneLine(err.Error()))
		return nil
	}
	if !trigger {
		return fmt.Errorf("%s at %s has no workflow_dispatch trigger, so it cannot be started by hand", wf.Path, opts.Ref)
	}
	var unknown, missing []string
	for name := range opts.Inputs {
		if _, ok := declared[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	for name, in := range declared {
		if _, given := opts.Inputs[name]; in.Required && in.Default == nil && !given {
			missing = append(missing, name)
		}
	}
	slices.Sort(unknown)
	slices.Sort(missing)
	var problems []string
	if len(unknown) > 0 {
		problems = append(problems, fmt.Sprintf("unknown input %s (%s declares %s)", strings.Join(unknown, ", "), path.Base(wf.Path), names(declared)))
	}
	if len(missing) > 0 {
		problems = append(problems, "missing required input "+strings.Join(missing, ", "))
	}
	var choices []string
	for name, v := range opts.Inputs {
		in, ok := declared[name]
		if s, isString := v.(string); ok && isString && in.Type == "choice" && len(in.Options) > 0 && !slices.Contains(in.Options, s) {
			choices = append(choices, fmt.Sprintf("input %s is %q, not one of %s", name, s, strings.Join(in.Options, ", ")))
		}
	}
	slices.Sort(choices)
	problems = append(problems, choices...)
	if len(problems) > 0 {
		return &cmdutil.FlagError{Err: fmt.Errorf("%s; nothing was started", strings.Join(problems, "; "))}
	}
	return nil
}

// names lists the declared inputs, or says there are none.
func names(declared map[string]input) string {
	if len(declared) == 0 {
		return "none"
	}
	var ns []string
	for n := range declared {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return strings.Join(ns, ", ")
}

// parseInputs reads a workflow file's on.workflow_dispatch.inputs, and
// whether it has the workflow_dispatch trigger at all. "on" may be one
// event, a list of events, or a map of events to their settings.
func parseInputs(text []byte) (map[string]input, bool, error) {
	var f struct {
		On yaml.Node `yaml:"on"`
	}
	if err := yaml.Unmarshal(text, &f); err != nil {
		return nil, false, err
	}
	on := f.On
	switch on.Kind {
	case yaml.ScalarNode:
		return nil, on.Value == "workflow_dispatch", nil
	case yaml.SequenceNode:
		return nil, slices.ContainsFunc(on.Content, func(n *yaml.Node) bool { return n.Value == "workflow_dispatch" }), nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(on.Content); i += 2 {
			if on.Content[i].Value != "workflow_dispatch" {
				continue
			}
			var wd struct {
				Inputs map[string]input `yaml:"inputs"`
			}
			if err := on.Content[i+1].Decode(&wd); err != nil {
				return nil, true, err
			}
			return wd.Inputs, true, nil
		}
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("no \"on\" section")
}

// findRun looks, a few times, for the workflow_dispatch run of the
// workflow on --ref created since start, for servers that do not name the
// run they started. GitHub's times are whole seconds, so start is too.
func findRun(ctx context.Context, opts *Options, workflow string, start time.Time) (api.Run, error) {
	since := start.UTC().Truncate(time.Second)
	f := api.RunFilter{Workflow: workflow, Branch: opts.Ref, Event: "workflow_dispatch", Created: ">=" + since.Format(time.RFC3339)}
	for try := 1; ; try++ {
		list, err := opts.Client.ListRuns(ctx, opts.Repo.API(), f, 10)
		if err != nil {
			return api.Run{}, fmt.Errorf("looking for the run the dispatch started: %w", err)
		}
		if n := len(list.Runs); n > 0 {
			if n > 1 {
				fmt.Fprintf(opts.IO.ErrOut, "warning: %d runs were dispatched since; taking the newest\n", n)
			}
			return list.Runs[0], nil
		}
		if try == findTries {
			return api.Run{}, fmt.Errorf("the dispatch was accepted, but no workflow_dispatch run on %s created since %s showed up; look with: list -w %s -e workflow_dispatch", opts.Ref, since.Format(time.RFC3339), workflow)
		}
		if err := opts.Sleep(ctx, findInterval); err != nil {
			return api.Run{}, err
		}
	}
}
