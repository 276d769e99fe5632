package download

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/picker"
)

func newCmd(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }

// body is what the seed's archive of an artifact holds.
func body(name string, run int64) string {
	return "artifact " + name + " of run " + cmdtest.Arg(run) + "\n"
}

// files lists the files under dir, slash-separated, with their contents.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, err := os.ReadFile(p)
			got[filepath.ToSlash(rel)] = string(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func sameFiles(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := files(t, dir)
	if len(got) != len(want) {
		t.Errorf("%s holds %v\nwant %v", dir, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s holds %v\nwant %v", dir, got, want)
			return
		}
	}
}

// TestDownloadRun: a run's artifacts, each in a folder of its name, the
// archives fetched from the storage host without the token.
func TestDownloadRun(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	out, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun))
	if err != nil {
		t.Fatal(err)
	}
	if out != "" {
		t.Errorf("stdout %q", out)
	}
	want := "extracted 1 file of artifact test-results (ID 9000001101) into test-results\n" +
		"extracted 1 file of artifact coverage (ID 9000001102) into coverage\n"
	if errOut != want {
		t.Errorf("stderr %q\nwant %q", errOut, want)
	}
	sameFiles(t, ".", map[string]string{
		"test-results/test-results.txt": body("test-results", fakegh.FailedRun),
		"coverage/coverage.txt":         body("coverage", fakegh.FailedRun),
	})
	logReqs := s.LogRequests()
	if len(logReqs) != 2 {
		t.Errorf("%d requests to the storage host, want 2", len(logReqs))
	}
	for _, r := range logReqs {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the storage host received a token: %s", r.Path)
		}
	}
}

