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

// TestDatesInEachLanguage: times are Vietnam's in both languages; the
// Vietnamese pages write dd/mm/yyyy, the English ones a date that cannot be
// read the other way round (05/11/2026 is 11 May to many English readers);
// papers phrase a moment as the forms do.
func TestDatesInEachLanguage(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tm := time.Date(2026, 11, 5, 5, 1, 0, 0, time.UTC) // 12:01 on 5 November in Hà Nội
	vi, en := c.For("vi"), c.For("en")
	for _, tc := range []struct{ name, got, want string }{
		{"vi Date", vi.Date(tm), "05/11/2026"},
		{"vi DateTime", vi.DateTime(tm), "12:01 05/11/2026"},
		{"vi When", vi.When(tm), "lúc 12 giờ 01 ngày 05/11/2026"},
		{"en Date", en.Date(tm), "5 Nov 2026"},
		{"en DateTime", en.DateTime(tm), "12:01, 5 Nov 2026"},
		{"en When", en.When(tm), "at 12:01 on 5 Nov 2026"},
		{"vi Time", vi.Time(tm), "12:01"},
		{"vi Weekdays", vi.Weekdays(time.Monday, time.Friday), "Thứ Hai – Thứ Sáu"},
		{"vi one weekday", vi.Weekdays(time.Sunday, time.Sunday), "Chủ nhật"},
		{"en Weekdays", en.Weekdays(time.Saturday, time.Sunday), "Saturday – Sunday"},
		{"vi LongDate", vi.LongDate(tm), "ngày 05 tháng 11 năm 2026"},
		{"en LongDate", en.LongDate(tm), "5 November 2026"},
		{"zero", en.DateTime(time.Time{}), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
