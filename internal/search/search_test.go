package search

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// smallCatalog is a few real procedures, enough to pin each kind of match.
func smallCatalog() []Doc {
	return []Doc{
		{"1.001193", "Đăng ký khai sinh", "Birth registration", "Hộ tịch", "Civil status", "UBND cấp xã"},
		{"2.000528", "Đăng ký khai sinh có yếu tố nước ngoài", "Birth registration with foreign element", "Hộ tịch", "Civil status", "UBND cấp xã"},
		{"1.004884", "Đăng ký lại khai sinh", "Re-registration of birth", "Hộ tịch", "Civil status", "UBND cấp xã"},
		{"1.000894", "Đăng ký kết hôn", "Marriage registration", "Hộ tịch", "Civil status", "UBND cấp xã"},
		{"1.000656", "Đăng ký khai tử", "Death registration", "Hộ tịch", "Civil status", "UBND cấp xã"},
		{"1.004859", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Correction of civil status information", "Hộ tịch", "Civil status", "UBND cấp xã"},
		{"1.004222", "Đăng ký thường trú", "Permanent residence registration", "Đăng ký, quản lý cư trú", "Residence", "Công an cấp xã"},
		{"1.013978", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "First-time land use right certificate", "Đất đai", "Land", "UBND cấp xã"},
		{"2.000815", "Chứng thực bản sao từ bản chính", "Certified copies from originals", "Chứng thực", "Certification", "UBND cấp xã"},
		{"2.000986", "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú", "Linked procedure: birth and residence", "Hộ tịch", "Civil status", "UBND cấp xã"},
		{"1.013225", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "Construction permit for detached houses", "Xây dựng", "Construction", "UBND cấp xã"},
		{"1.001612", "Đăng ký thành lập hộ kinh doanh", "Household business registration", "Hộ kinh doanh", "Household business", "UBND cấp xã"},
		{"1.014061", "Cấp thẻ căn cước", "Issuance of identity card", "Cấp, quản lý căn cước", "Identity", "Công an"},
		{"1.001776", "Trợ cấp xã hội hàng tháng", "Monthly social allowance", "Bảo trợ xã hội", "Social protection", "UBND cấp xã"},
	}
}

const testSynonyms = `
[synonyms]
sổ đỏ = giấy chứng nhận quyền sử dụng đất
cccd = thẻ căn cước
hộ khẩu = đăng ký thường trú
[filler]
thủ tục
xin
cấp
`

func mustSynonyms(tb testing.TB, s string) *Synonyms {
	tb.Helper()
	syn, err := LoadSynonyms(strings.NewReader(s))
	if err != nil {
		tb.Fatal(err)
	}
	return syn
}

func codes(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Code
	}
	return out
}

func TestSearchFindsEachKindOfMatch(t *testing.T) {
	ix := NewIndex(smallCatalog(), mustSynonyms(t, testSynonyms))
	tests := []struct {
		name, query, want string
	}{
		{"with diacritics", "Đăng ký khai sinh", "1.001193"},
		{"without diacritics", "dang ky khai sinh", "1.001193"},
		{"đ typed as d", "dang ky ket hon", "1.000894"},
		{"capitals", "ĐĂNG KÝ KẾT HÔN", "1.000894"},
		{"decomposed Unicode", "Đa\u0306ng ky\u0301 khai tu\u031b\u0309", "1.000656"},
		{"unfinished last word", "khai si", "1.001193"},
		{"unfinished word with diacritics", "đăng ký thường tr", "1.004222"},
		{"one typo in a long word", "dang ky thuongg tru", "1.004222"},
		{"swapped letters", "registartion of marriage", "1.000894"},
		{"two typos in a very long word", "certifcate lnd", "1.013978"},
		{"English name", "birth registration", "1.001193"},
		{"exact code", "1.000656", "1.000656"},
		{"code prefix", "1.01397", "1.013978"},
		{"code inside words", "thủ tục 1.004222", "1.004222"},
		{"code number alone", "001193", "1.001193"},
		{"colloquial phrase", "sổ đỏ", "1.013978"},
		{"colloquial without diacritics", "so do", "1.013978"},
		{"abbreviation", "làm cccd", "1.014061"},
		{"filler words around", "thủ tục xin cấp giấy phép xây dựng", "1.013225"},
		{"Telex keys left in", "ddawng kys khai sinh", "1.001193"},
		{"VNI keys left in", "d9a8ng ky1 ke61t ho6n", "1.000894"},
		{"words run together", "khaisinh", "1.001193"},
		{"kí for ký", "đăng kí kết hôn", "1.000894"},
		{"compound with a filler syllable", "tro cap xa hoi", "1.001776"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := ix.Search(tt.query, 5)
			if len(hits) == 0 || hits[0].Code != tt.want {
				t.Errorf("Search(%q) = %v, want %s first", tt.query, codes(hits), tt.want)
			}
		})
	}
}

