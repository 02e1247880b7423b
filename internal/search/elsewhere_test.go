package search

import (
	"strings"
	"testing"
)

func TestDefaultElsewhere(t *testing.T) {
	places := DefaultElsewhere() // panics if the embedded file is broken
	if len(places) < 8 {
		t.Fatalf("elsewhere.toml has %d places, want 8 or more", len(places))
	}
	// An index of a catalog that lists none of them sends each phrase of
	// each place to that place, with or without diacritics.
	ix := NewIndex(smallCatalog()[:3], mustSynonyms(t, testSynonyms).WithElsewhere(places))
	for _, p := range places {
		for _, ph := range p.phrases {
			q := "làm " + strings.Join(ph, " ") + " ở đâu"
			if got := ix.Elsewhere(q); got != p {
				t.Errorf("Elsewhere(%q) = %v, want %s", q, got, p.Key)
			}
		}
		if p.LocalName("en") != p.NameEn || p.LocalName("vi") != p.Name || p.LocalWhere("en") != p.WhereEn || p.LocalWhere("vi") != p.Where {
			t.Errorf("%s: local names and places do not follow the language", p.Key)
		}
	}
}

func TestElsewhere(t *testing.T) {
	places, err := LoadElsewhere(`
[[place]]
key = "passport"
name = "Hộ chiếu"
name_en = "Passport"
where = "Phòng Quản lý xuất nhập cảnh"
where_en = "The immigration office"
phrases = ["hộ chiếu", "passport"]

[[place]]
key = "id_card"
name = "Thẻ căn cước"
name_en = "Identity cards"
where = "Công an"
where_en = "The police"
phrases = ["cccd", "căn cước"]
`)
	if err != nil {
		t.Fatal(err)
	}
	syn := mustSynonyms(t, testSynonyms).WithElsewhere(places)
	// smallCatalog lists "Cấp thẻ căn cước": search answers identity card
	// queries from the catalog, even by a phrase the catalog does not use.
	ix := NewIndex(smallCatalog(), syn)
	tests := map[string]string{
		"làm hộ chiếu":        "passport",
		"LAM HO CHIEU":        "passport",
		"hộ chiếu bị mất":     "passport",
		"apply for passport":  "passport",
		"hộ":                  "",
		"hộ chi":              "", // not yet a phrase
		"đăng ký khai sinh":   "",
		"cccd":                "",
		"căn cước công dân":   "",
		"1.001193 hộ chiếu":   "", // a code is never sent elsewhere
		"":                    "",
		"   ":                 "",
		"hộ kinh doanh chiếu": "",
	}
	for q, want := range tests {
		got := ""
		if p := ix.Elsewhere(q); p != nil {
			got = p.Key
		}
		if got != want {
			t.Errorf("Elsewhere(%q) = %q, want %q", q, got, want)
		}
	}
	if hits := ix.Search("cccd", 3); len(hits) == 0 || hits[0].Code != "1.014061" {
		t.Errorf("cccd: %v, want the catalog's identity card first", codes(hits))
	}

	// Without the identity card in the catalog, the police are the answer.
	var docs []Doc
	for _, d := range smallCatalog() {
		if d.Code != "1.014061" {
			docs = append(docs, d)
		}
	}
	ix = NewIndex(docs, syn)
	for _, q := range []string{"cccd", "làm căn cước công dân"} {
		if p := ix.Elsewhere(q); p == nil || p.Key != "id_card" {
			t.Errorf("without identity cards in the catalog, Elsewhere(%q) = %v, want id_card", q, p)
		}
	}
	if NewIndex(docs, mustSynonyms(t, testSynonyms)).Elsewhere("hộ chiếu") != nil {
		t.Error("an index without places sent a query elsewhere")
	}
	if NewIndex(docs, nil).Elsewhere("hộ chiếu") != nil {
		t.Error("an index without synonyms sent a query elsewhere")
	}
}

func TestLoadElsewhereRejectsBrokenFiles(t *testing.T) {
	const ok = `name = "A"
name_en = "A"
where = "B"
where_en = "B"
`
	for name, src := range map[string]string{
		"not toml":        "[[place]\nkey=",
		"unknown key":     "[[place]]\nkey = \"a\"\n" + ok + "phrases = [\"x\"]\ncolour = \"red\"\n",
		"no key":          "[[place]]\n" + ok + "phrases = [\"x\"]\n",
		"duplicate key":   "[[place]]\nkey = \"a\"\n" + ok + "phrases = [\"x\"]\n[[place]]\nkey = \"a\"\n" + ok + "phrases = [\"y\"]\n",
		"no english":      "[[place]]\nkey = \"a\"\nname = \"A\"\nwhere = \"B\"\nphrases = [\"x\"]\n",
		"no phrases":      "[[place]]\nkey = \"a\"\n" + ok,
		"blank phrase":    "[[place]]\nkey = \"a\"\n" + ok + "phrases = [\" - \"]\n",
		"phrase too long": "[[place]]\nkey = \"a\"\n" + ok + "phrases = [\"a b c d e f g\"]\n",
	} {
		if _, err := LoadElsewhere(src); err == nil {
			t.Errorf("%s: LoadElsewhere succeeded, want an error", name)
		}
	}
}

// A query must match its meaningful words: filler alone makes no match, a
// word found nowhere keeps the common words next to it from listing every
// procedure that has them, and a typo becomes another syllable only where
// the catalog has the pair it then makes.
func TestSearchNeedsTheMeaningfulWords(t *testing.T) {
	ix := NewIndex(loadCatalog(t), DefaultSynonyms().WithElsewhere(nil))
	for _, q := range []string{
		"lam ho chieu",      // "chiếu" is no typo of "chiến" in "cựu chiến binh"
		"làm hộ chiếu",      //
		"đăng ký xe máy",    // not every "đăng ký"
		"xin cấp giấy qwzx", // "cấp giấy" is a pair of the catalog, but filler
	} {
		if hits := ix.Search(q, 0); len(hits) > 0 {
			t.Errorf("%q: %v, want no result", q, codes(hits))
		}
	}
	for q, want := range map[string]string{
		"hộ kinh doang":       "1.001612", // doang → doanh: "kinh doanh" is a pair of the catalog
		"khuyeet tat":         "1.001699",
		"tree felling permit": "1.002693", // tree → trees
		"giay khai tu":        "1.000656",
	} {
		if hits := ix.Search(q, 3); rankOf(hits, want) < 0 {
			t.Errorf("%q: %v, want %s in the top 3", q, codes(hits), want)
		}
	}
}
