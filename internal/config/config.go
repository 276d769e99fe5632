// Package config resolves ghruns settings from flags, GHRUNS_* (and gh's)
// environment variables, the config file and defaults, in that order.
// It is the only package that knows about viper.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Defaults and bounds.
const (
	DefaultConcurrency = 8
	MaxConcurrency     = 32
	// GitHub's list prices of a minute on its standard hosted runners, in
	// USD, since 1 January 2026: Linux 2-core 0.006, Windows 2-core 0.010,
	// macOS 0.062 (https://docs.github.com/en/billing/reference/actions-runner-pricing,
	// looked up 2026-12-01). Before, they were 0.008, 0.016 and 0.08.
	DefaultPricePerMinute        = 0.006
	DefaultPricePerMinuteWindows = 0.010
	DefaultPricePerMinuteMacOS   = 0.062
	// DefaultTimeout is how long a request may stall before it fails.
	DefaultTimeout = 30 * time.Second
	// MinTimeout and MaxTimeout bound the timeout setting.
	MinTimeout = time.Second
	MaxTimeout = time.Hour
	// DefaultWriteRate is bulk writes a minute: 800 of the 900 points a
	// minute of GitHub's secondary limit, the rest left for reads.
	DefaultWriteRate = 160
	// MaxWriteRate bounds write_rate, for accounts with a higher limit.
	MaxWriteRate = 6000
)

// Config is the resolved set of settings.
type Config struct {
	// Repo is [HOST/]OWNER/REPO, or "" to use the current git repository.
	Repo string
	// Host is the GitHub host, or "" for gh's default.
	Host string
	// APIURL overrides the REST base URL of the host.
	APIURL string
	// Concurrency bounds parallel requests.
	Concurrency int
	// Color is auto, never or always.
	Color string
	// PricePerMinute, PricePerMinuteWindows and PricePerMinuteMacOS are the
	// prices of a minute on GitHub's standard Linux, Windows and macOS
	// runners, for usage's cost estimate.
	PricePerMinute, PricePerMinuteWindows, PricePerMinuteMacOS float64
	// Timeout is how long a request may stall (no answer, or no bytes)
	// before it fails.
	Timeout time.Duration
	// WriteRate is the pace of bulk writes, in writes a minute.
	WriteRate int
	// File is the config file that was read, or "" when there was none.
	File string
	// Warnings are about the config file (unknown keys), for stderr.
	Warnings []string
	// APIURLSource names where APIURL came from, for error messages.
	APIURLSource string
	// RepoSource names where Repo came from ("-R", an environment
	// variable or the config file), for error messages.
	RepoSource string
}

// envNames lists, per key, the environment variables that set it, strongest first.
var envNames = map[string][]string{
	"repo":        {"GHRUNS_REPO", "GH_REPO"},
	"host":        {"GHRUNS_HOST", "GH_HOST"},
	"api_url":     {"GHRUNS_API_URL"},
	"concurrency": {"GHRUNS_CONCURRENCY"},
	"timeout":     {"GHRUNS_TIMEOUT"},
	"color":       {"GHRUNS_COLOR"},
	// GitHub's list price of a Linux minute on a standard runner, in USD.
	"price_per_minute":         {"GHRUNS_PRICE_PER_MINUTE"},
	"price_per_minute_windows": {"GHRUNS_PRICE_PER_MINUTE_WINDOWS"},
	"price_per_minute_macos":   {"GHRUNS_PRICE_PER_MINUTE_MACOS"},
	"write_rate":               {"GHRUNS_WRITE_RATE"},
}

// Path is the config file's location: $XDG_CONFIG_HOME/ghruns/config.yml,
// else ~/.config/ghruns/config.yml, on every OS.
func Path() (string, error) {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "ghruns", "config.yml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the config file: %w", err)
	}
	return filepath.Join(home, ".config", "ghruns", "config.yml"), nil
}

