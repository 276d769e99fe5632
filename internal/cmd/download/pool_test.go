package download

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestDownloadManyAtOnce: a run's artifacts are downloaded as many at once
// as the concurrency allows, never more, and reported in the listing's
// order even when the first one, the largest, ends last.
func TestDownloadManyAtOnce(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Latency = 50 * time.Millisecond
	// Random bytes do not compress: the first archive is a large one.
	big := make([]byte, 4<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	var want strings.Builder
	for i := range 9 {
		a := fakegh.Artifact{ID: int64(100 + i), Name: fmt.Sprintf("part-%d", i), RunID: fakegh.SuccessfulRun,
			CreatedAt: fakegh.SeedBase.Add(time.Duration(-i) * time.Minute)}
		if i == 0 {
			a.Zip = fakegh.ArtifactZip(fakegh.ZipFile{Name: "big.bin", Body: string(big)})
		}
		s.AddArtifacts(a)
		fmt.Fprintf(&want, "extracted 1 file of artifact %s (ID %d) into %s\n", a.Name, a.ID, a.Name)
	}
	// The seed's own artifact of the run is the oldest.
	want.WriteString("extracted 1 file of artifact deploy-manifest (ID 9000001111) into deploy-manifest\n")

	for _, tc := range []struct {
		concurrency, roundTrips int
	}{
		// The listing, then the 10 archives' redirects 4 at a time.
		{4, 1 + 3},
		{1, 1 + 10},
	} {
		t.Setenv("GHRUNS_CONCURRENCY", fmt.Sprint(tc.concurrency))
		t.Chdir(t.TempDir())
		s.ResetRequests()
		_, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.SuccessfulRun))
		if err != nil {
			t.Fatal(err)
		}
		if errOut != want.String() {
			t.Errorf("concurrency %d: stderr\n%s\nwant\n%s", tc.concurrency, errOut, want.String())
		}
		if n, rt := len(s.Requests()), s.RoundTrips(); n != 11 || rt != tc.roundTrips {
			t.Errorf("concurrency %d: %d requests in %d round trips, want 11 in %d", tc.concurrency, n, rt, tc.roundTrips)
		}
		if m := s.MaxInFlight(); m > tc.concurrency {
			t.Errorf("concurrency %d: %d requests in flight", tc.concurrency, m)
		}
		if got := files(t, "."); got["part-0/big.bin"] != string(big) || len(got) != 10 {
			t.Errorf("concurrency %d: %d files written, the large one whole: %v", tc.concurrency, len(got), got["part-0/big.bin"] == string(big))
		}
	}
}

// TestDownloadManyProgress: on a terminal, artifacts downloaded together
// share one meter, and their lines follow it, in order.
func TestDownloadManyProgress(t *testing.T) {
	cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	_, errOut, err := cmdtest.Run(true, "", newCmd, cmdtest.Arg(fakegh.FailedRun))
	if err != nil {
		t.Fatal(err)
	}
	want := "\r\x1b[Kextracted 1 file of artifact test-results (ID 9000001101) into test-results\n" +
		"extracted 1 file of artifact coverage (ID 9000001102) into coverage\n"
	if !strings.HasPrefix(errOut, "\r\x1b[Kdownloading 2 artifacts: ") || !strings.HasSuffix(errOut, want) ||
		strings.Count(errOut, "extracted") != 2 {
		t.Errorf("stderr %q", errOut)
	}
}
