package search

import (
	"slices"
	"strings"
	"testing"
)

func TestDefaultSynonyms(t *testing.T) {
	syn := DefaultSynonyms() // panics if the embedded file is broken
	if n := syn.Len(); n < 60 {
		t.Errorf("embedded synonyms have %d rules, want 60 or more", n)
	}
	for _, phrase := range []string{"so do", "bao tu", "xay nha", "ho khau", "cccd", "ly di", "con nuoi", "ho ngheo"} {
		words := strings.Fields(phrase)
		if !slices.ContainsFunc(syn.rules[words[0]], func(r rule) bool { return slices.Equal(r.from, words) }) {
			t.Errorf("no rule for %q", phrase)
		}
	}
}

// Every official wording must be wording of the catalog, or the rule leads
// nowhere.
func TestSynonymTargetsAreCatalogWords(t *testing.T) {
	ix := NewIndex(loadCatalog(t), nil)
	syn := DefaultSynonyms()
	for _, rs := range syn.rules {
		for _, r := range rs {
			for _, to := range r.to {
				for _, w := range to {
					if _, ok := ix.ids[w]; !ok {
						t.Errorf("%q → %q: %q is not a word of the catalog", strings.Join(r.from, " "), strings.Join(to, " "), w)
					}
				}
			}
		}
	}
}

func TestLoadSynonyms(t *testing.T) {
	syn := mustSynonyms(t, `
# comment
Sổ Đỏ = Giấy chứng nhận quyền sử dụng đất   # trailing comment
sổ đỏ = giấy chứng nhận
cưới = đăng ký kết hôn | kết hôn
[filler]
Thủ tục
`)
	rs := syn.rules["so"]
	if len(rs) != 1 || len(rs[0].to) != 2 {
		t.Fatalf("rules for so = %+v, want one rule with two readings", rs)
	}
	if got, want := strings.Join(rs[0].to[0], " "), "giay chung nhan quyen su dung dat"; got != want {
		t.Errorf("first reading = %q, want %q", got, want)
	}
	if got := len(syn.rules["cuoi"][0].to); got != 2 {
		t.Errorf("cưới has %d readings, want 2", got)
	}
	if !syn.knows("thu") || !syn.knows("tuc") || !syn.knows("so") {
		t.Error("words of left sides and filler should be known")
	}
	if syn.Len() != 2 {
		t.Errorf("Len() = %d, want 2", syn.Len())
	}
}

func TestLoadSynonymsRejectsBrokenFiles(t *testing.T) {
	tests := []struct{ name, file string }{
		{"no equals sign", "sổ đỏ giấy chứng nhận"},
		{"empty left side", " = giấy chứng nhận"},
		{"empty right side", "sổ đỏ = "},
		{"empty reading", "sổ đỏ = giấy | "},
		{"punctuation only", "!! = giấy"},
		{"unknown section", "[words]\nsổ đỏ = giấy"},
		{"equals in filler", "[filler]\nthủ tục = làm"},
		{"left side too long", "a b c d e f g = giấy"},
		{"reading too long", "sổ đỏ = " + strings.Repeat("x ", 17)},
		{"too many readings", "sổ đỏ = a | b | c | d"},
		{"too many readings over lines", "sổ đỏ = a | b\nsổ đỏ = c | d"},
		{"line too long for the scanner", "a = " + strings.Repeat("b", 70000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadSynonyms(strings.NewReader(tt.file)); err == nil {
				t.Errorf("LoadSynonyms(%q) succeeded, want an error", tt.file)
			}
		})
	}
}

func TestVariants(t *testing.T) {
	syn := mustSynonyms(t, `
sổ đỏ = giấy chứng nhận
sang tên sổ đỏ = đăng ký biến động
cưới = kết hôn | hôn nhân
[filler]
xin
`)
	// The catalog of this test names "cưới", and has "sổ" and "đỏ" but not
	// next to each other: a query with "sổ đỏ" loses its literal reading.
	ix := NewIndex([]Doc{{Code: "1", Name: "Tiệc cưới"}, {Code: "2", Name: "Sổ hộ tịch, giấy đỏ"}}, nil)
	tests := []struct {
		query   string
		want    []string
		literal bool
	}{
		{"xin sổ đỏ", []string{"xin_ giay chung nhan"}, false},
		{"sang tên sổ đỏ", []string{"dang ky bien dong"}, false},
		{"cưới và sổ đỏ ", []string{"ket hon va giay chung nhan", "hon nhan va giay chung nhan"}, false},
		{"cưới", []string{"cuoi", "ket hon", "hon nhan"}, true},
		{"so d", []string{"so d"}, true}, // unfinished: not yet a phrase
	}
	for _, tt := range tests {
		var got []string
		vs, literal := syn.variants(parse(tt.query), ix)
		if literal != tt.literal {
			t.Errorf("variants(%q) literal = %v, want %v", tt.query, literal, tt.literal)
		}
		for _, v := range vs {
			var words []string
			for _, tok := range v {
				w := tok.text
				if tok.stop {
					w += "_"
				}
				words = append(words, w)
			}
			got = append(got, strings.Join(words, " "))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("variants(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
