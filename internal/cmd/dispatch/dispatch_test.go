package dispatch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestNewCmd checks argv → Options, and that bad flags are refused before
// any request.
func TestNewCmd(t *testing.T) {
	dir := t.TempDir()
	inputs := filepath.Join(dir, "inputs.json")
	if err := os.WriteFile(inputs, []byte(`{"environment":"staging","dry":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("fields", func(t *testing.T) {
		cmdtest.Isolate(t)
		ios, _, _, _ := cmdtest.Streams(false)
		got, err := cmdtest.Parse(ios, NewCmd, "-w", "Deploy", "--ref", "main", "-f", "environment=staging", "-f", "note=a=b", "--watch", "--exit-status", "-i", "5")
		if err != nil {
			t.Fatal(err)
		}
		if got.Workflow != "Deploy" || got.Ref != "main" || got.Inputs["environment"] != "staging" || got.Inputs["note"] != "a=b" ||
			len(got.Inputs) != 2 || !got.Watch || !got.ExitStatus || got.Interval != 5*time.Second {
			t.Errorf("options %+v", got)
		}
	})
	t.Run("json inputs", func(t *testing.T) {
		cmdtest.Isolate(t)
		ios, _, _, _ := cmdtest.Streams(false)
		got, err := cmdtest.Parse(ios, NewCmd, "-w", "Deploy", "--ref", "main", "--json-inputs", inputs)
		if err != nil {
			t.Fatal(err)
		}
		if got.Inputs["environment"] != "staging" || got.Inputs["dry"] != true {
			t.Errorf("inputs %v", got.Inputs)
		}
	})
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no workflow", []string{"--ref", "main"}, "name the workflow to run with -w"},
		{"empty ref", []string{"-w", "CI", "--ref", ""}, `invalid --ref "": name a branch or tag, or leave --ref out for the default branch`},
		{"field without =", []string{"-w", "CI", "--ref", "main", "-f", "debug"}, `invalid -f "debug": want name=value`},
		{"field without name", []string{"-w", "CI", "--ref", "main", "-f", "=1"}, `invalid -f "=1"`},
		{"field twice", []string{"-w", "CI", "--ref", "main", "-f", "a=1", "-f", "a=2"}, `input "a" given twice`},
		{"both kinds of inputs", []string{"-w", "CI", "--ref", "main", "-f", "a=1", "--json-inputs", inputs}, "not both"},
		{"json not an object", []string{"-w", "CI", "--ref", "main", "--json-inputs", "-"}, "invalid --json-inputs"},
		{"exit status alone", []string{"-w", "CI", "--ref", "main", "--exit-status"}, "--exit-status needs --watch"},
		{"interval alone", []string{"-w", "CI", "--ref", "main", "-i", "3"}, "--interval needs --watch"},
		{"an argument", []string{"-w", "CI", "--ref", "main", "extra"}, "extra"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			ios, in, _, _ := cmdtest.Streams(false)
			in.WriteString(`["not", "an object"]`)
			got, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			cmdtest.WantFlagError(t, err, tt.wantErr, got != nil)
			if n := len(s.Requests()); n > 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// serve starts the seeded fake with workflow files that take inputs.
func serve(t *testing.T) *fakegh.Server {
	t.Helper()
	s := cmdtest.Serve(t)
	fakegh.SeedDispatch(s)
	return s
}

// dispatch runs the command against the fake, not on a terminal, with
// waits of a millisecond.
func dispatch(args ...string) (stdout, stderr string, err error) {
	return cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command {
		return NewCmd(env, func(ctx context.Context, o *Options) error {
			o.Sleep = func(ctx context.Context, _ time.Duration) error {
				time.Sleep(time.Millisecond)
				return ctx.Err()
			}
			var err error
			if o.Client, err = env.Client(o.Repo, true); err != nil {
				return err
			}
			return run(ctx, o)
		})
	}, args...)
}

// started is the run whose ID the command printed first on stdout, as the
// fake has it now, and the URL printed with it.
func started(t *testing.T, s *fakegh.Server, stdout string) (fakegh.Run, string) {
	t.Helper()
	idText, url, _ := strings.Cut(strings.TrimSuffix(stdout, "\n"), "\t")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		t.Fatalf("stdout %q does not start with a run ID", stdout)
	}
	r, ok := s.Run(id)
	if !ok {
		t.Fatalf("run %d, printed in %q, does not exist", id, stdout)
	}
	return r, url
}

// dispatchBody is the body of the one dispatch the fake received.
func dispatchBody(t *testing.T, s *fakegh.Server) string {
	t.Helper()
	var bodies []string
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/dispatches") {
			bodies = append(bodies, string(r.Body))
		}
	}
	if len(bodies) != 1 {
		t.Fatalf("%d dispatches, want 1", len(bodies))
	}
	return bodies[0]
}

// TestDispatchPrintsRun: the run GitHub names is printed with its URL; it
// is a queued workflow_dispatch run of Deploy on the ref, sent the inputs.
func TestDispatchPrintsRun(t *testing.T) {
	s := serve(t)
	out, errOut, err := dispatch("-w", "Deploy", "--ref", "release", "-f", "environment=staging", "-f", "version=v1.5.0")
	if err != nil || errOut != "" {
		t.Fatalf("error %v; stderr %q", err, errOut)
	}
	r, url := started(t, s, out)
	if r.WorkflowID != 2 || r.HeadBranch != "release" || r.Event != "workflow_dispatch" || r.Status != "queued" {
		t.Errorf("run %+v", r)
	}
	if want := "https://github.com/octo/hello/actions/runs/" + strconv.FormatInt(r.ID, 10); url != want {
		t.Errorf("URL %q, want %q", url, want)
	}
	if got, want := dispatchBody(t, s), `{"ref":"release","inputs":{"environment":"staging","version":"v1.5.0"},"return_run_details":true}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
}

// TestDispatchRefusesInputs: inputs the workflow file does not declare,
// required ones left out and choices outside the options are refused
// before the dispatch.
func TestDispatchRefusesInputs(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown", []string{"-w", "deploy.yml", "-f", "environment=staging", "-f", "region=eu"}, "unknown input region (deploy.yml declares environment, version)"},
		{"missing", []string{"-w", "Deploy", "-f", "version=v1"}, "missing required input environment; nothing was started"},
		{"bad choice", []string{"-w", "2", "-f", "environment=moon"}, `input environment is "moon", not one of staging, production`},
		{"no inputs declared", []string{"-w", "CI", "-f", "debug=true", "-f", "verbose=1"}, "unknown input verbose (ci.yml declares debug)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t)
			out, _, err := dispatch(append(tt.args, "--ref", "main")...)
			var fe *cmdutil.FlagError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want a usage error containing %q", err, tt.want)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
			if c := cmdtest.Changes(s); len(c) > 0 {
				t.Errorf("sent %v", c)
			}
		})
	}
}

