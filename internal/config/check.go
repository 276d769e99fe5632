package config

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"
)

// hostRE is a host name: letters, digits and inner hyphens in dot-separated
// labels, with an optional port.
var hostRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::([0-9]+))?$`)

// CheckHost refuses what cannot name a host: a malformed name, or a port
// outside 1 to 65535 (which would fail only when connecting). The error
// reads after the value, as in `"x y" is not a host name`.
func CheckHost(host string) error {
	m := hostRE.FindStringSubmatch(host)
	if m == nil {
		return fmt.Errorf("%q is not a host name", host)
	}
	if m[1] != "" {
		return checkPort(m[1])
	}
	return nil
}

func checkPort(port string) error {
	if port == "" {
		return fmt.Errorf("empty port")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %s is not between 1 and 65535", port)
	}
	return nil
}

// checkAPIURL refuses an api_url that could only fail when connecting: a
// scheme other than http or https, or a bad port. What does not parse as
// a URL is left to the API client, which says what form it wants. The URL
// itself is not repeated, since its user part may hold a token.
func checkAPIURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	if p := u.Port(); p != "" || strings.HasSuffix(u.Host, ":") {
		return checkPort(p)
	}
	return nil
}

// keyKinds says, per key of the config file, what its value must be; a
// mapping or a list is always wrong.
var keyKinds = map[string]string{
	"repo":                     "a string such as OWNER/REPO",
	"host":                     "a host name",
	"api_url":                  "a URL",
	"concurrency":              "a whole number",
	"timeout":                  "a duration such as 30s",
	"color":                    "auto, never or always",
	"price_per_minute":         "a number",
	"price_per_minute_windows": "a number",
	"price_per_minute_macos":   "a number",
	"write_rate":               "a whole number",
}

// checkFile looks at the config file's own keys: a known key with a mapping
// or list for its value is an error naming file and key, since it would
// otherwise be read as empty and ignored; an unknown key (a typo such as
// "colour") is a warning, with the nearest known key when one is close.
func checkFile(data []byte, file string) (warnings []string, err error) {
	fv := viper.New()
	fv.SetConfigType("yaml")
	if err := fv.ReadConfig(strings.NewReader(string(data))); err != nil {
		return nil, nil // reported by the main read
	}
	settings := fv.AllSettings()
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		kind, known := keyKinds[key]
		if !known {
			w := fmt.Sprintf("unknown key %q in %s", key, file)
			if near := nearestKey(key); near != "" {
				w += fmt.Sprintf(": did you mean %q?", near)
			}
			warnings = append(warnings, w)
			continue
		}
		switch settings[key].(type) {
		case map[string]any:
			return nil, fmt.Errorf("invalid %s in %s: must be %s, not a mapping", key, file, kind)
		case []any:
			return nil, fmt.Errorf("invalid %s in %s: must be %s, not a list", key, file, kind)
		}
	}
	return warnings, nil
}

// nearestKey is the known key closest to key in edit distance, when it is
// close enough to be the one meant (at most a third of its length away).
func nearestKey(key string) string {
	best, bestDist := "", len(key)/3+1
	known := make([]string, 0, len(keyKinds))
	for k := range keyKinds {
		known = append(known, k)
	}
	sort.Strings(known)
	for _, k := range known {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
