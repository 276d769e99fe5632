package api_test

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/api"
)

// FuzzParseLink: ParseLink never panics on any header, returns only what
// the header holds, and reads back every Link header written the way
// GitHub writes them: `<URL>; rel="REL"`, joined by ", ".
func FuzzParseLink(f *testing.F) {
	f.Add(`<https://api.github.com/resource?page=2>; rel="next", <https://api.github.com/resource?page=5>; rel="last"`,
		"api.github.com", "/repositories/1/actions/runs", "main", "next", uint8(0))
	f.Add(`<https://ghe.example.com/api/v3/repos/o/r/actions/runs?per_page=100&page=3>; rel="prev"`,
		"ghe.example.com:8443", "/api/v3/repos/o/r/actions/runs", "a b&c=d", "prev", uint8(3))
	f.Add("", "", "", "", "", uint8(1))
	f.Add("garbage", "-", "/", "\x00", `"`, uint8(2))
	f.Add(`<>; rel="next"`, "..", "/a>b; rel=\"x\", <c", "<>\"; ,", "next last", uint8(7))
	f.Add(`<a>;rel="next",<b>;rel="next"`, "API.GitHub.com", "/ü/%2F", "é", "Next", uint8(255))
	f.Add(`<https://x/?a=">; rel="next"`, "x", ";", ",", "rel=", uint8(4))
	f.Add("<<a>>; rel=\"next\"\n, <b>;\trel=\"last\"", "a", "a/b/../c", "page=2", "first", uint8(5))
	f.Fuzz(func(t *testing.T, header, host, path, query, rel string, shape uint8) {
		// Any header: no panic, and only URLs and relations it holds.
		for r, u := range api.ParseLink(header) {
			if r == "" || u == "" || strings.ContainsAny(r, `"`) || strings.Contains(u, ">") {
				t.Fatalf("ParseLink(%q) has %q: %q", header, r, u)
			}
			if !strings.Contains(header, "<"+u+">") || !strings.Contains(header, `"`+r+`"`) {
				t.Fatalf("ParseLink(%q) made up %q: %q", header, r, u)
			}
		}

		// A header in GitHub's format, from URLs and relations built of the input.
		h := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
				return r
			}
			return -1
		}, strings.ToLower(host))
		if h == "" {
			h = "api.github.com"
		}
		rels := []string{}
		for _, r := range []string{relToken(rel), "next", "last", "first", "prev"} {
			if r != "" && !slices.Contains(rels, r) {
				rels = append(rels, r)
			}
		}
		rels = rels[:1+int(shape)%len(rels)]
		sep, semi := ", ", "; "
		if shape&0x10 != 0 {
			sep = ","
		}
		if shape&0x20 != 0 {
			semi = ";"
		}
		want := map[string]string{}
		var parts []string
		for i, r := range rels {
			u := (&url.URL{
				Scheme:   "https",
				Host:     h,
				Path:     path,
				RawQuery: url.Values{"q": {query}, "per_page": {"100"}, "page": {fmt.Sprint(i + 2)}}.Encode(),
			}).String()
			want[r] = u
			parts = append(parts, "<"+u+">"+semi+`rel="`+r+`"`)
		}
		link := strings.Join(parts, sep)
		if got := api.ParseLink(link); !maps.Equal(got, want) {
			t.Fatalf("ParseLink(%q)\n got %q\nwant %q", link, got, want)
		}
	})
}

// relToken keeps what RFC 8288 allows in a registered relation type:
// lower-case letters, digits, "." and "-", starting with a letter.
func relToken(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return -1
	}, s)
	return strings.TrimLeft(s, "0123456789.-")
}
