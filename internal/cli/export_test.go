package cli

import (
	"context"
	"strings"
	"testing"
)

// TestExportRunTimeErrors: a jq expression or a template that parses but
// fails on the data ends with exit 1 and the error on stderr, after the
// output written before it, never with exit 0 as if all were printed.
func TestExportRunTimeErrors(t *testing.T) {
	faultFake(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"jq", []string{"--jq", `.[] | if .databaseId == 7000000110 then error("no such field here") else .databaseId end`}, "no such field here"},
		{"template", []string{"--template", `{{range .}}{{printf "%.0f\n" .databaseId}}{{if eq .databaseId 7000000110.0}}{{index . "x" 1}}{{end}}{{end}}`}, "index"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ghruns(context.Background(), append([]string{"list", "--json", "databaseId"}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.errOut, tc.want)
			}
			if !strings.HasPrefix(r.out, "7000000113\n") {
				t.Errorf("stdout %q: want what came before the error", r.out)
			}
		})
	}
}