// TestDownloadLayout: gh's rule, one folder per artifact unless a single
// name is asked for; a pattern makes folders even when one artifact matches.
func TestDownloadLayout(t *testing.T) {
	run := cmdtest.Arg(fakegh.ReleaseRun)
	for _, tc := range []struct {
		name string
		args []string
		want map[string]string
	}{
		{"one name", []string{"-n", "dist-linux"}, map[string]string{
			"out/dist-linux.txt": body("dist-linux", fakegh.ReleaseRun)}},
		{"two names", []string{"-n", "dist-linux", "--name", "dist-macos"}, map[string]string{
			"out/dist-linux/dist-linux.txt": body("dist-linux", fakegh.ReleaseRun),
			"out/dist-macos/dist-macos.txt": body("dist-macos", fakegh.ReleaseRun)}},
		{"pattern matching one", []string{"-p", "*-linux"}, map[string]string{
			"out/dist-linux/dist-linux.txt": body("dist-linux", fakegh.ReleaseRun)}},
		{"patterns and a name", []string{"-p", "dist-[lw]*", "--pattern", "nothing?", "-n", "test-results"}, map[string]string{
			"out/dist-linux/dist-linux.txt":     body("dist-linux", fakegh.ReleaseRun),
			"out/dist-windows/dist-windows.txt": body("dist-windows", fakegh.ReleaseRun),
			"out/test-results/test-results.txt": body("test-results", fakegh.ReleaseRun)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmdtest.Serve(t)
			t.Chdir(t.TempDir())
			_, _, err := cmdtest.Run(false, "", newCmd, append([]string{run, "-D", "out"}, tc.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			sameFiles(t, ".", tc.want)
		})
	}
}

// TestDownloadRepository: without a run, the newest artifact of each name
// in the repository; names are asked of GitHub, which filters by them.
func TestDownloadRepository(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	if _, _, err := cmdtest.Run(false, "", newCmd, "-n", "test-results", "-n", "coverage"); err != nil {
		t.Fatal(err)
	}
	// FailedRun (CI#55) is the newest run with both.
	sameFiles(t, ".", map[string]string{
		"test-results/test-results.txt": body("test-results", fakegh.FailedRun),
		"coverage/coverage.txt":         body("coverage", fakegh.FailedRun),
	})
	var queries []string
	for _, r := range s.Requests() {
		if r.Path == "/repos/octo/hello/actions/artifacts" {
			queries = append(queries, r.Query.Get("name"))
		}
	}
	// Sent together, they arrive in any order.
	slices.Sort(queries)
	if !slices.Equal(queries, []string{"coverage", "test-results"}) {
		t.Errorf("listings by name %q", queries)
	}

	// In a pipe with neither run nor name: every name, newest of each.
	t.Chdir(t.TempDir())
	if _, _, err := cmdtest.Run(false, "", newCmd); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, a := range []struct {
		name string
		run  int64
	}{
		{"deploy-manifest", fakegh.SuccessfulRun}, {"test-results", fakegh.FailedRun}, {"coverage", fakegh.FailedRun},
		{"e2e-screenshots", fakegh.CancelledRun}, {"dist-linux", fakegh.ReleaseRun}, {"dist-macos", fakegh.ReleaseRun},
		{"dist-windows", fakegh.ReleaseRun},
	} {
		want[a.name+"/"+a.name+".txt"] = body(a.name, a.run)
	}
	sameFiles(t, ".", want)
}

// TestDownloadExpired: expired artifacts are skipped with a note; when
// nothing else is left, the command fails.
func TestDownloadExpired(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	_, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.DependabotRun))
	if want := "nothing to download: every artifact of run 7000000102 has expired"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if cmdutil.ExitCode(err) != 1 {
		t.Errorf("exit code %d", cmdutil.ExitCode(err))
	}
	if errOut != "" {
		t.Errorf("stderr %q", errOut)
	}

	s.AddArtifacts(fakegh.Artifact{ID: 42, Name: "old-report", RunID: fakegh.DependabotRun, Expired: true},
		fakegh.Artifact{ID: 43, Name: "new-report", RunID: fakegh.DependabotRun})
	_, errOut, err = cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.DependabotRun), "-p", "*-report")
	if err != nil {
		t.Fatal(err)
	}
	want := "note: skipped artifact old-report (ID 42): it has expired\n" +
		"extracted 1 file of artifact new-report (ID 43) into new-report\n"
	if errOut != want {
		t.Errorf("stderr %q\nwant %q", errOut, want)
	}
	sameFiles(t, ".", map[string]string{"new-report/new-report.txt": body("new-report", fakegh.DependabotRun)})
	for _, r := range s.LogRequests() {
		if strings.Contains(r.Path, "/42/") {
			t.Error("the expired artifact was requested")
		}
	}

	_, _, err = cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.DependabotRun), "-n", "old-report")
	if want := "nothing to download: every artifact that matches has expired"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestDownloadNoMatch fails, exit 1, when no name or pattern matches.
func TestDownloadNoMatch(t *testing.T) {
	cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	_, _, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun), "-n", "dist-linux", "-p", "x*")
	if want := "nothing to download: no artifact matches the names and patterns given"; err == nil || err.Error() != want || cmdutil.ExitCode(err) != 1 {
		t.Errorf("error %v (exit %d), want %q", err, cmdutil.ExitCode(err), want)
	}
	_, _, err = cmdtest.Run(false, "", newCmd, "999")
	if want := "list the artifacts of run 999: not found in octo/hello (HTTP 404)"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	_, _, err = cmdtest.Run(false, "", newCmd, "-n", "no-such-artifact")
	if err == nil || !strings.Contains(err.Error(), "repository octo/hello has no artifacts") {
		t.Errorf("error %v", err)
	}
}

