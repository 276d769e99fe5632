package logs

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/output"
)

// TestDownloadFileAppearsMeanwhile: a file created at the target while the
// archive downloads is kept, and the download says so.
func TestDownloadFileAppearsMeanwhile(t *testing.T) {
	s := cmdtest.Serve(t)
	dir := t.TempDir()
	t.Chdir(dir)
	target := filepath.Join(dir, "ci.zip")
	cmdtest.FrontLogHost(t, s, func(w http.ResponseWriter, r *http.Request, pass http.Handler) {
		os.WriteFile(target, []byte("theirs"), 0o644)
		pass.ServeHTTP(w, r)
	})

	r := execCmd(t, download, false, "", "7000000110", "-o", "ci.zip")
	if r.err == nil || r.err.Error() != "ci.zip already exists; use --clobber to overwrite it" {
		t.Errorf("error %v", r.err)
	}
	if r.errOut != "" {
		t.Errorf("stderr %q", r.errOut)
	}
	if b, _ := os.ReadFile(target); string(b) != "theirs" {
		t.Errorf("ci.zip holds %q, want the file written meanwhile", b)
	}
	if names := dirList(t, dir); !slices.Equal(names, []string{"ci.zip"}) {
		t.Errorf("folder holds %v", names)
	}

	// With --clobber, it is replaced.
	r = execCmd(t, download, false, "", "7000000110", "-o", "ci.zip", "--clobber")
	run, _ := s.Run(7000000110)
	if b, _ := os.ReadFile(target); r.err != nil || !bytes.Equal(b, run.Logs) {
		t.Errorf("--clobber: error %v, ci.zip of %d bytes", r.err, len(b))
	}
}

// TestDownloadStdoutTerminal refuses to print zip bytes on a terminal,
// before any request.
func TestDownloadStdoutTerminal(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	r := execCmd(t, download, true, "", "7000000110", "-o", "-")
	want := "refusing to write a zip archive to the terminal\nhint: redirect standard output (-o - > logs.zip), pipe it, or name a file with -o"
	if r.err == nil || r.err.Error() != want || r.out != "" {
		t.Errorf("error %v, stdout %d bytes; want %q", r.err, len(r.out), want)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// unzipped lists the files under dir, slash-separated, with their contents.
func unzipped(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return got
}

// TestDownloadExtractRefused: archives that cannot be unpacked faithfully
// or safely are refused before anything is written, into a new folder or
// an existing one.
func TestDownloadExtractRefused(t *testing.T) {
	deflated := func(name string, size int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create(name)
		w.Write(make([]byte, size))
		zw.Close()
		return buf.Bytes()
	}
	// Its header claims 11 GiB; the data is never read.
	huge := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "0_build.txt", Method: zip.Store, UncompressedSize64: 11 << 30, CompressedSize64: 4})
		w.Write([]byte("tiny"))
		zw.Close()
		return buf.Bytes()
	}
	link := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("0_build.txt")
		w.Write([]byte("fine\n"))
		h := &zip.FileHeader{Name: "build/1_step.txt"}
		h.SetMode(os.ModeSymlink | 0o777)
		w, _ = zw.CreateHeader(h)
		w.Write([]byte("../../outside"))
		zw.Close()
		return buf.Bytes()
	}
	bomb := deflated("0_build.txt", 3<<20)
	two := func(a, b string) []byte {
		return zipOf(t, map[string][]byte{a: []byte("one\n"), b: []byte("two\n")}, a, b)
	}
	for _, tc := range []struct {
		name    string
		archive []byte
		wantErr string
	}{
		{"duplicate", two("build/1_step.txt", "build/1_step.txt"),
			`archive entry "build/1_step.txt": build/1_step.txt appears twice; refusing to extract`},
		{"duplicate after cleaning", two("build/1_step.txt", "build//1_step.txt"),
			`archive entry "build//1_step.txt": build/1_step.txt appears twice; refusing to extract`},
		{"file then folder", two("a", "a/b"),
			`archive entry "a/b": a is both a file and a folder; refusing to extract`},
		{"folder then file", two("a/b", "a"),
			`archive entry "a": a is both a file and a folder; refusing to extract`},
		{"ratio", bomb, fmt.Sprintf("the archive's %s unpack to 3.0 MiB, %d times its size, more than the 100 times --extract allows; it looks like a zip bomb\nhint: save it with -o to inspect it",
			output.ByteSize(int64(len(bomb))), (3<<20)/len(bomb))},
		{"total", huge(),
			"the archive unpacks to more than 10.0 GiB, the limit of --extract\nhint: save it with -o and unpack it with a tool of your choice"},
		{"symbolic link entry", link(),
			`archive entry "build/1_step.txt" is a symbolic link; refusing to extract`},
	} {
		for _, existing := range []bool{false, true} {
			name := tc.name + map[bool]string{false: "/new folder", true: "/existing folder"}[existing]
			t.Run(name, func(t *testing.T) {
				s := cmdtest.Serve(t)
				dir := t.TempDir()
				t.Chdir(dir)
				setLogs(s, 7000000110, tc.archive)
				if existing {
					os.MkdirAll(filepath.Join("out", "keep"), 0o755)
					os.WriteFile(filepath.Join("out", "keep", "mine.txt"), []byte("mine"), 0o644)
				}
				r := execCmd(t, download, false, "", "7000000110", "-x", "out", "--clobber")
				if r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr) {
					t.Errorf("error %v\nwant %q", r.err, tc.wantErr)
				}
				if r.errOut != "" {
					t.Errorf("stderr %q", r.errOut)
				}
				if !existing {
					if names := dirList(t, dir); len(names) != 0 {
						t.Errorf("written: %v", names)
					}
					return
				}
				if got := unzipped(t, "out"); len(got) != 1 || got["keep/mine.txt"] != "mine" {
					t.Errorf("out holds %v, want keep/mine.txt alone", got)
				}
				if names := dirList(t, "out"); !slices.Equal(names, []string{"keep"}) {
					t.Errorf("out holds %v", names)
				}
			})
		}
	}
}

