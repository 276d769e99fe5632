package picker

import "testing"

// The filter of the run list finds an option by any part of it, in any
// case, with or without its accents.
func TestLatinMatch(t *testing.T) {
	for _, tc := range []struct {
		filter, value string
		want          bool
	}{
		{"ci", "✓ CI · main · 7000000110", true},
		{"resume", "Fix the Résumé page", true},
		{"RÉSUMÉ", "fix the résumé page", true},
		{"deploy", "CI · main", false},
	} {
		if got := latinMatch(tc.filter, tc.value, 0); got != tc.want {
			t.Errorf("latinMatch(%q, %q) = %v, want %v", tc.filter, tc.value, got, tc.want)
		}
	}
}