func TestSearchRanking(t *testing.T) {
	tests := []struct {
		name        string
		docs        []Doc
		query       string
		first, then string
	}{
		{
			name:  "all words beat some words",
			docs:  []Doc{{Code: "A", Name: "khai sinh"}, {Code: "B", Name: "đăng ký khai sinh"}},
			query: "đăng ký khai sinh", first: "B", then: "A",
		},
		{
			name:  "name beats field",
			docs:  []Doc{{Code: "A", Name: "chứng thực", Field: "hộ tịch"}, {Code: "B", Name: "thay đổi hộ tịch", Field: "tư pháp"}},
			query: "hộ tịch", first: "B", then: "A",
		},
		{
			name:  "field beats agency",
			docs:  []Doc{{Code: "A", Name: "x", Agency: "công an"}, {Code: "B", Name: "y", Field: "công an"}},
			query: "công an", first: "B", then: "A",
		},
		{
			name:  "exact word beats prefix",
			docs:  []Doc{{Code: "A", Name: "giấy phép karaokes"}, {Code: "B", Name: "giấy phép karaoke"}},
			query: "karaoke", first: "B", then: "A",
		},
		{
			name:  "prefix beats typo",
			docs:  []Doc{{Code: "A", Name: "dịch vụ karas"}, {Code: "B", Name: "dịch vụ karaoke"}},
			query: "karao", first: "B", then: "A",
		},
		{
			name:  "words in order beat words scattered",
			docs:  []Doc{{Code: "A", Name: "sinh khai"}, {Code: "B", Name: "khai sinh"}},
			query: "khai sinh", first: "B", then: "A",
		},
		{
			name:  "shorter name on a tie",
			docs:  []Doc{{Code: "A", Name: "đăng ký khai sinh có yếu tố nước ngoài"}, {Code: "B", Name: "đăng ký khai sinh"}},
			query: "đăng ký khai sinh", first: "B", then: "A",
		},
		{
			name:  "smaller code on a full tie",
			docs:  []Doc{{Code: "2.000001", Name: "đăng ký tạm trú"}, {Code: "1.000001", Name: "đăng ký tạm trú"}},
			query: "tạm trú", first: "1.000001", then: "2.000001",
		},
		{
			name:  "exact code beats code prefix",
			docs:  []Doc{{Code: "1.0011930", Name: "a"}, {Code: "1.001193", Name: "b"}},
			query: "1.001193", first: "1.001193", then: "1.0011930",
		},
		{
			name: "filler in a name does not win",
			docs: []Doc{
				{Code: "A", Name: "Liên thông thủ tục hành chính về cấp giấy phép"},
				{Code: "B", Name: "Cấp giấy phép xây dựng"},
			},
			query: "thủ tục xin cấp giấy phép xây dựng", first: "B", then: "A",
		},
	}
	syn := mustSynonyms(t, testSynonyms)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(NewIndex(tt.docs, syn).Search(tt.query, 0))
			i, j := slices.Index(got, tt.first), slices.Index(got, tt.then)
			if i < 0 || (j >= 0 && j < i) {
				t.Errorf("Search(%q) = %v, want %s before %s", tt.query, got, tt.first, tt.then)
			}
		})
	}
}

