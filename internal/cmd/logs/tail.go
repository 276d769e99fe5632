package logs

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/unzip"
)

// maxTailLineBytes bounds a line of a tail: a log line may be a megabyte
// of minified output, and a tail is for reading.
const maxTailLineBytes = 4 << 10

// Tail is what FailedTail printed of a run's failed steps.
type Tail struct {
	// Steps is how many failed steps it printed, Left how many more it
	// left out for want of room.
	Steps, Left int
}

// FailedTail prints the last lines of the failed steps of a completed run
// whose jobs are jobs, as `logs view --failed` picks them (a failed job with
// no failed step is its whole log): at most maxSteps steps, the last
// maxLines lines of each, every line as JOB<tab>STEP<tab>LINE with
// terminal control removed. It reads the run's log archive.
func FailedTail(ctx context.Context, c *api.Client, repo api.Repo, runID int64, jobs []api.Job, w io.Writer, maxSteps, maxLines int) (Tail, error) {
	tmp, err := os.CreateTemp("", "ghruns-logs-*.zip")
	if err != nil {
		return Tail{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := c.DownloadLogs(ctx, repo, runID, 0, tmp, nil)
	if err != nil {
		return Tail{}, downloadError(repo, runID, jobs, err)
	}
	zr, err := unzip.Open(tmp, n)
	if err != nil {
		return Tail{}, fmt.Errorf("logs of run %d: %w", runID, err)
	}
	segs, err := selectSegments(indexArchive(zr), jobs, nil, runID, true)
	if err != nil {
		return Tail{}, err
	}
	t := Tail{Steps: min(len(segs), maxSteps), Left: max(len(segs)-maxSteps, 0)}
	out := bufio.NewWriter(w)
	for _, s := range segs[:t.Steps] {
		if err := s.printTail(out, maxLines); err != nil {
			return t, err
		}
	}
	return t, out.Flush()
}

// printTail writes the segment's last n lines, as print writes them all.
func (s segment) printTail(w *bufio.Writer, n int) error {
	rc, err := s.file.Open()
	if err != nil {
		return fmt.Errorf("log %q: %w", s.file.Name, err)
	}
	defer rc.Close()
	lines, err := lastLines(rc, n)
	if err != nil {
		return fmt.Errorf("log %q: %w", s.file.Name, err)
	}
	san := output.NewSanitizer(w, s.job+"\t"+s.step+"\t")
	for _, l := range lines {
		if _, err := san.Write(l); err != nil {
			return err
		}
	}
	return san.Close()
}

// lastLines reads r to its end and returns its last n lines, each with its
// line break and cut to maxTailLineBytes.
func lastLines(r io.Reader, n int) ([][]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	ring := make([][]byte, 0, n)
	next := 0 // where the next line goes once the ring is full
	var cur []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if room := maxTailLineBytes - len(cur); room > 0 {
			cur = append(cur, chunk[:min(len(chunk), room)]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(cur) > 0 {
			if len(cur) == maxTailLineBytes && !bytes.HasSuffix(cur, []byte("\n")) {
				cur = append(cur, " …\n"...)
			}
			if len(ring) < n {
				ring = append(ring, cur)
			} else if n > 0 {
				ring[next] = cur
				next = (next + 1) % n
			}
			cur = nil
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return append(ring[next:], ring[:next]...), nil
}
