package fakegh

import (
	"embed"
	"encoding/json"
	"io/fs"
)

// apiFiles is GitHub's OpenAPI description of these endpoints and its example
// bodies, as `go run ./scripts/syncapi` copied them.
//
//go:embed testdata/github-api
var apiFiles embed.FS

const (
	specFile    = "testdata/github-api/actions-runs.openapi.json"
	examplesDir = "testdata/github-api/examples"
)

// example decodes one official example body, such as "workflow-run.json".
func example(name string) (any, error) {
	data, err := fs.ReadFile(apiFiles, examplesDir+"/"+name)
	if err != nil {
		return nil, err
	}
	var v any
	err = json.Unmarshal(data, &v)
	return v, err
}

// Example returns one official example body, such as "workflow-run.json",
// as copied from GitHub's description.
func Example(name string) ([]byte, error) {
	return fs.ReadFile(apiFiles, examplesDir+"/"+name)
}