func TestSearchDropsDocumentsMatchingOnlyCommonWords(t *testing.T) {
	ix := NewIndex(smallCatalog(), nil)
	got := codes(ix.Search("đăng ký khai sinh", 0))
	for _, c := range []string{"1.000894", "1.004222", "1.001612"} {
		if slices.Contains(got, c) {
			t.Errorf("Search(đăng ký khai sinh) = %v, should not contain %s (only đăng ký)", got, c)
		}
	}
}

func TestSearchLeavesShortWordsAlone(t *testing.T) {
	// "tinh" is one letter from "sinh", but both are real syllables.
	ix := NewIndex(smallCatalog(), nil)
	if got := ix.Search("tinh", 0); got != nil {
		t.Errorf("Search(tinh) = %v, want nothing", codes(got))
	}
}

func TestSearchEdgeCases(t *testing.T) {
	ix := NewIndex(smallCatalog(), DefaultSynonyms())
	tests := []struct {
		name  string
		query string
		max   int
		want  int // number of hits; -1: any number ≥ 1
	}{
		{"empty", "", 10, 0},
		{"blank", " \t\n", 10, 0},
		{"punctuation only", "?!.,;", 10, 0},
		{"unknown word", "xyzzyq", 10, 0},
		{"invalid UTF-8", "\xff\xfe\xfd", 10, 0},
		{"max limits", "đăng ký", 2, 2},
		{"max zero means all", "đăng ký", 0, -1},
		{"negative max means all", "đăng ký", -3, -1},
		{"very long query", strings.Repeat("đăng ký khai sinh ", 2000), 5, -1},
		{"filler only", "thủ tục", 10, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Search(tt.query, tt.max)
			switch {
			case tt.want == 0 && got != nil:
				t.Errorf("Search(%q) = %v, want nil", tt.query, codes(got))
			case tt.want > 0 && len(got) != tt.want:
				t.Errorf("Search(%q, %d) has %d hits, want %d", tt.query, tt.max, len(got), tt.want)
			case tt.want < 0 && len(got) == 0:
				t.Errorf("Search(%q) found nothing", tt.query)
			}
			if tt.max > 0 && len(got) > tt.max {
				t.Errorf("Search(%q, %d) has %d hits", tt.query, tt.max, len(got))
			}
		})
	}
}

func TestSearchAllIsLimitedPrefix(t *testing.T) {
	// The pruning that serves a limit must not change the order.
	ix := NewIndex(catalog10k(t), DefaultSynonyms())
	for _, q := range benchQueries {
		all := ix.Search(q, 0)
		top := ix.Search(q, 20)
		if n := min(20, len(all)); !slices.Equal(top, all[:n]) {
			t.Errorf("Search(%q, 20) = %v, want the first %d of Search(%q, 0): %v", q, codes(top), n, q, codes(all[:n]))
		}
	}
}

func TestSearchScoresAreOrderedAndInRange(t *testing.T) {
	ix := NewIndex(loadCatalog(t), DefaultSynonyms())
	for _, q := range benchQueries {
		hits := ix.Search(q, 0)
		seen := map[string]bool{}
		for i, h := range hits {
			if h.Score <= 0 || h.Score > 1 {
				t.Errorf("Search(%q): score %v of %s out of (0, 1]", q, h.Score, h.Code)
			}
			if i > 0 && hits[i-1].Score < h.Score {
				t.Errorf("Search(%q): %v not ordered by score", q, hits)
			}
			if seen[h.Code] {
				t.Errorf("Search(%q): %s twice", q, h.Code)
			}
			seen[h.Code] = true
		}
	}
}

