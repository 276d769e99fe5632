package reposet

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// An organisation of 250 repositories comes in 3 pages of 100: the first,
// then the two its Link header leads to, asked for together.
func TestResolveOwnerPages(t *testing.T) {
	o := fakegh.StartOwner(t, "big")
	for i := range 250 {
		r := o.AddRepo(fmt.Sprintf("r%03d", i))
		r.Archived = i%50 == 0
	}
	c, err := api.New(api.Options{BaseURL: o.URL, Token: cmdtest.Token, UserAgent: "ghruns/test", Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	var notes strings.Builder
	repos, err := (&Plan{Host: "github.com", Owner: "big"}).Resolve(context.Background(), c, &notes)
	if err != nil {
		t.Fatal(err)
	}
	if len(repos) != 245 || repos[0].String() != "big/r001" || repos[244].String() != "big/r249" {
		t.Errorf("got %d repositories, %v … %v", len(repos), repos[0], repos[len(repos)-1])
	}
	var pages []string
	for _, r := range o.Requests() {
		pages = append(pages, r.Path+"?page="+r.Query.Get("page"))
	}
	if got := strings.Join(pages, " "); !strings.HasPrefix(got, "/orgs/big/repos?page= ") || len(pages) != 3 ||
		!strings.Contains(got, "page=2") || !strings.Contains(got, "page=3") {
		t.Errorf("requests: %s", got)
	}
	if want := "big: 245 of 250 repositories selected; left out 5 archived (--include-archived)\n"; notes.String() != want {
		t.Errorf("notes = %q, want %q", notes.String(), want)
	}
}

func TestResolveUnknownOwner(t *testing.T) {
	o := fakegh.StartOwner(t, "big")
	c, err := api.New(api.Options{BaseURL: o.URL, Token: cmdtest.Token, UserAgent: "ghruns/test", Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&Plan{Host: "github.com", Owner: "nobody"}).Resolve(context.Background(), c, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "listing the repositories of nobody: Not Found (HTTP 404") {
		t.Errorf("err = %v", err)
	}
}