// TestDownloadExtractAllOrNothing: an entry that fails to unpack (its data
// does not match its checksum) leaves no file of the archive behind.
func TestDownloadExtractAllOrNothing(t *testing.T) {
	files := map[string][]byte{"0_build.txt": []byte("whole job\n"), "build/1_step.txt": []byte("step one\n"), "build/2_step.txt": []byte("step two\n")}
	data := zipOf(t, files, "0_build.txt", "build/1_step.txt", "build/2_step.txt")
	i := bytes.LastIndex(data, []byte("step two"))
	data[i] = 'S' // the stored checksum no longer matches
	for _, existing := range []bool{false, true} {
		t.Run(map[bool]string{false: "new folder", true: "existing folder"}[existing], func(t *testing.T) {
			s := cmdtest.Serve(t)
			dir := t.TempDir()
			t.Chdir(dir)
			setLogs(s, 7000000110, data)
			if existing {
				os.Mkdir("out", 0o755)
				os.WriteFile(filepath.Join("out", "mine.txt"), []byte("mine"), 0o644)
			}
			r := execCmd(t, download, false, "", "7000000110", "-x", "out")
			if want := `archive entry "build/2_step.txt": zip: checksum error`; r.err == nil || r.err.Error() != want {
				t.Errorf("error %v, want %q", r.err, want)
			}
			if !existing {
				if names := dirList(t, dir); len(names) != 0 {
					t.Errorf("written: %v", names)
				}
				return
			}
			if got := unzipped(t, "out"); len(got) != 1 || got["mine.txt"] != "mine" {
				t.Errorf("out holds %v, want mine.txt alone", got)
			}
		})
	}
}

// TestDownloadExtractNewFolder: a folder named with a trailing slash, in
// folders that do not exist yet, is made with its parents.
func TestDownloadExtractNewFolder(t *testing.T) {
	cmdtest.Serve(t)
	dir := t.TempDir()
	t.Chdir(dir)
	r := execCmd(t, download, false, "", "7000000110", "-x", "a/b/logs/")
	if r.err != nil || r.errOut != "extracted 8 files of the logs of run 7000000110 into a/b/logs/\n" {
		t.Fatalf("error %v, stderr %q", r.err, r.errOut)
	}
	if got := unzipped(t, filepath.Join("a", "b", "logs")); len(got) != 8 {
		t.Errorf("a/b/logs holds %d files, want 8", len(got))
	}
	if names := dirList(t, filepath.Join("a", "b")); !slices.Equal(names, []string{"logs"}) {
		t.Errorf("a/b holds %v", names)
	}
}

// TestDownloadExtractMerge: into an existing folder, the archive's files
// join what is there; --clobber replaces a file, keeping its mode.
func TestDownloadExtractMerge(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	files := map[string][]byte{"0_build.txt": []byte("whole job\n"), "build/1_step.txt": []byte("step one\n")}
	setLogs(s, 7000000110, zipOf(t, files, "0_build.txt", "build/1_step.txt"))
	os.MkdirAll(filepath.Join("out", "build"), 0o755)
	os.WriteFile(filepath.Join("out", "mine.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join("out", "build", "1_step.txt"), []byte("old"), 0o640)
	os.Chmod(filepath.Join("out", "build", "1_step.txt"), 0o640)

	r := execCmd(t, download, false, "", "7000000110", "-x", "out", "--clobber")
	if r.err != nil || r.errOut != "extracted 2 files of the logs of run 7000000110 into out\n" {
		t.Fatalf("error %v, stderr %q", r.err, r.errOut)
	}
	want := map[string]string{"mine.txt": "mine", "0_build.txt": "whole job\n", "build/1_step.txt": "step one\n"}
	if got := unzipped(t, "out"); !mapsEqual(got, want) {
		t.Errorf("out holds %v\nwant %v", got, want)
	}
	if fi, _ := os.Stat(filepath.Join("out", "build", "1_step.txt")); os.PathSeparator == '/' && fi.Mode().Perm() != 0o640 {
		t.Errorf("replaced file has mode %04o, want its 0640 kept", fi.Mode().Perm())
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
