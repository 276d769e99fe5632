package cancel

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fake starts the seeded fake GitHub, on the fixed clock, and points
// ghruns at it. It calls Isolate.
func fake(t *testing.T) *fakegh.Server {
	t.Helper()
	cmdtest.Isolate(t)
	s, _ := cmdtest.Fake(t, 4)
	s.Now = func() time.Time { return cmdtest.Now }
	t.Setenv("GHRUNS_API_URL", s.URL)
	return s
}

type result struct {
	out, errOut string
	err         error
}

// execCmd runs the whole cancel command, TTY or not, with stdin.
func execCmd(t *testing.T, tty bool, stdin string, args ...string) result {
	t.Helper()
	ios, in, out, errOut := cmdtest.Streams(tty)
	in.WriteString(stdin)
	env := cmdtest.Env(ios)
	err := cmdtest.Exec(env, NewCmd(env, nil), args...)
	return result{out.String(), errOut.String(), err}
}

// golden compares both streams with testdata/NAME.golden, or writes it with -update.
func golden(t *testing.T, name string, r result) {
	t.Helper()
	got := "-- stdout --\n" + r.out + "-- stderr --\n" + r.errOut
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// posts counts the POST requests the fake received, by path.
func posts(s *fakegh.Server) map[string]int {
	n := map[string]int{}
	for _, r := range s.Requests() {
		if r.Method != "GET" {
			n[r.Method+" "+r.Path]++
		}
	}
	return n
}

func ttyName(tty bool) string {
	if tty {
		return "tty"
	}
	return "notty"
}