// TestDownloadBadInput is refused before any request.
func TestDownloadBadInput(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	os.WriteFile("file", nil, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"abc"}, `invalid run ID "abc": want a positive whole number`},
		{[]string{"0"}, `invalid run ID "0": want a positive whole number`},
		{[]string{"--", "-5"}, `invalid run ID "-5": want a positive whole number`},
		{[]string{"1", "2"}, `download: unexpected argument "2"`},
		{[]string{"1", "-p", "[a-"}, `invalid --pattern "[a-": not a glob (*, ?, [a-z], \ to escape)`},
		{[]string{"-p", ""}, `invalid --pattern "": not a glob (*, ?, [a-z], \ to escape)`},
		{[]string{"-n", ""}, `--name needs a value`},
		{[]string{"1", "-D", "file"}, `--dir file: not a directory`},
		{[]string{"1", "-D", ""}, `--dir needs a directory`},
	} {
		_, _, err := cmdtest.Run(false, "", newCmd, tc.args...)
		cmdtest.WantFlagError(t, err, tc.want, false)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestDownloadHostileArchive: an archive with an entry that would leave
// the folder, or a link, is refused before anything is written.
func TestDownloadHostileArchive(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []fakegh.ZipFile
		wantErr string
	}{
		{"parent", []fakegh.ZipFile{{Name: "ok.txt", Body: "ok"}, {Name: "../evil.txt", Body: "x"}},
			`archive entry "../evil.txt" escapes the folder`},
		{"nested parent", []fakegh.ZipFile{{Name: "a/../../evil.txt", Body: "x"}},
			`archive entry "a/../../evil.txt" escapes the folder`},
		{"absolute", []fakegh.ZipFile{{Name: "/tmp/evil.txt", Body: "x"}},
			`archive entry "/tmp/evil.txt": absolute or unsafe path`},
		{"backslash", []fakegh.ZipFile{{Name: `..\evil.txt`, Body: "x"}},
			`archive entry "..\\evil.txt": absolute or unsafe path`},
		{"symlink", []fakegh.ZipFile{{Name: "ok.txt", Body: "ok"}, {Name: "link", Body: "/etc/passwd", Symlink: true}},
			`archive entry "link" is a symbolic link; refusing to extract`},
		{"bomb", []fakegh.ZipFile{{Name: "zeros", Body: strings.Repeat("\x00", 4<<20)}},
			"more than the 100 times ghruns download allows; it looks like a zip bomb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			base := t.TempDir()
			work := filepath.Join(base, "a", "b")
			os.MkdirAll(work, 0o755)
			t.Chdir(work)
			s.AddArtifacts(fakegh.Artifact{ID: 77, Name: "evil", RunID: fakegh.FailedRun, Zip: fakegh.ArtifactZip(tc.entries...)})
			for _, args := range [][]string{{"-n", "evil", "-D", "out"}, {"-n", "evil"}, {"-p", "evil"}} {
				_, errOut, err := cmdtest.Run(false, "", newCmd, append([]string{cmdtest.Arg(fakegh.FailedRun)}, args...)...)
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "download artifact evil (ID 77): ") {
					t.Errorf("%v: error %v\nwant %q", args, err, tc.wantErr)
				}
				if errOut != "" {
					t.Errorf("%v: stderr %q", args, errOut)
				}
			}
			if got := files(t, base); len(got) != 0 {
				t.Errorf("written: %v", got)
			}
		})
	}
}

