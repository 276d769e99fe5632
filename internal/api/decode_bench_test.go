package api

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// runsPageBody is a page of 100 runs as GitHub renders it (about 1.1 MB).
func runsPageBody(b *testing.B) []byte {
	s := fakegh.New(b)
	b.Cleanup(s.Close)
	s.Unchecked = true
	s.AddRuns(fakegh.GenerateRuns(100, 1, fakegh.SeedBase, nil)...)
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/repos/octo/hello/actions/runs?per_page=100", nil)
	req.Header.Set("User-Agent", "ghruns/bench")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkDecodeRunsPage compares the decoder the client uses with
// encoding/json on one page of runs.
func BenchmarkDecodeRunsPage(b *testing.B) {
	body := runsPageBody(b)
	for name, unmarshal := range map[string]func([]byte, any) error{
		"encoding-json": json.Unmarshal,
		"goccy-go-json": gojson.Unmarshal,
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var p runsPage
				if err := unmarshal(body, &p); err != nil || len(p.Runs) != 100 {
					b.Fatalf("decoded %d runs: %v", len(p.Runs), err)
				}
			}
		})
	}
}
