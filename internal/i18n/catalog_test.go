package i18n

import (
	"io/fs"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"motcua/locales"
)

// flatten returns each message ID with the plural forms it defines ("" for a
// plain string).
func flatten(t *testing.T, lang string) map[string][]string {
	t.Helper()
	b, err := fs.ReadFile(locales.FS, "active."+lang+".toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	out := map[string][]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", lang, id)
			}
			out[id] = nil
		case map[string]any:
			var forms []string
			for k := range v {
				if k != "description" {
					forms = append(forms, k)
				}
			}
			sort.Strings(forms)
			out[id] = forms
		default:
			t.Errorf("%s: %s has an unexpected shape", lang, id)
		}
	}
	return out
}

func TestEveryLocaleHasEveryMessage(t *testing.T) {
	vi, en := flatten(t, "vi"), flatten(t, "en")
	if len(vi) == 0 {
		t.Fatal("no Vietnamese messages")
	}
	for id := range vi {
		if _, ok := en[id]; !ok {
			t.Errorf("en lacks %s", id)
		}
	}
	for id := range en {
		if _, ok := vi[id]; !ok {
			t.Errorf("vi lacks %s", id)
		}
	}
	for _, m := range []map[string][]string{vi, en} {
		for id, forms := range m {
			if forms == nil {
				continue
			}
			if strings.Join(forms, ",") != "one,other" {
				t.Errorf("%s has plural forms %v, want one and other", id, forms)
			}
		}
	}
}

func TestCatalogLoadsAndTranslates(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.For("vi").T("error.not_found"); got == "error.not_found" || got == "" {
		t.Errorf("vi error.not_found = %q", got)
	}
	if vi, en := c.For("vi").T("error.not_found"), c.For("en").T("error.not_found"); vi == en {
		t.Errorf("vi and en agree on %q; want two languages", vi)
	}
	if got := c.For("en").T("no.such.message"); got != "no.such.message" {
		t.Errorf("missing message = %q, want its ID", got)
	}
}

func TestMatch(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		explicit []string
		accept   string
		want     string
	}{
		{nil, "", "vi"},
		{nil, "en-US,en;q=0.9", "en"},
		{nil, "vi-VN,vi;q=0.9,en;q=0.8", "vi"},
		{nil, "fr-FR,fr;q=0.9", "vi"},
		{nil, "fr-FR,en;q=0.5", "en"},
		{nil, ";;;garbage", "vi"},
		{[]string{"en"}, "vi", "en"},
		{[]string{"xx", "en"}, "vi", "en"},
		{[]string{"xx"}, "en", "en"},
	} {
		if got := c.Match(tc.explicit, tc.accept); got != tc.want {
			t.Errorf("Match(%v, %q) = %q, want %q", tc.explicit, tc.accept, got, tc.want)
		}
	}
}

func TestDatesAreVietnamese(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tm := time.Date(2026, 4, 29, 20, 30, 0, 0, time.UTC) // 03:30 on 30 April in Hà Nội
	tr := c.For("en")
	if got, want := tr.Date(tm), "30/04/2026"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	if got, want := tr.DateTime(tm), "03:30 30/04/2026"; got != want {
		t.Errorf("DateTime = %q, want %q", got, want)
	}
}