// TestDownloadUnsafeNames: an artifact whose name cannot be a folder is
// refused, the others are downloaded, and the command exits 1; nothing
// of a name reaches the terminal raw.
func TestDownloadUnsafeNames(t *testing.T) {
	s := cmdtest.Serve(t)
	base := t.TempDir()
	work := filepath.Join(base, "a", "b")
	os.MkdirAll(work, 0o755)
	t.Chdir(work)
	s.AddArtifacts(
		fakegh.Artifact{ID: 1, Name: "../escape", RunID: fakegh.SuccessfulRun},
		fakegh.Artifact{ID: 2, Name: "a/b", RunID: fakegh.SuccessfulRun},
		fakegh.Artifact{ID: 3, Name: "..", RunID: fakegh.SuccessfulRun},
		fakegh.Artifact{ID: 4, Name: "red\x1b[31m", RunID: fakegh.SuccessfulRun},
		fakegh.Artifact{ID: 5, Name: `c:\x`, RunID: fakegh.SuccessfulRun},
	)
	_, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.SuccessfulRun), "-D", "out")
	if err == nil || cmdutil.ExitCode(err) != 1 {
		t.Errorf("error %v, want exit 1", err)
	}
	for _, want := range []string{
		`download artifact "../escape" (ID 1): its name holds a path separator, so it cannot be a folder name; skipped`,
		`download artifact "a/b" (ID 2): its name holds a path separator, so it cannot be a folder name; skipped`,
		`download artifact ".." (ID 3): its name is "..", so it cannot be a folder name; skipped`,
		`download artifact "red\x1b[31m" (ID 4): its name holds a control character, so it cannot be a folder name; skipped`,
		`download artifact "c:\\x" (ID 5): its name holds a path separator, so it cannot be a folder name; skipped`,
		"extracted 1 file of artifact deploy-manifest (ID 9000001111) into " + filepath.Join("out", "deploy-manifest"),
	} {
		if !strings.Contains(errOut, want+"\n") {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "\x1b") {
		t.Errorf("stderr holds an escape: %q", errOut)
	}
	sameFiles(t, base, map[string]string{
		"a/b/out/deploy-manifest/deploy-manifest.txt": body("deploy-manifest", fakegh.SuccessfulRun),
	})

	// A single name goes into the directory itself: its name is no folder.
	t.Chdir(t.TempDir())
	if _, _, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.SuccessfulRun), "-n", "a/b"); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, ".", map[string]string{"a/b.txt": body("a/b", fakegh.SuccessfulRun)})
}

// TestDownloadClobber: a file already there is never replaced without
// --clobber; the refusal names it and changes nothing.
func TestDownloadClobber(t *testing.T) {
	cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	os.Mkdir("coverage", 0o755)
	os.WriteFile(filepath.Join("coverage", "coverage.txt"), []byte("mine"), 0o644)
	_, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun), "-n", "coverage", "-n", "test-results")
	if err == nil || cmdutil.ExitCode(err) != 1 {
		t.Errorf("error %v, want exit 1", err)
	}
	want := "extracted 1 file of artifact test-results (ID 9000001101) into test-results\n" +
		"download artifact coverage (ID 9000001102): " + filepath.Join("coverage", "coverage.txt") + " already exists; use --clobber to overwrite\n"
	if errOut != want {
		t.Errorf("stderr %q\nwant %q", errOut, want)
	}
	sameFiles(t, ".", map[string]string{
		"coverage/coverage.txt":         "mine",
		"test-results/test-results.txt": body("test-results", fakegh.FailedRun),
	})

	// One name, into the directory itself.
	_, _, err = cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun), "-n", "coverage", "-D", "coverage")
	if want := "download artifact coverage (ID 9000001102): " + filepath.Join("coverage", "coverage.txt") + " already exists; use --clobber to overwrite"; err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %q", err, want)
	}
	if b, _ := os.ReadFile(filepath.Join("coverage", "coverage.txt")); string(b) != "mine" {
		t.Errorf("replaced without --clobber: %q", b)
	}

	if _, _, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun), "--clobber"); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, ".", map[string]string{
		"coverage/coverage.txt":         body("coverage", fakegh.FailedRun),
		"test-results/test-results.txt": body("test-results", fakegh.FailedRun),
	})
}

// multiPick ticks the options at the given indexes, or fails with err,
// and keeps what it was offered.
type multiPick struct {
	pick    []int
	err     error
	offered []string
}

func (p *multiPick) Select(_, _ string, options []string) (int, error) { return 0, nil }
func (p *multiPick) MultiSelect(_ string, options []string) ([]int, error) {
	p.offered = options
	return p.pick, p.err
}