// TestDispatchUnreadableFile: a workflow whose file cannot be read is
// dispatched unchecked; GitHub checks the inputs.
func TestDispatchUnreadableFile(t *testing.T) {
	s := serve(t)
	out, errOut, err := dispatch("-w", "Nightly", "--ref", "main", "-f", "anything=1")
	if err != nil || errOut != "" {
		t.Fatalf("error %v; stderr %q", err, errOut)
	}
	if r, _ := started(t, s, out); r.WorkflowID != 3 {
		t.Errorf("run %+v", r)
	}
}

// TestDispatchFindsRun: a server that does not name the run has it found
// among the workflow_dispatch runs of the workflow and ref, and says so.
func TestDispatchFindsRun(t *testing.T) {
	s := serve(t)
	s.DispatchWithoutDetails()
	out, errOut, err := dispatch("-w", "CI", "--ref", "main")
	if err != nil {
		t.Fatalf("error %v; stderr %q", err, errOut)
	}
	r, url := started(t, s, out)
	if r.WorkflowID != 1 || r.Event != "workflow_dispatch" || !strings.HasSuffix(url, "/actions/runs/"+strconv.FormatInt(r.ID, 10)) {
		t.Errorf("run %+v, URL %q", r, url)
	}
	if !strings.Contains(errOut, "without naming it; looking for the CI run on main") {
		t.Errorf("stderr %q", errOut)
	}
	var listed string
	for _, q := range s.Requests() {
		if strings.HasSuffix(q.Path, "/workflows/1/runs") {
			listed = q.Query.Encode()
		}
	}
	if !strings.Contains(listed, "event=workflow_dispatch") || !strings.Contains(listed, "branch=main") || !strings.Contains(listed, "created=%3E%3D") {
		t.Errorf("listing query %q", listed)
	}
}

