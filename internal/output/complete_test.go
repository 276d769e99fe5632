package output

import (
	"slices"
	"testing"
)

func TestCompleteFields(t *testing.T) {
	fields := []string{"attempt", "conclusion", "createdAt", "databaseId", "status"}
	tests := []struct {
		toComplete string
		want       []string
	}{
		{"", fields},
		{"c", []string{"conclusion", "createdAt"}},
		{"databaseId,con", []string{"databaseId,conclusion"}},
		// The field after the comma, none already listed.
		{"databaseId,", []string{"databaseId,attempt", "databaseId,conclusion", "databaseId,createdAt", "databaseId,status"}},
		{"status,databaseId,S", nil},
		{"DATA", []string{"databaseId"}},
	}
	for _, tt := range tests {
		if got := completeFields(fields, tt.toComplete); !slices.Equal(got, tt.want) {
			t.Errorf("completeFields(%q) = %q, want %q", tt.toComplete, got, tt.want)
		}
	}
}