func runPicking(t *testing.T, p *multiPick, args ...string) (string, error) {
	t.Helper()
	ios, _, _, errOut := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	env.Prompter = p
	err := cmdtest.Exec(env, NewCmd(env, nil), args...)
	return errOut.String(), err
}

// TestDownloadPrompt: on a terminal with no run, name or pattern, the
// person picks names among the repository's newest artifacts (sanitised,
// each once); one picked goes into the directory itself.
func TestDownloadPrompt(t *testing.T) {
	s := cmdtest.Serve(t)
	s.AddArtifacts(fakegh.Artifact{ID: 50, Name: "bad\x1b[2Jname", RunID: fakegh.FailedRun})
	t.Chdir(t.TempDir())
	p := &multiPick{pick: []int{3}}
	if _, err := runPicking(t, p); err != nil {
		t.Fatal(err)
	}
	want := []string{"deploy-manifest", "badname", "test-results", "coverage", "e2e-screenshots", "dist-linux", "dist-macos", "dist-windows"}
	if !slices.Equal(p.offered, want) {
		t.Errorf("offered %q\nwant %q", p.offered, want)
	}
	sameFiles(t, ".", map[string]string{"coverage.txt": body("coverage", fakegh.FailedRun)})

	t.Chdir(t.TempDir())
	p = &multiPick{pick: []int{0, 5}}
	if _, err := runPicking(t, p); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, ".", map[string]string{
		"deploy-manifest/deploy-manifest.txt": body("deploy-manifest", fakegh.SuccessfulRun),
		"dist-linux/dist-linux.txt":           body("dist-linux", fakegh.ReleaseRun),
	})

	_, err := runPicking(t, &multiPick{})
	if err == nil || err.Error() != "no artifacts selected" || cmdutil.ExitCode(err) != 1 {
		t.Errorf("error %v", err)
	}
	// Ctrl-C at the list cancels, as at every list: exit 2.
	if _, err := runPicking(t, &multiPick{err: picker.ErrInterrupted}); cmdutil.ExitCode(err) != 2 {
		t.Errorf("error %v, exit %d; want 2", err, cmdutil.ExitCode(err))
	}

	// A run ID, or a name, means no question.
	t.Chdir(t.TempDir())
	p = &multiPick{}
	if _, err := runPicking(t, p, cmdtest.Arg(fakegh.SuccessfulRun)); err != nil || p.offered != nil {
		t.Errorf("error %v, offered %q", err, p.offered)
	}
}

// TestDownloadProgress: a meter on stderr when it is a terminal.
func TestDownloadProgress(t *testing.T) {
	cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	_, errOut, err := cmdtest.Run(true, "", newCmd, cmdtest.Arg(fakegh.SuccessfulRun))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "\r\x1b[Kdownloading artifact deploy-manifest (ID 9000001111): ") ||
		!strings.HasSuffix(errOut, "\r\x1b[Kextracted 1 file of artifact deploy-manifest (ID 9000001111) into deploy-manifest\n") {
		t.Errorf("stderr %q", errOut)
	}
}

// TestParse: the flags as the options hold them.
func TestParse(t *testing.T) {
	cmdtest.Isolate(t)
	ios, _, _, _ := cmdtest.Streams(false)
	o, err := cmdtest.Parse(ios, NewCmd, "7", "-n", "a b", "-n", "c", "-p", "d*", "-D", "x", "--clobber")
	if err != nil {
		t.Fatal(err)
	}
	if o.RunID != 7 || !slices.Equal(o.Names, []string{"a b", "c"}) || !slices.Equal(o.Patterns, []string{"d*"}) ||
		o.Dir != "x" || !o.Clobber || o.Prompt {
		t.Errorf("options %+v", o)
	}
	o, err = cmdtest.Parse(ios, NewCmd)
	if err != nil || o.Dir != "." || o.Prompt {
		t.Errorf("defaults %+v, %v", o, err)
	}
}
