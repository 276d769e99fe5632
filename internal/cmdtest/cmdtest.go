// Package cmdtest sets up and runs command tests: an isolated environment,
// streams that are or are not a terminal, a seeded fake GitHub with a client
// or ghruns pointed at it, and golden files of what a command printed.
package cmdtest

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/pace"
)

func init() {
	// A meter draws its first state and its last, and nothing between
	// however slow the machine: golden files of terminal output hold.
	output.MeterInterval = time.Hour
}

// Token is the token the fake accepts.
const Token = "ghp_cmdtest0123456789"

// Now is the fixed "now" of command tests: an hour after the seed's base.
var Now = fakegh.SeedBase.Add(time.Hour)

// Repo is the repository the fake serves.
var Repo = cmdutil.Repository{Host: "github.com", Owner: "octo", Name: "hello"}

// Isolate points every setting ghruns and gh read at empty temporary places,
// with GH_REPO=octo/hello and a token.
func Isolate(t testing.TB) {
	t.Helper()
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME":               home,
		"XDG_CONFIG_HOME":    filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":     filepath.Join(home, ".cache"),
		"GH_CONFIG_DIR":      filepath.Join(home, ".config", "gh"),
		"GH_PATH":            filepath.Join(home, "no-gh"),
		"GH_REPO":            "octo/hello",
		"GH_TOKEN":           Token,
		"GH_HOST":            "",
		"GITHUB_TOKEN":       "",
		"GHRUNS_API_URL":     "",
		"GHRUNS_REPO":        "",
		"GHRUNS_CONCURRENCY": "",
		"GH_DEBUG":           "",
		"NO_COLOR":           "",
		"CLICOLOR_FORCE":     "",
	} {
		t.Setenv(k, v)
	}
}

// Streams returns streams over buffers; tty makes all three terminals.
func Streams(tty bool) (*iostreams.IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	ios, in, out, errOut := iostreams.Test()
	ios.SetTTY(tty)
	return ios, in, out, errOut
}

// Env is a command environment over ios, with the root's persistent flags
// and the fixed clock. Call Isolate first.
func Env(ios *iostreams.IOStreams) *cmdutil.Env {
	fs := pflag.NewFlagSet("ghruns", pflag.ContinueOnError)
	cmdutil.AddRepoFlag(fs)
	fs.Bool("no-color", false, "")
	// Bulk writes are paced on a simulated clock: a paced job takes no real time.
	return &cmdutil.Env{IO: ios, Bin: "ghruns", Version: "test", Now: func() time.Time { return Now }, Flags: fs,
		PaceClock: pace.NewSimClock(Now)}
}

// Exec runs cmd with args as the root would, the root's flags included.
func Exec(env *cmdutil.Env, cmd *cobra.Command, args ...string) error {
	cmd.PersistentFlags().AddFlagSet(env.Flags)
	cmd.SetArgs(append([]string{}, args...)) // nil would make cobra read os.Args
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.SilenceErrors = true
	cmd.SilenceUsage = true
	return cmd.Execute()
}

// Run runs the command newCmd builds, as Exec does, over streams that are
// terminals when tty is set, with stdin as the input, and returns what the
// command printed and its error.
func Run(tty bool, stdin string, newCmd func(*cmdutil.Env) *cobra.Command, args ...string) (stdout, stderr string, err error) {
	ios, in, out, errOut := Streams(tty)
	in.WriteString(stdin)
	env := Env(ios)
	err = Exec(env, newCmd(env), args...)
	return out.String(), errOut.String(), err
}

// Parse runs the command newCmd builds over ios, as Exec does, with a runF
// that only keeps the options it is given: no client is made and no request
// is sent. It returns those options, nil when runF was not reached.
func Parse[O any](ios *iostreams.IOStreams, newCmd func(*cmdutil.Env, func(context.Context, *O) error) *cobra.Command, args ...string) (*O, error) {
	var opts *O
	env := Env(ios)
	err := Exec(env, newCmd(env, func(_ context.Context, o *O) error {
		opts = o
		return nil
	}), args...)
	return opts, err
}

// Serve isolates the environment (Isolate), starts a fake GitHub seeded with
// fakegh.Seed that accepts Token and runs on the fixed clock Now, and points
// ghruns at it through GHRUNS_API_URL. A test that needs the fake on the
// real clock sets s.Now = time.Now.
func Serve(t testing.TB) *fakegh.Server {
	t.Helper()
	Isolate(t)
	s := seeded(t)
	s.Now = func() time.Time { return Now }
	t.Setenv("GHRUNS_API_URL", s.URL)
	return s
}

// Fake starts a fake GitHub seeded with fakegh.Seed that accepts Token,
// and a client for it with the given concurrency.
func Fake(t *testing.T, concurrency int) (*fakegh.Server, *api.Client) {
	t.Helper()
	s := seeded(t)
	c, err := api.New(api.Options{BaseURL: s.URL, Token: Token, UserAgent: "ghruns/test", Concurrency: concurrency})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// seeded starts a fake GitHub seeded with fakegh.Seed that accepts Token,
// closed when the test ends.
func seeded(t testing.TB) *fakegh.Server {
	s := fakegh.New(t)
	t.Cleanup(s.Close)
	s.Token = Token
	fakegh.Seed(s)
	return s
}

// Changes counts the requests other than GETs the fake received, by
// "METHOD /path": what a command changed, or tried to.
func Changes(s *fakegh.Server) map[string]int {
	n := map[string]int{}
	for _, r := range s.Requests() {
		if r.Method != "GET" {
			n[r.Method+" "+r.Path]++
		}
	}
	return n
}

// TTYName names golden files for a terminal or not: "tty", "notty".
func TTYName(tty bool) string {
	if tty {
		return "tty"
	}
	return "notty"
}

// Arg writes a run ID as a command-line argument: Arg(fakegh.FailedRun).
func Arg(id int64) string { return strconv.FormatInt(id, 10) }
