package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	for _, k := range []string{"GHRUNS_REPO", "GH_REPO", "GHRUNS_HOST", "GH_HOST", "GHRUNS_API_URL", "GHRUNS_CONCURRENCY", "GHRUNS_COLOR", "NO_COLOR", "CLICOLOR_FORCE"} {
		t.Setenv(k, "")
	}
	return filepath.Join(dir, "ghruns", "config.yml")
}

func writeConfig(t *testing.T, path, body string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func flags(args ...string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.StringP("repo", "R", "", "")
	fs.Bool("no-color", false, "")
	fs.Parse(args)
	return fs
}

func TestDefaults(t *testing.T) {
	isolate(t)
	cfg, err := Load(flags())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Concurrency != 8 || cfg.Color != "auto" || cfg.Repo != "" || cfg.File != "" {
		t.Errorf("defaults: %+v", cfg)
	}
}

// TestPrecedence: flag > env > config file > default.
func TestPrecedence(t *testing.T) {
	path := isolate(t)
	writeConfig(t, path, "repo: file/repo\nconcurrency: 3\ncolor: always\napi_url: http://file\n")
	cfg, err := Load(flags())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Repo != "file/repo" || cfg.Concurrency != 3 || cfg.Color != "always" || cfg.APIURL != "http://file" || cfg.File != path {
		t.Errorf("from file: %+v", cfg)
	}
	t.Setenv("GH_REPO", "gh/env")
	t.Setenv("GHRUNS_CONCURRENCY", "5")
	t.Setenv("GHRUNS_API_URL", "http://env")
	cfg, _ = Load(flags())
	if cfg.Repo != "gh/env" || cfg.Concurrency != 5 || cfg.APIURL != "http://env" {
		t.Errorf("env over file: %+v", cfg)
	}
	t.Setenv("GHRUNS_REPO", "ghruns/env")
	cfg, _ = Load(flags())
	if cfg.Repo != "ghruns/env" {
		t.Errorf("GHRUNS_REPO over GH_REPO: %q", cfg.Repo)
	}
	cfg, _ = Load(flags("-R", "flag/repo", "--no-color"))
	if cfg.Repo != "flag/repo" || cfg.Color != "never" {
		t.Errorf("flags over env: %+v", cfg)
	}
}

func TestColorConventions(t *testing.T) {
	isolate(t)
	t.Setenv("NO_COLOR", "1")
	if cfg, _ := Load(flags()); cfg.Color != "never" {
		t.Errorf("NO_COLOR: %q", cfg.Color)
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("CLICOLOR_FORCE", "1")
	if cfg, _ := Load(flags()); cfg.Color != "always" {
		t.Errorf("CLICOLOR_FORCE: %q", cfg.Color)
	}
}

// TestEnvColor is the setting before the config is read, and the last
// word after it: both follow the same conventions.
func TestEnvColor(t *testing.T) {
	for _, tc := range []struct{ noColor, force, want string }{
		{"", "", "auto"}, {"1", "", "never"}, {"", "1", "always"}, {"", "0", "auto"}, {"1", "1", "never"},
	} {
		isolate(t)
		t.Setenv("NO_COLOR", tc.noColor)
		t.Setenv("CLICOLOR_FORCE", tc.force)
		cfg, err := Load(flags())
		if err != nil {
			t.Fatal(err)
		}
		if got := EnvColor(); got != tc.want || cfg.Color != tc.want {
			t.Errorf("NO_COLOR=%q CLICOLOR_FORCE=%q: EnvColor %q, Load %q; want %q", tc.noColor, tc.force, got, cfg.Color, tc.want)
		}
	}
}

func TestBadValues(t *testing.T) {
	path := isolate(t)
	cases := []struct{ file, env, want string }{
		{file: "concurrency: 0\n", want: "invalid concurrency 0 (from " + path + "): must be between 1 and 32"},
		{env: "33", want: "invalid concurrency 33 (from GHRUNS_CONCURRENCY)"},
		{env: "lots", want: `invalid concurrency "lots" (from GHRUNS_CONCURRENCY): must be a whole number`},
		{file: "color: purple\n", want: `invalid color "purple"`},
		{file: "repo: a/b\n  bad: [\n", want: "config file " + path + ": line 2"},
	}
	for _, tc := range cases {
		writeConfig(t, path, tc.file)
		t.Setenv("GHRUNS_CONCURRENCY", tc.env)
		_, err := Load(flags())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("file %q env %q: error %v, want %q", tc.file, tc.env, err, tc.want)
		}
	}
}

func TestPathFallsBackToHome(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/someone")
	p, err := Path()
	if err != nil || p != filepath.Join("/home/someone", ".config", "ghruns", "config.yml") {
		t.Errorf("Path() = %q, %v", p, err)
	}
}

func TestPricePerMinute(t *testing.T) {
	path := isolate(t)
	t.Setenv("GHRUNS_PRICE_PER_MINUTE", "")
	if cfg, _ := Load(flags()); cfg.PricePerMinute != DefaultPricePerMinute {
		t.Errorf("default price %v", cfg.PricePerMinute)
	}
	writeConfig(t, path, "price_per_minute: 0.016\n")
	if cfg, _ := Load(flags()); cfg.PricePerMinute != 0.016 {
		t.Errorf("price from file %v", cfg.PricePerMinute)
	}
	t.Setenv("GHRUNS_PRICE_PER_MINUTE", "-1")
	if _, err := Load(flags()); err == nil || !strings.Contains(err.Error(), "invalid price_per_minute \"-1\" (from GHRUNS_PRICE_PER_MINUTE)") {
		t.Errorf("negative price: %v", err)
	}
}

// TestCheckHost: host syntax and port range, for GH_HOST and -R.
func TestCheckHost(t *testing.T) {
	for host, want := range map[string]string{
		"github.com":           "",
		"ghe.example:8443":     "",
		"localhost:65535":      "",
		"localhost:0":          "port 0 is not between 1 and 65535",
		"127.0.0.1:99999":      "port 99999 is not between 1 and 65535",
		"localhost:":           `"localhost:" is not a host name`,
		"git hub.com":          `"git hub.com" is not a host name`,
		"-bad.example":         `"-bad.example" is not a host name`,
		"host:123456789012345": "port 123456789012345 is not between 1 and 65535",
	} {
		err := CheckHost(host)
		if got := fmt.Sprint(err); (want == "" && err != nil) || (want != "" && got != want) {
			t.Errorf("CheckHost(%q) = %v, want %q", host, err, want)
		}
	}
}

// TestNearestKey: a typo gets the key meant; a word far from every key
// gets no suggestion.
func TestNearestKey(t *testing.T) {
	for key, want := range map[string]string{
		"colour":               "color",
		"concurency":           "concurrency",
		"api-url":              "api_url",
		"price_per_min":        "price_per_minute",
		"pricing":              "",
		"frobnicate":           "",
		"timout":               "timeout",
		"write-rate":           "write_rate",
		"price_per_minute_mac": "price_per_minute_macos",
	} {
		if got := nearestKey(key); got != want {
			t.Errorf("nearestKey(%q) = %q, want %q", key, got, want)
		}
	}
}