// TestDispatchNoRunFound: when no run shows up, the search stops after a
// bounded number of tries and says where to look.
func TestDispatchNoRunFound(t *testing.T) {
	s := serve(t)
	s.DispatchWithoutDetails()
	s.Now = func() time.Time { return cmdtest.Now.Add(-time.Hour) } // the run predates the dispatch
	out, _, err := dispatch("-w", "CI", "--ref", "main")
	if err == nil || !strings.Contains(err.Error(), "no workflow_dispatch run on main created since") || out != "" {
		t.Errorf("error %v, stdout %q", err, out)
	}
	n := 0
	for _, q := range s.Requests() {
		if strings.HasSuffix(q.Path, "/workflows/1/runs") {
			n++
		}
	}
	if n != findTries {
		t.Errorf("%d listings, want %d", n, findTries)
	}
}

// TestDispatchWatch: --watch follows the run to its end; --exit-status
// makes a failed run exit 1, a successful one 0.
func TestDispatchWatch(t *testing.T) {
	for _, conclusion := range []string{"failure", "success"} {
		t.Run(conclusion, func(t *testing.T) {
			s := serve(t)
			s.ProgressDispatched(30*time.Millisecond, 2, conclusion)
			out, errOut, err := dispatch("-w", "Deploy", "--ref", "main", "-f", "environment=production", "--watch", "--exit-status")
			if conclusion == "failure" && !errors.Is(err, cmdutil.ErrSilent) || conclusion == "success" && err != nil {
				t.Errorf("error %v for a run concluding with %s; stderr %q", err, conclusion, errOut)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			r, _ := started(t, s, lines[0]+"\n")
			if r.Status != "completed" || r.Conclusion != conclusion {
				t.Errorf("run %s/%s after the watch", r.Status, r.Conclusion)
			}
			if last := lines[len(lines)-1]; !strings.Contains(last, "completed") || !strings.Contains(last, conclusion) {
				t.Errorf("the watch's last line %q; stdout:\n%s", last, out)
			}
		})
	}
}

// requestLines are the requests the fake received, as "METHOD /path?query".
func requestLines(s *fakegh.Server) []string {
	var got []string
	for _, r := range s.Requests() {
		line := r.Method + " " + r.Path
		if q := r.Query.Encode(); q != "" {
			line += "?" + q
		}
		got = append(got, line)
	}
	return got
}

// TestDispatchDefaultBranch: without --ref the run goes on the branch
// GitHub names as the repository's default (trunk here, so that "main"
// cannot pass by chance), at the cost of one request; with --ref, that
// request is not made. The workflows are listed once, for the name and
// the file.
func TestDispatchDefaultBranch(t *testing.T) {
	s := serve(t)
	s.DefaultBranch = "trunk"
	out, errOut, err := dispatch("-w", "Deploy", "-f", "environment=staging")
	if err != nil || errOut != "" {
		t.Fatalf("error %v; stderr %q", err, errOut)
	}
	if r, _ := started(t, s, out); r.HeadBranch != "trunk" {
		t.Errorf("run on %q, want trunk", r.HeadBranch)
	}
	if got, want := dispatchBody(t, s), `{"ref":"trunk","inputs":{"environment":"staging"},"return_run_details":true}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
	want := []string{
		"GET /repos/octo/hello",
		"GET /repos/octo/hello/actions/workflows?per_page=100",
		"GET /repos/octo/hello/contents/.github/workflows/deploy.yml?ref=trunk",
		"POST /repos/octo/hello/actions/workflows/2/dispatches",
	}
	if got := requestLines(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	s.ResetRequests()
	if _, _, err := dispatch("-w", "Deploy", "--ref", "main", "-f", "environment=staging"); err != nil {
		t.Fatal(err)
	}
	if got := requestLines(s); len(got) != 3 || got[0] == "GET /repos/octo/hello" {
		t.Errorf("with --ref, requests:\n%s\nwant the three without the repository's", strings.Join(got, "\n"))
	}
}

// TestDispatchDefaultBranchNotFound: a repository GitHub does not show
// gives a clear error after that one request; nothing is started.
func TestDispatchDefaultBranchNotFound(t *testing.T) {
	s := serve(t)
	out, _, err := dispatch("-R", "octo/nope", "-w", "CI")
	want := "repository octo/nope not found (HTTP 404), so its default branch is unknown\n" +
		"hint: check -R OWNER/REPO (GitHub also answers 404 when the token cannot see a private repository), or name the branch with --ref"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	if out != "" {
		t.Errorf("stdout %q", out)
	}
	if got := requestLines(s); len(got) != 1 || got[0] != "GET /repos/octo/nope" {
		t.Errorf("requests %q, want only GET /repos/octo/nope", got)
	}
}