func TestSearchConcurrentAndDeterministic(t *testing.T) {
	ix := NewIndex(loadCatalog(t), DefaultSynonyms())
	want := make([][]Hit, len(benchQueries))
	for i, q := range benchQueries {
		want[i] = ix.Search(q, 10)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 50 {
				i := (g + k) % len(benchQueries)
				if got := ix.Search(benchQueries[i], 10); !slices.Equal(got, want[i]) {
					t.Errorf("Search(%q) = %v, earlier %v", benchQueries[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNewIndexEmptyAndNilSynonyms(t *testing.T) {
	empty := NewIndex(nil, nil)
	if empty.Len() != 0 || empty.Search("khai sinh", 5) != nil {
		t.Errorf("empty index: Len %d, Search %v", empty.Len(), empty.Search("khai sinh", 5))
	}
	ix := NewIndex(smallCatalog(), nil)
	if got, want := ix.Len(), len(smallCatalog()); got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	if hits := ix.Search("khai sinh", 1); len(hits) != 1 || hits[0].Code != "1.001193" {
		t.Errorf("Search(khai sinh) without synonyms = %v, want 1.001193", codes(hits))
	}
}

func TestParseBoundsTheQuery(t *testing.T) {
	tests := []struct {
		name  string
		query string
		max   int
	}{
		{"many words", strings.Repeat("khai sinh ", 500), maxQueryTokens},
		{"many codes", strings.Repeat("1.001193 ", 50), maxCodeTokens},
		{"one huge word", strings.Repeat("a", 100000), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parse(tt.query); len(got) > tt.max {
				t.Errorf("parse gives %d tokens, want at most %d", len(got), tt.max)
			}
		})
	}
	if got := clip(strings.Repeat("đ", 500), maxQueryRunes); len([]rune(got)) != maxQueryRunes {
		t.Errorf("clip kept %d runes, want %d", len([]rune(got)), maxQueryRunes)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		query string
		want  string
	}{
		{"Đăng ký khai si", "dang ky khai si*"},
		{"Đăng ký khai sinh ", "dang ky khai sinh"},
		{"khai sinh, 1.001193", "khai sinh 1.001193#*"},
		{"1.001193 khai sinh", "khai sinh* 1.001193#*"},
		{"1.010708.000.00.00.H56.", "1.010708.000.00.00.h56#*"},
		{"1.5 triệu", "triệu* 1.5#*"},
	}
	for _, tt := range tests {
		var b []string
		for _, tok := range parse(tt.query) {
			s := tok.text
			if tok.code {
				s += "#"
			}
			if tok.prefix {
				s += "*"
			}
			b = append(b, s)
		}
		if got := strings.Join(b, " "); got != strings.ReplaceAll(tt.want, "triệu", "trieu") {
			t.Errorf("parse(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestRepair(t *testing.T) {
	ix := NewIndex(smallCatalog(), nil)
	tests := []struct{ in, want string }{
		{"ddawng kys", "dang ky"},
		{"thuowngf truws", "thuong tru"},
		{"d9a8ng ky1", "dang ky"},
		{"khaisinh", "khai sinh"},
		{"dangkykethon", "dang ky ket hon"},
		{"khai sinh", "khai sinh"},
		{"xyzzyq", "xyzzyq"},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range ix.repair(parse(tt.in + " ")) {
			got = append(got, tok.text)
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("repair(%q) = %q, want %q", tt.in, g, tt.want)
		}
	}
}

func TestOSA(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"registration", "registration", 2, 0},
		{"registartion", "registration", 2, 1},
		{"regstraton", "registration", 2, 2},
		{"rgstraton", "registration", 2, 3},
		{"thuong", "thuongg", 1, 1},
		{"abc", "xyz", 1, 2},
	}
	for _, tt := range tests {
		if got := osa(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("osa(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func ExampleIndex_Search() {
	ix := NewIndex([]Doc{
		{Code: "1.001193", Name: "Đăng ký khai sinh", NameEn: "Birth registration"},
		{Code: "1.000894", Name: "Đăng ký kết hôn", NameEn: "Marriage registration"},
	}, DefaultSynonyms())
	for _, q := range []string{"dang ky khai sinh", "khai si", "cưới vợ", "1.000894"} {
		fmt.Println(q, "→", ix.Search(q, 1)[0].Code)
	}
	// Output:
	// dang ky khai sinh → 1.001193
	// khai si → 1.001193
	// cưới vợ → 1.000894
	// 1.000894 → 1.000894
}
