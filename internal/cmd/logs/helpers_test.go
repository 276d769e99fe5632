package logs

import (
	"archive/zip"
	"bytes"
	"os"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

type result struct {
	out, errOut string
	err         error
}

// execCmd runs a whole logs subcommand, built by newCmd, TTY or not.
func execCmd(t *testing.T, newCmd func(*cmdutil.Env) *cobra.Command, tty bool, stdin string, args ...string) result {
	t.Helper()
	out, errOut, err := cmdtest.Run(tty, stdin, newCmd, args...)
	return result{out, errOut, err}
}

func download(env *cmdutil.Env) *cobra.Command  { return NewDownloadCmd(env, nil) }
func deleteCmd(env *cmdutil.Env) *cobra.Command { return NewDeleteCmd(env, nil) }

// zipOf builds a zip archive of name → content, stored uncompressed.
func zipOf(t *testing.T, files map[string][]byte, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(files[name])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// setLogs replaces a run's log archive in the fake.
func setLogs(s *fakegh.Server, id int64, data []byte) {
	r, _ := s.Run(id)
	r.Logs = data
	s.AddRuns(r)
}

// dirList lists the names in dir, hidden ones included.
func dirList(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
