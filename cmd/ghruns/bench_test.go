package main

import (
	"archive/zip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// buildBinary compiles the main package in src into dir, as releases are
// built (static, stripped), and returns the executable's path.
func buildBinary(b *testing.B, src, dir, name string) string {
	b.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Dir = src
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build in %s: %v\n%s", src, err, msg)
	}
	return out
}

// BenchmarkStartup times `ghruns --version` against an empty Go program
// built the same way, both started as new processes: wall time, and the
// CPU time (user and system) of the process, which other work on a loaded
// machine disturbs less.
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	wd, _ := os.Getwd()
	ghruns := buildBinary(b, wd, dir, "ghruns")
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module empty\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(empty, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	emptyBin := buildBinary(b, empty, dir, "empty-bin")

	run := func(path string, args ...string) (wall, cpu time.Duration) {
		cmd := exec.Command(path, args...)
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var tGhruns, tEmpty, cGhruns, cEmpty time.Duration
	for b.Loop() {
		w, c := run(ghruns, "--version")
		tGhruns, cGhruns = tGhruns+w, cGhruns+c
		w, c = run(emptyBin)
		tEmpty, cEmpty = tEmpty+w, cEmpty+c
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) / 1000 }
	b.ReportMetric(ms(tGhruns), "ms-ghruns/op")
	b.ReportMetric(ms(tEmpty), "ms-empty/op")
	b.ReportMetric(float64(tGhruns)/float64(tEmpty), "ratio")
	b.ReportMetric(ms(cGhruns), "cpu-ms-ghruns/op")
	b.ReportMetric(ms(cEmpty), "cpu-ms-empty/op")
	b.ReportMetric(float64(cGhruns)/float64(cEmpty), "cpu-ratio")
}

// archiveSize is the log archive's payload in the download benchmark.
const archiveSize = 1 << 30

// logServer answers the logs endpoint of run 1 with a redirect to a zip of
// archiveSize zero bytes, streamed as it is made.
func logServer(b *testing.B) *httptest.Server {
	chunk := make([]byte, 1<<20)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/repos/o/r/actions/runs/1/logs":
			http.Redirect(w, r, "/blob", http.StatusFound)
		case "/blob":
			zw := zip.NewWriter(w)
			f, _ := zw.CreateHeader(&zip.FileHeader{Name: "build/1_big.txt", Method: zip.Store})
			for n := 0; n < archiveSize; n += len(chunk) {
				if _, err := f.Write(chunk); err != nil {
					return
				}
			}
			zw.Close()
		default:
			http.NotFound(w, r)
		}
	}))
}

// BenchmarkLogsDownload saves a 1 GiB archive with `ghruns logs download`
// in a child process, reporting its peak RSS and its throughput against a
// plain io.Copy of the same stream in the same run.
func BenchmarkLogsDownload(b *testing.B) {
	dir := b.TempDir()
	wd, _ := os.Getwd()
	ghruns := buildBinary(b, wd, dir, "ghruns")
	srv := logServer(b)
	defer srv.Close()

	var tGhruns, tCopy time.Duration
	var peakKiB int64
	for b.Loop() {
		target := filepath.Join(dir, "out.zip")
		os.Remove(target)
		cmd := exec.Command(ghruns, "logs", "download", "1", "-R", "o/r", "-o", target)
		cmd.Env = append(os.Environ(), "GHRUNS_API_URL="+srv.URL, "GH_TOKEN=t", "XDG_CACHE_HOME="+filepath.Join(dir, "cache"), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
		start := time.Now()
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, msg)
		}
		tGhruns += time.Since(start)
		peakKiB = max(peakKiB, peakRSSKiB(cmd.ProcessState))

		start = time.Now()
		resp, err := http.Get(srv.URL + "/blob")
		if err != nil {
			b.Fatal(err)
		}
		f, _ := os.Create(filepath.Join(dir, "copy.zip"))
		if _, err := io.Copy(f, resp.Body); err != nil {
			b.Fatal(err)
		}
		f.Sync()
		f.Close()
		resp.Body.Close()
		tCopy += time.Since(start)
	}
	mb := float64(archiveSize) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/tGhruns.Seconds(), "MiB/s-ghruns")
	b.ReportMetric(mb/tCopy.Seconds(), "MiB/s-io.Copy")
	b.ReportMetric(tCopy.Seconds()/tGhruns.Seconds(), "throughput-ratio")
	b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
	if fi, err := os.Stat(filepath.Join(dir, "out.zip")); err != nil || fi.Size() < archiveSize {
		b.Fatalf("archive not saved whole: %v", err)
	}
}

