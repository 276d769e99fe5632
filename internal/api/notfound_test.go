package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestIsNotFound(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"404", &HTTPError{StatusCode: http.StatusNotFound}, true},
		{"404 wrapped", fmt.Errorf("delete run 7: %w", &HTTPError{StatusCode: http.StatusNotFound}), true},
		{"410", &HTTPError{StatusCode: http.StatusGone}, false},
		{"403", &HTTPError{StatusCode: http.StatusForbidden}, false},
		{"not an HTTP error", errors.New("connection reset"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := IsNotFound(tt.err); got != tt.want {
			t.Errorf("%s: IsNotFound = %v, want %v", tt.name, got, tt.want)
		}
	}
}
