package search

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// minTop3 is the share of testdata/queries.tsv whose expected procedure must
// be among the first three results.
const minTop3 = 0.95

// TestQualityTop3 runs testdata/queries.tsv. A row is
//
//	query<TAB>code                      the procedure meant is in the top 3
//	query<TAB>code<TAB>only CODE…       it is first, and the rest of the top 3
//	                                    are among the related CODEs
//	query<TAB>@key                      the place of elsewhere.toml with that
//	                                    key answers, with no procedure
//
// The first kind counts towards the top-3 share; the strict rows and the
// elsewhere rows must all pass, and no procedure row may be sent elsewhere.
func TestQualityTop3(t *testing.T) {
	docs := loadCatalog(t)
	names := make(map[string]string, len(docs))
	for _, d := range docs {
		names[d.Code] = d.Name
	}
	ix := NewIndex(docs, DefaultSynonyms())
	keys := map[string]bool{}
	for _, p := range DefaultElsewhere() {
		keys[p.Key] = true
	}
	show := func(hits []Hit) []string {
		var got []string
		for _, h := range hits {
			got = append(got, h.Code+" "+clipName(names[h.Code]))
		}
		return got
	}

	f, err := os.Open("testdata/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, found, strict, away := 0, 0, 0, 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 || len(cols) > 3 {
			t.Fatalf("queries.tsv:%d: want query<TAB>code[<TAB>only CODE…] or query<TAB>@key", n)
		}
		query, want := cols[0], cols[1]
		place := ix.Elsewhere(query)
		if key, ok := strings.CutPrefix(want, "@"); ok {
			if !keys[key] {
				t.Fatalf("queries.tsv:%d: no place %q in elsewhere.toml", n, key)
			}
			away++
			switch {
			case place == nil:
				t.Errorf("%q: want elsewhere %s, got procedures %q", query, key, show(ix.Search(query, 3)))
			case place.Key != key:
				t.Errorf("%q: want elsewhere %s, got elsewhere %s", query, key, place.Key)
			}
			continue
		}
		if _, ok := names[want]; !ok {
			t.Fatalf("queries.tsv:%d: %s is not in the catalog", n, want)
		}
		hits := ix.Search(query, 3)
		if place != nil {
			t.Errorf("%q: want %s, got sent elsewhere (%s)", query, want, place.Key)
			hits = nil
		}
		total++
		if len(cols) == 3 {
			related, ok := strings.CutPrefix(cols[2], "only ")
			if !ok {
				t.Fatalf("queries.tsv:%d: the third column must start with \"only \"", n)
			}
			allowed := append(strings.Fields(related), want)
			for _, c := range allowed {
				if _, ok := names[c]; !ok {
					t.Fatalf("queries.tsv:%d: %s is not in the catalog", n, c)
				}
			}
			strict++
			bad := len(hits) == 0 || hits[0].Code != want ||
				slices.ContainsFunc(hits, func(h Hit) bool { return !slices.Contains(allowed, h.Code) })
			if bad {
				t.Errorf("%q: want %s first and only related procedures in the top 3, got %q", query, want, show(hits))
			}
		}
		if rankOf(hits, want) >= 0 {
			found++
			continue
		}
		t.Logf("miss %q: want %s %s, got %q", query, want, clipName(names[want]), show(hits))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if total < 200 || strict < 4 || away < 25 {
		t.Fatalf("queries.tsv has %d procedure queries (%d strict) and %d elsewhere, want 200 (4) and 25 or more", total, strict, away)
	}
	score := float64(found) / float64(total)
	t.Logf("top-3 accuracy: %d/%d = %.1f%%; %d strict rows, %d elsewhere rows", found, total, 100*score, strict, away)
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
