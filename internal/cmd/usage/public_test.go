package usage

import (
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// A public repository's runs on GitHub's standard runners are not billed,
// whatever the source: GitHub's timing answers zero with job counts, and the
// jobs are computed as free.
func TestUsageOfPublicRepository(t *testing.T) {
	for _, source := range []string{"jobs", "timing"} {
		t.Run(source, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, c := cmdtest.Fake(t, 4)
			fakegh.SeedHistoric(s)
			s.Public = true
			out, _, err := usageOf(t, c, false, "6000000004", "--source", source)
			if err != nil {
				t.Fatal(err)
			}
			if want := "run\t6000000004\tCI\t0\t0\t0\t0\t0\t192000\tpublic\n"; out != want {
				t.Errorf("usage\n got %q\nwant %q", out, want)
			}
		})
	}
}

// In a private repository the same run is billed from its jobs, since
// GitHub's timing says nothing.
func TestUsageOfPrivateRepositoryWithZeroTiming(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 4)
	fakegh.SeedHistoric(s)
	out, _, err := usageOf(t, c, false, "6000000004", "--source", "timing")
	if err != nil {
		t.Fatal(err)
	}
	// test-linux 1m30s → 2m, test-macos 3m10s → 4m.
	if want := "run\t6000000004\tCI\t120000\t240000\t0\t360000\t2\t192000\tjobs\n"; !strings.HasPrefix(out, want) {
		t.Errorf("usage\n got %q\nwant %q", out, want)
	}
}
