package search

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// minTop3 is the share of testdata/queries.tsv whose expected procedure must
// be among the first three results.
const minTop3 = 0.95

func TestQualityTop3(t *testing.T) {
	docs := loadCatalog(t)
	names := make(map[string]string, len(docs))
	for _, d := range docs {
		names[d.Code] = d.Name
	}
	ix := NewIndex(docs, DefaultSynonyms())

	f, err := os.Open("testdata/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, found := 0, 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		query, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("queries.tsv:%d: want query<TAB>code", n)
		}
		want, _, _ = strings.Cut(want, "\t")
		if _, ok := names[want]; !ok {
			t.Fatalf("queries.tsv:%d: %s is not in the catalog", n, want)
		}
		total++
		hits := ix.Search(query, 3)
		if rankOf(hits, want) >= 0 {
			found++
			continue
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Code+" "+clipName(names[h.Code]))
		}
		t.Logf("miss %q: want %s %s, got %q", query, want, clipName(names[want]), got)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if total < 120 {
		t.Fatalf("queries.tsv has %d queries, want 120 or more", total)
	}
	score := float64(found) / float64(total)
	t.Logf("top-3 accuracy: %d/%d = %.1f%%", found, total, 100*score)
	if score < minTop3 {
		t.Errorf("top-3 accuracy %.1f%%, want at least %.0f%%", 100*score, 100*minTop3)
	}
}

func rankOf(hits []Hit, code string) int {
	for i, h := range hits {
		if h.Code == code {
			return i
		}
	}
	return -1
}

func clipName(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