// Load resolves the settings. flags may carry "repo" and "no-color"; a flag
// counts only when the user set it.
func Load(flags *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	v.SetDefault("concurrency", DefaultConcurrency)
	v.SetDefault("color", "auto")
	v.SetDefault("price_per_minute", DefaultPricePerMinute)
	v.SetDefault("price_per_minute_windows", DefaultPricePerMinuteWindows)
	v.SetDefault("price_per_minute_macos", DefaultPricePerMinuteMacOS)
	v.SetDefault("timeout", DefaultTimeout.String())
	v.SetDefault("write_rate", DefaultWriteRate)
	for key, names := range envNames {
		if err := v.BindEnv(append([]string{key}, names...)...); err != nil {
			return nil, err
		}
	}
	if f := flags.Lookup("repo"); f != nil {
		if err := v.BindPFlag("repo", f); err != nil {
			return nil, err
		}
	}

	path, err := Path()
	if err != nil {
		return nil, err
	}
	file := ""
	var warnings []string
	v.SetConfigType("yaml")
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("config file %s: %w", path, err)
	default:
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("config file %s: %s", path, strings.TrimPrefix(unwrapAll(err).Error(), "yaml: "))
		}
		file = path
		if warnings, err = checkFile(data, file); err != nil {
			return nil, err
		}
	}

	cfg := &Config{
		Repo:     strings.TrimSpace(v.GetString("repo")),
		Host:     strings.TrimSpace(v.GetString("host")),
		APIURL:   strings.TrimSpace(v.GetString("api_url")),
		Color:    colorSetting(v, flags),
		File:     file,
		Warnings: warnings,
	}
	if cfg.Repo != "" {
		cfg.RepoSource = source(v, "repo", file)
		if f := flags.Lookup("repo"); f != nil && f.Changed {
			cfg.RepoSource = "-R"
		}
	}
	if cfg.Host != "" {
		if err := CheckHost(cfg.Host); err != nil {
			return nil, fmt.Errorf("invalid host (from %s): %w", source(v, "host", file), err)
		}
	}
	if cfg.APIURL != "" {
		cfg.APIURLSource = source(v, "api_url", file)
		if err := checkAPIURL(cfg.APIURL); err != nil {
			return nil, fmt.Errorf("invalid api_url (from %s): %w", cfg.APIURLSource, err)
		}
	}
	cfg.Concurrency, err = intSetting(v, "concurrency", file)
	if err != nil {
		return nil, err
	}
	if cfg.Concurrency < 1 || cfg.Concurrency > MaxConcurrency {
		return nil, fmt.Errorf("invalid concurrency %d (from %s): must be between 1 and %d",
			cfg.Concurrency, source(v, "concurrency", file), MaxConcurrency)
	}
	if cfg.WriteRate, err = intSetting(v, "write_rate", file); err != nil {
		return nil, err
	}
	if cfg.WriteRate < 1 || cfg.WriteRate > MaxWriteRate {
		return nil, fmt.Errorf("invalid write_rate %d (from %s): must be between 1 and %d writes a minute",
			cfg.WriteRate, source(v, "write_rate", file), MaxWriteRate)
	}
	for _, p := range []struct {
		key string
		dst *float64
	}{
		{"price_per_minute", &cfg.PricePerMinute},
		{"price_per_minute_windows", &cfg.PricePerMinuteWindows},
		{"price_per_minute_macos", &cfg.PricePerMinuteMacOS},
	} {
		key, dst := p.key, p.dst
		price := strings.TrimSpace(fmt.Sprint(v.Get(key)))
		*dst, err = strconv.ParseFloat(price, 64)
		if err != nil || *dst < 0 || math.IsNaN(*dst) || math.IsInf(*dst, 0) {
			return nil, fmt.Errorf("invalid %s %q (from %s): must be a number of 0 or more", key, price, source(v, key, file))
		}
	}
	if cfg.Timeout, err = timeoutSetting(v, file); err != nil {
		return nil, err
	}
	switch cfg.Color {
	case "auto", "never", "always":
	default:
		return nil, fmt.Errorf("invalid color %q (from %s): must be auto, never or always", cfg.Color, source(v, "color", file))
	}
	return cfg, nil
}

// colorSetting applies --no-color, then ghruns' own setting, then the
// NO_COLOR and CLICOLOR_FORCE conventions.
func colorSetting(v *viper.Viper, flags *pflag.FlagSet) string {
	if f := flags.Lookup("no-color"); f != nil && f.Changed && f.Value.String() == "true" {
		return "never"
	}
	if v.InConfig("color") || os.Getenv("GHRUNS_COLOR") != "" {
		return strings.ToLower(strings.TrimSpace(v.GetString("color")))
	}
	return EnvColor()
}

// EnvColor is the colour setting the NO_COLOR (https://no-color.org) and
// CLICOLOR_FORCE conventions ask for, else auto. It is also the setting
// before the config is read, which needs flags a command has not parsed yet.
func EnvColor() string {
	switch {
	case os.Getenv("NO_COLOR") != "":
		return "never"
	case os.Getenv("CLICOLOR_FORCE") != "" && os.Getenv("CLICOLOR_FORCE") != "0":
		return "always"
	}
	return "auto"
}

func intSetting(v *viper.Viper, key, file string) (int, error) {
	raw := strings.TrimSpace(fmt.Sprint(v.Get(key)))
	var n int
	if _, err := fmt.Sscanf(raw, "%d", &n); err != nil || fmt.Sprint(n) != raw {
		return 0, fmt.Errorf("invalid %s %q (from %s): must be a whole number", key, raw, source(v, key, file))
	}
	return n, nil
}

// timeoutSetting reads the timeout: a duration ("45s", "2m") or a whole
// number of seconds.
func timeoutSetting(v *viper.Viper, file string) (time.Duration, error) {
	raw := strings.TrimSpace(fmt.Sprint(v.Get("timeout")))
	d, err := time.ParseDuration(raw)
	if secs, serr := strconv.Atoi(raw); serr == nil {
		d, err = time.Duration(secs)*time.Second, nil
		if secs > int(MaxTimeout/time.Second) {
			d = MaxTimeout + 1
		}
	}
	if err != nil || d < MinTimeout || d > MaxTimeout {
		return 0, fmt.Errorf("invalid timeout %q (from %s): must be a duration such as 30s or 2m, from %s to %s",
			raw, source(v, "timeout", file), MinTimeout, "1h")
	}
	return d, nil
}

// source names where a setting came from, for error messages.
func source(v *viper.Viper, key, file string) string {
	for _, name := range envNames[key] {
		if os.Getenv(name) != "" {
			return name
		}
	}
	if v.InConfig(key) {
		return file
	}
	return "default"
}

func unwrapAll(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// CacheDir is where ghruns keeps answers for conditional requests:
// $XDG_CACHE_HOME/ghruns, else ~/.cache/ghruns; "" when neither is known.
func CacheDir() string {
	if dir := os.Getenv("XDG_CACHE_HOME"); dir != "" {
		return filepath.Join(dir, "ghruns")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "ghruns")
}
