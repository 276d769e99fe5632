package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestExitCodes runs Main in-process and checks the exit codes README.md
// documents and where messages go.
func TestExitCodes(t *testing.T) {
	cases := []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		stderr   string
		noStderr bool
		requests int
	}{
		{name: "success", args: []string{"list", "-L", "1"}, code: 0, requests: 1},
		{name: "no runs found", args: []string{"list", "-b", "nope"}, code: 0, requests: 1},
		{name: "bad run ID", args: []string{"view", "x1"}, code: 1, stderr: `invalid run ID "x1"`},
		{name: "unknown command", args: []string{"frobnicate"}, code: 1, stderr: `unknown command "frobnicate"`},
		{name: "unknown flag", args: []string{"list", "--nope"}, code: 1, stderr: "unknown flag: --nope"},
		{name: "API error", args: []string{"view", "42"}, code: 1, stderr: "run 42 not found in octo/hello (HTTP 404)", requests: 2},
		// The run, its jobs and the failed job's annotations.
		{name: "failed run with --exit-status", args: []string{"view", cmdtest.Arg(fakegh.FailedRun), "--exit-status"}, code: 1, requests: 3},
		// The run's own line says it failed; no "could not cancel 1 run of 1".
		{name: "bulk item failed", args: []string{"cancel", cmdtest.Arg(fakegh.SuccessfulRun)}, code: 1, noStderr: true, requests: 1},
		{name: "no token for a change", env: map[string]string{"GH_TOKEN": ""}, args: []string{"cancel", cmdtest.Arg(fakegh.InProgressRun)}, code: 4,
			stderr: "authentication required: run `gh auth login` or set GH_TOKEN"},
		{name: "token refused", env: map[string]string{"GH_TOKEN": "ghp_bad"}, args: []string{"list"}, code: 4,
			stderr: "Bad credentials (HTTP 401)", requests: 1},
		{name: "no token, read-only", env: map[string]string{"GH_TOKEN": ""}, args: []string{"list", "-L", "1"}, code: 0,
			stderr: "warning: no GitHub token for github.com", requests: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, _ := cmdtest.Fake(t, 8)
			t.Setenv("GHRUNS_API_URL", s.URL)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			code := Main(context.Background(), append([]string{"ghruns"}, tc.args...), strings.NewReader(""), &out, &errOut)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errOut.String())
			}
			if tc.stderr != "" && !strings.Contains(errOut.String(), tc.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tc.stderr)
			}
			if tc.noStderr && errOut.Len() > 0 {
				t.Errorf("stderr %q, want nothing", errOut.String())
			}
			if n := len(s.Requests()); n != tc.requests {
				t.Errorf("%d requests sent, want %d", n, tc.requests)
			}
			if strings.Contains(out.String()+errOut.String(), cmdtest.Token) {
				t.Error("the token appears in the output")
			}
		})
	}
}

// TestInterrupted: a cancelled context ends the command with 130.
func TestInterrupted(t *testing.T) {
	cmdtest.Isolate(t)
	s, _ := cmdtest.Fake(t, 8)
	t.Setenv("GHRUNS_API_URL", s.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	if code := Main(ctx, []string{"ghruns", "list"}, strings.NewReader(""), &out, &errOut); code != 130 {
		t.Errorf("exit code %d, want 130; stderr: %s", code, errOut.String())
	}
}

func TestBinName(t *testing.T) {
	t.Setenv("GH_EXTENSION", "")
	if got := binName([]string{"/usr/local/bin/gh-runs"}); got != "gh runs" {
		t.Errorf("binName(gh-runs) = %q", got)
	}
	if got := binName([]string{"ghruns"}); got != "ghruns" {
		t.Errorf("binName(ghruns) = %q", got)
	}
	t.Setenv("GH_EXTENSION", "1")
	if got := binName([]string{"ghruns"}); got != "gh runs" {
		t.Errorf("binName with GH_EXTENSION=1 = %q", got)
	}
}
