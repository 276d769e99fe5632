package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// badInput is one invocation that must be refused before any request.
type badInput struct {
	name string
	args []string
	// env is set on top of cmdtest.Isolate; "" unsets a variable for viper and go-gh.
	env map[string]string
	// config, when set, is written to $XDG_CONFIG_HOME/ghruns/config.yml.
	config string
	code   int
	// stderr names the problem: the bad value, flag or setting.
	stderr string
}

// badInputs covers the bad input README.md says is "refused before any
// request is sent": each row exits with its documented code, names the
// problem on stderr, prints nothing on stdout and sends nothing to the fake. In args, $TMP is a
// fresh temporary folder holding a file named "exists.zip".
var badInputs = []badInput{
	// Commands, flags and arguments.
	{name: "unknown command", args: []string{"frobnicate"}, code: 1, stderr: `unknown command "frobnicate"`},
	// A run ID names a run of one repository: across several, runs are
	// selected by filters.
	{name: "delete run IDs across an owner", args: []string{"delete", "--owner", "acme", "123", "--yes"}, code: 1,
		stderr: "with --owner, --repos or several -R, select runs with filters"},
	{name: "delete run IDs across two repositories", args: []string{"delete", "-R", "o/a", "-R", "o/b", "123", "124", "--yes"}, code: 1,
		stderr: "with --owner, --repos or several -R, select runs with filters"},
	{name: "delete run IDs across a list", args: []string{"delete", "--repos", "$TMP/exists.zip", "123", "--dry-run"}, code: 1,
		stderr: "with --owner, --repos or several -R, select runs with filters"},
	{name: "delete every run across an owner", args: []string{"delete", "--owner", "acme", "--yes"}, code: 1,
		stderr: "refusing to delete every run of every selected repository"},
	{name: "approve run IDs across an owner", args: []string{"approve", "--owner", "acme", "123", "--yes"}, code: 1,
		stderr: "with --owner, --repos or several -R, select runs with filters"},
	{name: "approve run IDs across two repositories", args: []string{"approve", "-R", "o/a", "-R", "o/b", "123", "--reject"}, code: 1,
		stderr: "with --owner, --repos or several -R, select runs with filters"},
	{name: "misspelt command", args: []string{"lst"}, code: 1, stderr: `unknown command "lst"`},
	{name: "unknown logs subcommand", args: []string{"logs", "frobnicate"}, code: 1, stderr: `"frobnicate"`},
	{name: "unknown flag", args: []string{"list", "--nope"}, code: 1, stderr: "unknown flag: --nope"},
	{name: "unknown shorthand", args: []string{"list", "-Z"}, code: 1, stderr: "unknown shorthand flag: 'Z' in -Z"},
	{name: "unknown global flag", args: []string{"--frob", "list"}, code: 1, stderr: "unknown flag: --frob"},
	{name: "flag without value", args: []string{"list", "--limit"}, code: 1, stderr: "flag needs an argument: --limit"},
	{name: "repo flag without value", args: []string{"list", "-R"}, code: 1, stderr: "flag needs an argument: 'R' in -R"},
	{name: "limit not a number", args: []string{"list", "-L", "abc"}, code: 1, stderr: `invalid argument "abc" for "-L, --limit"`},
	{name: "negative limit", args: []string{"list", "-L", "-1"}, code: 1, stderr: "invalid --limit -1"},
	{name: "bool flag with a word", args: []string{"list", "--no-color=maybe"}, code: 1, stderr: `invalid argument "maybe" for "--no-color"`},
	{name: "list with an argument", args: []string{"list", "123"}, code: 1, stderr: `unexpected argument "123"`},
	{name: "version with an argument", args: []string{"version", "now"}, code: 1, stderr: `unexpected argument "now"`},
	{name: "view without run ID", args: []string{"view"}, code: 1, stderr: "missing the run ID"},
	{name: "view with two run IDs", args: []string{"view", "1", "2"}, code: 1, stderr: `unexpected argument "2"`},
	{name: "logs download without run ID", args: []string{"logs", "download"}, code: 1, stderr: "missing the run ID"},
	{name: "completion without shell", args: []string{"completion"}, code: 1, stderr: "missing the shell"},
	{name: "completion for an unknown shell", args: []string{"completion", "tcsh"}, code: 1, stderr: `unsupported shell "tcsh"`},
	{name: "rerun with neither IDs nor filters", args: []string{"rerun"}, code: 1, stderr: "specify one or more run IDs"},
	{name: "usage with neither IDs nor filters", args: []string{"usage"}, code: 1, stderr: "specify one or more run IDs"},

	// Run IDs.
	{name: "run ID with letters", args: []string{"view", "x1"}, code: 1, stderr: `invalid run ID "x1"`},
	{name: "run ID zero", args: []string{"view", "0"}, code: 1, stderr: `invalid run ID "0"`},
	{name: "run ID negative", args: []string{"view", "--", "-5"}, code: 1, stderr: `invalid run ID "-5"`},
	{name: "run ID with exponent", args: []string{"view", "1e3"}, code: 1, stderr: `invalid run ID "1e3"`},
	{name: "run ID too large", args: []string{"view", "99999999999999999999"}, code: 1, stderr: `invalid run ID "99999999999999999999"`},
	{name: "run ID with space", args: []string{"logs", "download", " 42"}, code: 1, stderr: `invalid run ID " 42"`},
	{name: "bad run ID after a good one", args: []string{"cancel", "1", "abc"}, code: 1, stderr: `invalid run ID "abc"`},
	{name: "bad run ID for watch", args: []string{"watch", "x1"}, code: 1, stderr: `invalid run ID "x1"`},
	{name: "bad run ID for usage", args: []string{"usage", "12a"}, code: 1, stderr: `invalid run ID "12a"`},

	// Repositories.
	{name: "repo without owner", args: []string{"list", "-R", "hello"}, code: 1, stderr: `invalid repository "hello"`},
	{name: "repo with too many parts", args: []string{"list", "-R", "a/b/c/d"}, code: 1, stderr: `invalid repository "a/b/c/d"`},
	{name: "repo owner dot-dot", args: []string{"view", "1", "-R", "../hello"}, code: 1, stderr: `invalid repository "../hello"`},
	{name: "repo name dot-dot", args: []string{"cancel", "1", "-R", "octo/.."}, code: 1, stderr: `invalid repository "octo/.."`},
	{name: "repo with a space", args: []string{"list", "-R", "octo/he llo"}, code: 1, stderr: `invalid repository "octo/he llo"`},
	{name: "repo owner with leading dash", args: []string{"list", "-R", "-octo/hello"}, code: 1, stderr: `"-octo" is not a valid owner`},
	{name: "repo with bad host", args: []string{"list", "-R", "git hub.com/octo/hello"}, code: 1, stderr: `"git hub.com" is not a host name`},
	{name: "repo with port out of range", args: []string{"list", "-R", "127.0.0.1:99999/o/r"}, code: 1, stderr: "port 99999 is not between 1 and 65535"},
	{name: "repo URL with port 0", args: []string{"view", "1", "-R", "https://localhost:0/o/r"}, code: 1, stderr: "port 0 is not between 1 and 65535"},
	{name: "GH_REPO with port out of range", env: map[string]string{"GH_REPO": "localhost:70000/o/r"}, args: []string{"list"}, code: 1, stderr: `invalid repository "localhost:70000/o/r": port 70000 is not between 1 and 65535 (from GH_REPO)`},
	{name: "GH_HOST with port 0", env: map[string]string{"GH_HOST": "localhost:0"}, args: []string{"view", "1", "-R", "h.example/o/r"}, code: 1, stderr: "invalid host (from GH_HOST): port 0 is not between 1 and 65535"},
	{name: "GH_REPO malformed", env: map[string]string{"GH_REPO": "nope"}, args: []string{"list"}, code: 1, stderr: `invalid repository "nope"`},

	// Dates, statuses and other filter values.
	{name: "created month 13", args: []string{"list", "--created", "2026-13-01"}, code: 1, stderr: `invalid --created "2026-13-01"`},
	{name: "created February 30", args: []string{"usage", "--created", "2026-02-30"}, code: 1, stderr: `"2026-02-30" is not a calendar date`},
	{name: "created a word", args: []string{"list", "--created", "yesterday"}, code: 1, stderr: `invalid --created "yesterday"`},
	{name: "created backwards range", args: []string{"list", "--created", "2026-02-01..2026-01-01"}, code: 1, stderr: "the range ends before it starts"},
	{name: "created unknown comparison", args: []string{"list", "--created", "=>2026-01-01"}, code: 1, stderr: `unknown comparison "=>"`},
	{name: "created hour 24", args: []string{"list", "--created", ">=2026-01-01T24:00"}, code: 1, stderr: `invalid --created ">=2026-01-01T24:00"`},
	{name: "created empty for a bulk command", args: []string{"cancel", "--created=", "--yes"}, code: 1, stderr: "--created"},
	{name: "older-than a word", args: []string{"list", "--older-than", "abc"}, code: 1, stderr: `invalid argument "abc" for "--older-than"`},
	{name: "newer-than negative", args: []string{"usage", "--newer-than=-3d"}, code: 1, stderr: `invalid argument "-3d" for "--newer-than"`},
	{name: "older-than with created", args: []string{"list", "--older-than", "30d", "--created", ">=2026-01-01"}, code: 1, stderr: "specify --created or --older-than, not both"},
	{name: "newer-than beyond older-than", args: []string{"cancel", "--newer-than", "1d", "--older-than", "2d", "--yes"}, code: 1, stderr: "invalid --newer-than 1d with --older-than 2d"},
	{name: "unknown status", args: []string{"list", "-s", "done"}, code: 1, stderr: `invalid --status "done"`},
	{name: "status in capitals", args: []string{"rerun", "-s", "FAILURE", "--yes"}, code: 1, stderr: `invalid --status "FAILURE"`},
	{name: "commit not hexadecimal", args: []string{"list", "-c", "xyz123"}, code: 1, stderr: `invalid --commit "xyz123"`},
	{name: "workflow blank", args: []string{"list", "-w", "  "}, code: 1, stderr: "invalid --workflow: empty name"},
	{name: "list branch empty", args: []string{"list", "-b", ""}, code: 1, stderr: `invalid --branch "": empty value`},
	{name: "list branch blank", args: []string{"list", "-b", " "}, code: 1, stderr: `invalid --branch " ": empty value`},
	{name: "list user empty", args: []string{"list", "-u", ""}, code: 1, stderr: `invalid --user "": empty value`},
	{name: "list workflow empty", args: []string{"list", "-w", ""}, code: 1, stderr: "--workflow"},
	{name: "list status empty", args: []string{"list", "-s", ""}, code: 1, stderr: `invalid --status "": empty value`},
	{name: "list created empty", args: []string{"list", "--created", ""}, code: 1, stderr: `invalid --created "": empty value`},
	{name: "list commit empty", args: []string{"list", "-c", ""}, code: 1, stderr: `invalid --commit "": empty value`},
	{name: "list event empty", args: []string{"list", "-e", "", "--json", "databaseId"}, code: 1, stderr: `invalid --event "": empty value`},
	{name: "attempt negative", args: []string{"view", "1", "-a", "-1"}, code: 1, stderr: "invalid --attempt -1"},
	{name: "download attempt negative", args: []string{"logs", "download", "1", "--attempt=-2"}, code: 1, stderr: "invalid --attempt -2"},

	// JSON fields, templates and jq.
	{name: "json without fields", args: []string{"list", "--json"}, code: 1, stderr: "specify one or more comma-separated fields for `--json`"},
	{name: "unknown JSON field", args: []string{"list", "--json", "nope"}, code: 1, stderr: `unknown JSON field: "nope"`},
	{name: "unknown JSON field among good ones", args: []string{"view", "1", "--json", "jobs,bogus"}, code: 1, stderr: `unknown JSON field: "bogus"`},
	{name: "view-only field on list", args: []string{"list", "--json", "jobs"}, code: 1, stderr: `unknown JSON field: "jobs"`},
	{name: "unknown bulk JSON field", args: []string{"cancel", "1", "--json", "status"}, code: 1, stderr: `unknown JSON field: "status"`},
	{name: "bad template", args: []string{"list", "--json", "name", "-t", "{{.name"}, code: 1, stderr: "invalid template"},
	{name: "template with unknown function", args: []string{"view", "1", "--json", "name", "-t", "{{frob .name}}"}, code: 1, stderr: `"frob" not defined`},
	{name: "bad jq", args: []string{"list", "--json", "name", "-q", ".["}, code: 1, stderr: `invalid jq expression ".["`},
	{name: "jq with unknown function", args: []string{"usage", "1", "--json", "billable", "-q", "frob(1)"}, code: 1, stderr: "function not defined: frob/1"},

	// Conflicting flags.
	{name: "jq without json", args: []string{"list", "-q", ".[]"}, code: 1, stderr: "cannot use `--jq` without specifying `--json`"},
	{name: "template without json", args: []string{"view", "1", "-t", "{{.}}"}, code: 1, stderr: "cannot use `--template` without specifying `--json`"},
	{name: "jq with template", args: []string{"list", "--json", "name", "-q", ".", "-t", "{{.}}"}, code: 1, stderr: "specify only one of `--jq` or `--template`"},
	{name: "web with json", args: []string{"view", "1", "--web", "--json", "name"}, code: 1, stderr: "specify only one of --web or --json"},
	{name: "output with extract", args: []string{"logs", "download", "1", "-o", "$TMP/a.zip", "-x", "$TMP/dir"}, code: 1, stderr: "specify only one of --output or --extract"},
	{name: "extract without folder", args: []string{"logs", "download", "1", "--extract="}, code: 1, stderr: "--extract needs a directory"},
	{name: "extract into a file", args: []string{"logs", "download", "1", "-x", "$TMP/exists.zip"}, code: 1, stderr: "exists.zip: not a directory"},
	{name: "output exists", args: []string{"logs", "download", "1", "-o", "$TMP/exists.zip"}, code: 1, stderr: "exists.zip already exists; use --clobber"},
	{name: "output is a folder", args: []string{"logs", "download", "1", "-o", "$TMP"}, code: 1, stderr: "is a directory; name a file with -o"},
	{name: "output in a missing folder", args: []string{"logs", "download", "1", "-o", "$TMP/no/such/a.zip"}, code: 1, stderr: "does not exist"},
	{name: "IDs with a filter", args: []string{"cancel", "1", "-b", "main"}, code: 1, stderr: "specify run IDs or filters, not both"},
	{name: "IDs with a limit", args: []string{"logs", "delete", "1", "-L", "5"}, code: 1, stderr: "specify run IDs or filters, not both"},
	{name: "usage IDs with a filter", args: []string{"usage", "1", "-s", "success"}, code: 1, stderr: "specify run IDs or filters, not both"},
	{name: "rerun IDs with created", args: []string{"rerun", "1", "--created", "2026-01-01"}, code: 1, stderr: "specify run IDs or filters, not both"},

	// Config file values.
	{name: "config concurrency 0", config: "concurrency: 0\n", args: []string{"list"}, code: 1, stderr: "invalid concurrency 0"},
	{name: "config concurrency 99", config: "concurrency: 99\n", args: []string{"list"}, code: 1, stderr: "invalid concurrency 99"},
	{name: "config concurrency word", config: "concurrency: x\n", args: []string{"view", "1"}, code: 1, stderr: `invalid concurrency "x"`},
	{name: "config concurrency fraction", config: "concurrency: 2.5\n", args: []string{"list"}, code: 1, stderr: `invalid concurrency "2.5"`},
	{name: "config colour purple", config: "color: purple\n", args: []string{"list"}, code: 1, stderr: `invalid color "purple"`},
	{name: "config malformed YAML", config: "concurrency: [4\ncolor: never\n", args: []string{"list"}, code: 1, stderr: "config.yml"},
	{name: "config YAML tab indent", config: "repo: octo/hello\n\tcolor: never\n", args: []string{"list"}, code: 1, stderr: "config.yml"},
	{name: "config bad repo", config: "repo: not a repo\n", env: map[string]string{"GH_REPO": ""}, args: []string{"list"}, code: 1, stderr: `invalid repository "not a repo": expected the [HOST/]OWNER/REPO format (from $CONFIG)`},
	{name: "config API URL over ftp", config: "api_url: ftp://example.com/\n", env: map[string]string{"GHRUNS_API_URL": ""}, args: []string{"list"}, code: 1, stderr: `invalid api_url (from $CONFIG): scheme "ftp" is not http or https`},
	{name: "config API URL with a bad port", config: "api_url: http://127.0.0.1:99999\n", env: map[string]string{"GHRUNS_API_URL": ""}, args: []string{"list"}, code: 1, stderr: "port 99999 is not between 1 and 65535"},
	{name: "config price NaN", config: "price_per_minute: .nan\n", args: []string{"usage", "1"}, code: 1, stderr: `invalid price_per_minute "NaN" (from $CONFIG)`},
	{name: "config price infinite", config: "price_per_minute_macos: .inf\n", args: []string{"usage", "1"}, code: 1, stderr: `invalid price_per_minute_macos "+Inf"`},
	{name: "config price negative", config: "price_per_minute_windows: -1\n", args: []string{"usage", "1"}, code: 1, stderr: `invalid price_per_minute_windows "-1"`},
	{name: "config repo a mapping", config: "repo: {a: b}\n", env: map[string]string{"GH_REPO": ""}, args: []string{"list"}, code: 1, stderr: "invalid repo in $CONFIG: must be a string such as OWNER/REPO, not a mapping"},
	{name: "config color a list", config: "color: [never]\n", args: []string{"list"}, code: 1, stderr: "invalid color in $CONFIG: must be auto, never or always, not a list"},
	{name: "config bad API URL", config: "api_url: '::nope'\n", env: map[string]string{"GHRUNS_API_URL": ""}, args: []string{"list"}, code: 1, stderr: `invalid API URL "::nope": want scheme://host[/path] (from $CONFIG)`},

	// Environment values.
	{name: "GHRUNS_CONCURRENCY word", env: map[string]string{"GHRUNS_CONCURRENCY": "abc"}, args: []string{"list"}, code: 1, stderr: `invalid concurrency "abc" (from GHRUNS_CONCURRENCY)`},
	{name: "GHRUNS_CONCURRENCY too high", env: map[string]string{"GHRUNS_CONCURRENCY": "33"}, args: []string{"usage", "1"}, code: 1, stderr: "invalid concurrency 33 (from GHRUNS_CONCURRENCY)"},
	{name: "GHRUNS_CONCURRENCY negative", env: map[string]string{"GHRUNS_CONCURRENCY": "-4"}, args: []string{"list"}, code: 1, stderr: "invalid concurrency -4 (from GHRUNS_CONCURRENCY)"},
	{name: "GHRUNS_COLOR purple", env: map[string]string{"GHRUNS_COLOR": "purple"}, args: []string{"list"}, code: 1, stderr: `invalid color "purple" (from GHRUNS_COLOR)`},
	{name: "GHRUNS_API_URL over ftp", env: map[string]string{"GHRUNS_API_URL": "ftp://example.com/"}, args: []string{"list"}, code: 1, stderr: `invalid api_url (from GHRUNS_API_URL): scheme "ftp" is not http or https`},
	{name: "GHRUNS_PRICE_PER_MINUTE NaN", env: map[string]string{"GHRUNS_PRICE_PER_MINUTE": "NaN"}, args: []string{"usage", "1"}, code: 1, stderr: `invalid price_per_minute "NaN" (from GHRUNS_PRICE_PER_MINUTE)`},
	{name: "GHRUNS_PRICE_PER_MINUTE Inf", env: map[string]string{"GHRUNS_PRICE_PER_MINUTE": "Inf"}, args: []string{"usage", "1"}, code: 1, stderr: `invalid price_per_minute "Inf"`},
	{name: "watch interval that would wrap", args: []string{"watch", "1", "-i", "18446744074"}, code: 1, stderr: "invalid --interval 18446744074: must be from 1 to 3600 seconds"},
	{name: "GHRUNS_API_URL not a URL", env: map[string]string{"GHRUNS_API_URL": "not-a-url"}, args: []string{"list"}, code: 1, stderr: `invalid API URL "not-a-url": want scheme://host[/path] (from GHRUNS_API_URL)`},
	{name: "GH_HOST with a space", env: map[string]string{"GH_HOST": "git hub.com"}, args: []string{"list"}, code: 1, stderr: `invalid host (from GH_HOST): "git hub.com" is not a host name`},

	// Authentication: commands that change something need a token.
	{name: "cancel without token", env: map[string]string{"GH_TOKEN": ""}, args: []string{"cancel", "1"}, code: 4, stderr: "authentication required"},
	{name: "rerun by filter without token", env: map[string]string{"GH_TOKEN": ""}, args: []string{"rerun", "-s", "failure", "--yes"}, code: 4, stderr: "authentication required"},
	{name: "logs delete without token", env: map[string]string{"GH_TOKEN": ""}, args: []string{"logs", "delete", "1", "2"}, code: 4, stderr: "authentication required"},
}

