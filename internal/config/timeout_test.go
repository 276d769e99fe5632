package config

import (
	"strings"
	"testing"
	"time"
)

// TestTimeout: the timeout setting's default, its two spellings, where it
// comes from, and the values refused.
func TestTimeout(t *testing.T) {
	path := isolate(t)
	t.Setenv("GHRUNS_TIMEOUT", "")
	for _, tc := range []struct {
		file, env string
		want      time.Duration
		err       string
	}{
		{want: 30 * time.Second},
		{file: "timeout: 2m\n", want: 2 * time.Minute},
		{file: "timeout: 45\n", want: 45 * time.Second},
		{file: "timeout: 2m\n", env: "5s", want: 5 * time.Second},
		{env: "soon", err: `invalid timeout "soon" (from GHRUNS_TIMEOUT): must be a duration such as 30s or 2m, from 1s to 1h`},
		{env: "0", err: `invalid timeout "0" (from GHRUNS_TIMEOUT)`},
		{env: "-5s", err: `invalid timeout "-5s"`},
		{env: "99999999999999999", err: `invalid timeout "99999999999999999"`},
		{file: "timeout: 2h\n", err: `invalid timeout "2h" (from ` + path + `)`},
	} {
		writeConfig(t, path, tc.file)
		t.Setenv("GHRUNS_TIMEOUT", tc.env)
		cfg, err := Load(flags())
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("file %q env %q: error %v, want %q", tc.file, tc.env, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("file %q env %q: %v", tc.file, tc.env, err)
		case tc.err == "" && cfg.Timeout != tc.want:
			t.Errorf("file %q env %q: timeout %s, want %s", tc.file, tc.env, cfg.Timeout, tc.want)
		}
	}
}
