package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// runMain runs Main against the fake with config as the config file (when
// not ""), in a fresh working folder holding "exists.zip", and returns the
// exit code, stdout, stderr and the config file's path.
func runMain(t *testing.T, config string, env map[string]string, args ...string) (code int, stdout, stderr, path string) {
	t.Helper()
	cmdtest.Isolate(t)
	s, _ := cmdtest.Fake(t, 8)
	t.Setenv("GHRUNS_API_URL", s.URL)
	for k, v := range env {
		t.Setenv(k, v)
	}
	path = filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ghruns", "config.yml")
	if config != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "exists.zip"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code = Main(context.Background(), append([]string{"ghruns"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String(), path
}

// TestUnknownConfigKeyWarned: a typo in the config file is not ignored
// silently; the command still runs, and the warning comes once.
func TestUnknownConfigKeyWarned(t *testing.T) {
	code, stdout, stderr, path := runMain(t, "colour: never\nfrobnicate: 1\nconcurrency: 4\n", nil,
		"list", "-L", "1", "--json", "databaseId")
	if code != 0 || stdout == "" {
		t.Fatalf("exit code %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	want := `warning: unknown key "colour" in ` + path + `: did you mean "color"?` + "\n" +
		`warning: unknown key "frobnicate" in ` + path + "\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
}

// TestUsageOnlyAfterUsageErrors: cobra's usage text follows a mistake in
// the command line, not a refusal of well-formed input or a bad setting.
func TestUsageOnlyAfterUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		stderr string
		usage  bool
	}{
		{name: "unknown flag", args: []string{"list", "--nope"}, stderr: "unknown flag: --nope", usage: true},
		{name: "bad -R", args: []string{"list", "-R", "nope"}, stderr: `invalid repository "nope"`, usage: true},
		{name: "output exists", args: []string{"logs", "download", "1", "-o", "exists.zip"},
			stderr: "exists.zip already exists; use --clobber to overwrite it\n"},
		{name: "no confirmation", args: []string{"cancel", "-b", "main"},
			stderr: "needs confirmation: pass --yes when not running interactively\n"},
		{name: "bad repo in the config", config: "repo: nope\n", env: map[string]string{"GH_REPO": ""}, args: []string{"list"},
			stderr: `invalid repository "nope": expected the [HOST/]OWNER/REPO format (from $CONFIG)` + "\n"},
		{name: "bad GH_REPO", env: map[string]string{"GH_REPO": "nope"}, args: []string{"list"},
			stderr: `(from GH_REPO)` + "\n"},
		{name: "bad concurrency in the config", config: "concurrency: 0\n", args: []string{"list"},
			stderr: "invalid concurrency 0 (from $CONFIG)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr, path := runMain(t, tc.config, tc.env, tc.args...)
			if code != 1 || stdout != "" {
				t.Errorf("exit code %d, stdout %q", code, stdout)
			}
			if want := strings.ReplaceAll(tc.stderr, "$CONFIG", path); !strings.Contains(stderr, want) {
				t.Errorf("stderr does not contain %q:\n%s", want, stderr)
			}
			if got := strings.Contains(stderr, "Usage:"); got != tc.usage {
				t.Errorf("usage shown: %v, want %v; stderr:\n%s", got, tc.usage, stderr)
			}
		})
	}
}

// TestForcedColourLeavesPipedJSONPlain: CLICOLOR_FORCE and color: always
// colour tables, but JSON in a pipe is for programs, and escape codes in it
// would break them (jq, a JSON parser): JSON is coloured only on a
// terminal.
func TestForcedColourLeavesPipedJSONPlain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string
		env    map[string]string
		args   []string
	}{
		{name: "CLICOLOR_FORCE, json", env: map[string]string{"CLICOLOR_FORCE": "1"}, args: []string{"list", "-L", "2", "--json", "databaseId,name"}},
		{name: "CLICOLOR_FORCE, jq", env: map[string]string{"CLICOLOR_FORCE": "1"}, args: []string{"list", "-L", "2", "--json", "databaseId,name", "-q", "."}},
		{name: "color always, jq", config: "color: always\n", args: []string{"view", cmdtest.Arg(fakegh.SuccessfulRun), "--json", "databaseId,name", "-q", ".name,."}},
		{name: "color always, usage jq", config: "color: always\n", args: []string{"usage", cmdtest.Arg(fakegh.SuccessfulRun), "--json", "billable", "-q", "."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr, _ := runMain(t, tc.config, tc.env, tc.args...)
			if code != 0 || stdout == "" {
				t.Fatalf("exit code %d, stdout %q, stderr:\n%s", code, stdout, stderr)
			}
			if strings.Contains(stdout, "\x1b") {
				t.Errorf("JSON in a pipe has escape codes: %q", stdout)
			}
		})
	}
}
