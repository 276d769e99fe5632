package fakegh

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestRepoDefaultBranch: GET /repos/{owner}/{repo} and an owner's listing
// give each repository's own default branch; another repository is 404.
func TestRepoDefaultBranch(t *testing.T) {
	s := Start(t)
	var repo struct {
		FullName      string `json:"full_name"`
		DefaultBranch string `json:"default_branch"`
	}
	r := fetch(t, s, "GET", s.URL+"/repos/octo/hello", "")
	wantStatus(t, r, http.StatusOK)
	if err := json.Unmarshal([]byte(r.body), &repo); err != nil || repo.FullName != "octo/hello" || repo.DefaultBranch != "main" {
		t.Errorf("repository %+v (%v), want octo/hello on main", repo, err)
	}
	s.DefaultBranch = "trunk"
	r = fetch(t, s, "GET", s.URL+"/repos/octo/hello", "")
	if err := json.Unmarshal([]byte(r.body), &repo); err != nil || repo.DefaultBranch != "trunk" {
		t.Errorf("repository %+v (%v), want trunk", repo, err)
	}
	wantStatus(t, fetch(t, s, "GET", s.URL+"/repos/octo/nope", ""), http.StatusNotFound)

	o := StartOwner(t, "acme")
	o.AddRepo("api")
	o.AddRepo("web").DefaultBranch = "develop"
	var listed []struct {
		Name          string `json:"name"`
		DefaultBranch string `json:"default_branch"`
	}
	r = fetch(t, s, "GET", o.URL+"/orgs/acme/repos", "")
	wantStatus(t, r, http.StatusOK)
	if err := json.Unmarshal([]byte(r.body), &listed); err != nil || len(listed) != 2 ||
		listed[0].DefaultBranch != "main" || listed[1].DefaultBranch != "develop" {
		t.Errorf("listing %+v (%v), want api on main, web on develop", listed, err)
	}
	r = fetch(t, s, "GET", o.URL+"/repos/acme/web", "")
	if err := json.Unmarshal([]byte(r.body), &repo); err != nil || repo.FullName != "acme/web" || repo.DefaultBranch != "develop" {
		t.Errorf("repository %+v (%v), want acme/web on develop", repo, err)
	}
}
