package search

import (
	"strings"
	"testing"
)

func FuzzSearch(f *testing.F) {
	for _, q := range benchQueries {
		f.Add(q, 10)
	}
	for _, q := range []string{"", " ", "\xff", "1.", "1..", ".1", "0.0.0", "a\u0301", strings.Repeat("đ", 300), "ddddddwwwwsss", "9999999999"} {
		f.Add(q, 0)
	}
	ix := NewIndex(loadCatalog(f), DefaultSynonyms())
	f.Fuzz(func(t *testing.T, q string, max int) {
		hits := ix.Search(q, max)
		if max > 0 && len(hits) > max {
			t.Fatalf("Search(%q, %d) gave %d hits", q, max, len(hits))
		}
		seen := make(map[string]bool, len(hits))
		for i, h := range hits {
			if h.Score <= 0 || h.Score > 1 || seen[h.Code] || (i > 0 && hits[i-1].Score < h.Score) {
				t.Fatalf("Search(%q, %d) = %v: bad score, order or duplicate", q, max, hits)
			}
			seen[h.Code] = true
		}
		if strings.TrimSpace(q) == "" && hits != nil {
			t.Fatalf("Search(%q) = %v, want nil for a blank query", q, hits)
		}
	})
}
