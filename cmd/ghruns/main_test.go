package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ghruns/gh-runs/internal/cli"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func TestMain(m *testing.M) {
	// The test binary is ghruns itself, signal handling included, for tests
	// that start it as a child process (see startGhruns).
	if os.Getenv(realMainEnv) == "1" {
		main()
		return
	}
	run := func() { os.Exit(cli.Main(context.Background(), os.Args, os.Stdin, os.Stdout, os.Stderr)) }
	// gh-runs is the same program installed as a gh extension.
	testscript.Main(m, map[string]func(){"ghruns": run, "gh-runs": run})
}

// realMainEnv makes the test binary run main.
const realMainEnv = "GHRUNS_TEST_REAL_MAIN"

// TestScripts runs testdata/script/*.txtar: the real binary against a fake
// GitHub seeded with fakegh.Seed, with gh's own config isolated.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup:               setup,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"fake": fakeCmd},
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") == "1",
	})
}

// testToken is the only token the fake accepts in scripts.
const testToken = "ghp_test0123456789TOKEN"

// reporter collects the fake's complaints; the script fails on any.
type reporter struct {
	mu   sync.Mutex
	errs []string
}

func (r *reporter) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func setup(env *testscript.Env) error {
	rep := &reporter{}
	s := fakegh.New(rep)
	s.Token = testToken
	fakegh.Seed(s)
	env.Values["fake"] = s
	env.Defer(func() {
		s.Close()
		rep.mu.Lock()
		defer rep.mu.Unlock()
		if len(rep.errs) > 0 {
			env.T().Fatal("the fake GitHub saw requests GitHub would not accept:\n  " + strings.Join(rep.errs, "\n  "))
		}
	})
	home := filepath.Join(env.WorkDir, "home")
	for k, v := range map[string]string{
		"GHRUNS_API_URL":        s.URL,
		"GH_TOKEN":              testToken,
		"GH_REPO":               "octo/hello",
		"HOME":                  home,
		"GH_CONFIG_DIR":         filepath.Join(home, ".config", "gh"),
		"XDG_CONFIG_HOME":       filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":        filepath.Join(home, ".cache"),
		"GH_PATH":               filepath.Join(env.WorkDir, "no-gh"),
		"NO_COLOR":              "",
		"GH_HOST":               "",
		"GITHUB_TOKEN":          "",
		"GH_DEBUG":              "",
		"GH_EXTENSION":          "",
		"XDG_DATA_HOME":         filepath.Join(home, ".local", "share"),
		"GH_NO_UPDATE_NOTIFIER": "1",
		"GH_PROMPT_DISABLED":    "1",
	} {
		env.Setenv(k, v)
	}
	return os.MkdirAll(home, 0o755)
}

// fakeCmd inspects and changes the fake from a script:
//
//	fake requests               every API request, "METHOD /path?query", one a line
//	fake count [METHOD [PATH]]  how many API requests (of METHOD, with PATH in the path)
//	fake runs N [STATUS]        add N generated runs (IDs from 100000), completed/success or STATUS
//	fake state ID               "status conclusion attempt" of a run
//	fake body ID                the last request body sent about run ID
//	fake archive ID BYTES FILE  give run ID a zip log archive of about BYTES, also written to FILE
//	fake log-auth               whether the log host ever received an Authorization header
//	fake approvals              add the runs that wait on a person (fakegh.SeedApprovals)
//	fake dispatch CONCLUSION [nodetails]
//	                            workflow files with inputs (fakegh.SeedDispatch); dispatched runs
//	                            start and complete 0.2s apart, Deploy's with CONCLUSION;
//	                            nodetails answers dispatches 204, as older GHES
func fakeCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("fake: no negation")
	}
	s := ts.Value("fake").(*fakegh.Server)
	if len(args) == 0 {
		ts.Fatalf("fake: missing subcommand")
	}
	out := ts.Stdout()
	switch args[0] {
	case "requests":
		for _, r := range s.Requests() {
			line := r.Method + " " + r.Path
			if q := r.Query.Encode(); q != "" {
				line += "?" + q
			}
			fmt.Fprintln(out, line)
		}
	case "count":
		n := 0
		for _, r := range s.Requests() {
			if len(args) > 1 && r.Method != args[1] || len(args) > 2 && !strings.Contains(r.Path, args[2]) {
				continue
			}
			n++
		}
		fmt.Fprintln(out, n)
	case "runs":
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		s.AddRuns(fakegh.GenerateRuns(n, 100000, fakegh.SeedBase.Add(-24*time.Hour), func(_ int, r *fakegh.Run) {
			if len(args) > 2 {
				r.Status, r.Conclusion = args[2], ""
			}
		})...)
	case "state":
		r := mustRun(ts, s, args[1])
		fmt.Fprintf(out, "%s %s %d\n", r.Status, orNull(r.Conclusion), r.Attempt)
	case "body":
		var last []byte
		for _, r := range s.Requests() {
			if strings.Contains(r.Path, "/runs/"+args[1]+"/") {
				last = r.Body
			}
		}
		fmt.Fprintf(out, "%s\n", last)
	case "archive":
		r := mustRun(ts, s, args[1])
		size, err := strconv.Atoi(args[2])
		ts.Check(err)
		r.Logs = archive(size)
		s.AddRuns(r)
		ts.Check(os.WriteFile(ts.MkAbs(args[3]), r.Logs, 0o644))
	case "approvals":
		fakegh.SeedApprovals(s)
	case "dispatch":
		fakegh.SeedDispatch(s)
		s.ProgressDispatched(200*time.Millisecond, 2, args[1])
		if len(args) > 2 && args[2] == "nodetails" {
			s.DispatchWithoutDetails()
		}
	case "log-auth":
		seen := slices.ContainsFunc(s.LogRequests(), func(r fakegh.Request) bool { return r.Header.Get("Authorization") != "" })
		fmt.Fprintf(out, "log requests: %d, with Authorization: %v\n", len(s.LogRequests()), seen)
	default:
		ts.Fatalf("fake: unknown subcommand %q", args[0])
	}
}

func mustRun(ts *testscript.TestScript, s *fakegh.Server, arg string) fakegh.Run {
	id, err := strconv.ParseInt(arg, 10, 64)
	ts.Check(err)
	r, ok := s.Run(id)
	if !ok {
		ts.Fatalf("fake: no run %d", id)
	}
	return r
}

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

// archive is a zip of about size bytes of incompressible data in a few entries.
func archive(size int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	rng := rand.New(rand.NewPCG(1, 2))
	chunk := make([]byte, 64<<10)
	for i := 0; size > 0; i++ {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("build/%d_step.txt", i+1), Method: zip.Store})
		part := min(size, 1<<20)
		for n := part; n > 0; n -= len(chunk) {
			for j := range chunk {
				chunk[j] = byte(rng.Uint32())
			}
			w.Write(chunk[:min(n, len(chunk))])
		}
		size -= part
	}
	zw.Close()
	return buf.Bytes()
}