// artifactServer answers for run 1 of o/r one artifact, "big", whose
// archive holds size zero bytes stored uncompressed, streamed as it is
// made from a redirect, as GitHub's storage host does.
func artifactServer(size int) *httptest.Server {
	chunk := make([]byte, 1<<20)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/repos/o/r/actions/runs/1/artifacts":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"total_count":1,"artifacts":[{"id":7,"name":"big","size_in_bytes":%d,"expired":false,`+
				`"created_at":"2026-11-20T12:00:00Z","expires_at":"2027-02-18T12:00:00Z","updated_at":"2026-11-20T12:00:00Z"}]}`, size)
		case "/repos/o/r/actions/artifacts/7/zip":
			http.Redirect(w, r, "/blob", http.StatusFound)
		case "/blob":
			zw := zip.NewWriter(w)
			f, _ := zw.CreateHeader(&zip.FileHeader{Name: "big.bin", Method: zip.Store})
			for n := 0; n < size; n += len(chunk) {
				if _, err := f.Write(chunk); err != nil {
					return
				}
			}
			zw.Close()
		default:
			http.NotFound(w, r)
		}
	}))
}

// unpackOne writes the first entry of the zip archive f to the file at
// target, with archive/zip and io.Copy.
func unpackOne(b *testing.B, f *os.File, target string) {
	b.Helper()
	fi, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		b.Fatal(err)
	}
	src, err := zr.File[0].Open()
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(target)
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkArtifactDownload saves and unpacks an artifact of 64 MiB and of
// 512 MiB with `ghruns download` in a child process, reporting its peak
// RSS (which must not grow with the artifact) and its throughput against
// a plain io.Copy of the same stream to a file in the same run. ghruns
// writes the bytes twice: the archive, spooled to a temporary file, and
// the file unpacked from it; so a second baseline is that copy followed by
// unpacking it with archive/zip. None of the three syncs what it wrote
// (ghruns does not sync unpacked files, as gh does not), and the disk is
// flushed before each, so that none pays for the writes of another: the
// figures are the CPU and system-call cost of each, not the disk's speed.
func BenchmarkArtifactDownload(b *testing.B) {
	dir := b.TempDir()
	wd, _ := os.Getwd()
	ghruns := buildBinary(b, wd, dir, "ghruns")
	for _, size := range []int{64 << 20, 512 << 20} {
		b.Run(fmt.Sprintf("MiB=%d", size>>20), func(b *testing.B) {
			srv := artifactServer(size)
			defer srv.Close()
			out := filepath.Join(dir, "out")
			var tGhruns, tCopy, tCopyBefore, tUnpack time.Duration
			var peakKiB int64
			for b.Loop() {
				os.RemoveAll(out)
				os.Remove(filepath.Join(dir, "copy.bin"))
				flushDisk()
				cmd := exec.Command(ghruns, "download", "1", "-R", "o/r", "-n", "big", "-D", out)
				cmd.Env = append(os.Environ(), "GHRUNS_API_URL="+srv.URL, "GH_TOKEN=t", "TMPDIR="+dir,
					"XDG_CACHE_HOME="+filepath.Join(dir, "cache"), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
				start := time.Now()
				if msg, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %s", err, msg)
				}
				tGhruns += time.Since(start)
				peakKiB = max(peakKiB, peakRSSKiB(cmd.ProcessState))

				flushDisk()
				start = time.Now()
				resp, err := http.Get(srv.URL + "/blob")
				if err != nil {
					b.Fatal(err)
				}
				f, _ := os.Create(filepath.Join(dir, "copy.zip"))
				if _, err := io.Copy(f, resp.Body); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				tCopy += time.Since(start)
				// The floor for a download that is unpacked once whole, as
				// ghruns' is: the same copy, then its one entry written out.
				flushDisk()
				start = time.Now()
				unpackOne(b, f, filepath.Join(dir, "copy.bin"))
				f.Close()
				tUnpack += time.Since(start) + tCopy - tCopyBefore
				tCopyBefore = tCopy
			}
			if fi, err := os.Stat(filepath.Join(out, "big.bin")); err != nil || fi.Size() != int64(size) {
				b.Fatalf("artifact not unpacked whole: %v", err)
			}
			mb := float64(size) / (1 << 20) * float64(b.N)
			b.ReportMetric(mb/tGhruns.Seconds(), "MiB/s-ghruns")
			b.ReportMetric(mb/tCopy.Seconds(), "MiB/s-io.Copy")
			b.ReportMetric(tCopy.Seconds()/tGhruns.Seconds(), "throughput-ratio")
			b.ReportMetric(mb/tUnpack.Seconds(), "MiB/s-copy+unpack")
			b.ReportMetric(tUnpack.Seconds()/tGhruns.Seconds(), "ratio-to-copy+unpack")
			b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
		})
	}
}