// TestBadInput runs each bad invocation through Main against the fake.
func TestBadInput(t *testing.T) {
	if len(badInputs) < 30 {
		t.Fatalf("only %d rows; the table should cover at least 30 bad invocations", len(badInputs))
	}
	seen := map[string]bool{}
	for _, tc := range badInputs {
		if seen[tc.name] {
			t.Fatalf("duplicate row name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, _ := cmdtest.Fake(t, 8)
			t.Setenv("GHRUNS_API_URL", s.URL)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.config != "" {
				dir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ghruns")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "config.yml"), []byte(tc.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tmp := t.TempDir()
			if err := os.WriteFile(filepath.Join(tmp, "exists.zip"), []byte("keep"), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"ghruns"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "$TMP", tmp))
			}
			// A working folder of its own, so that nothing lands in the package.
			t.Chdir(tmp)

			var out, errOut bytes.Buffer
			code := Main(context.Background(), args, strings.NewReader(""), &out, &errOut)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errOut.String())
			}
			want := strings.ReplaceAll(tc.stderr, "$CONFIG", filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ghruns", "config.yml"))
			if !strings.Contains(errOut.String(), want) {
				t.Errorf("stderr does not name the problem %q:\n%s", want, errOut.String())
			}
			if out.Len() != 0 {
				t.Errorf("stdout not empty:\n%s", out.String())
			}
			if reqs := s.Requests(); len(reqs) != 0 {
				t.Errorf("%d requests sent before the input was refused, first %+v", len(reqs), reqs[0])
			}
			if strings.Contains(out.String()+errOut.String(), cmdtest.Token) {
				t.Error("the token appears in the output")
			}
			if b, err := os.ReadFile(filepath.Join(tmp, "exists.zip")); err != nil || string(b) != "keep" {
				t.Errorf("exists.zip changed: %q, %v", b, err)
			}
		})
	}
}
