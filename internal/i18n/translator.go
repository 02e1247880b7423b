package i18n

import (
	"fmt"
	"sync"
	"time"
	"unicode"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Translator speaks one language. It is safe for concurrent use and is
// handed to templates and bot replies per request.
type Translator struct {
	Lang  string
	loc   *goi18n.Localizer
	cat   *Catalog
	plain sync.Map // message ID → its text, for messages asked without parameters
}

// T translates a message ID. Parameters come in name, value pairs:
// T("search.count", "Count", 3). A missing message is logged and its ID shown,
// so a gap is visible rather than fatal.
func (t *Translator) T(id string, pairs ...any) string {
	if len(pairs) > 0 {
		return t.localize(id, nil, pairs)
	}
	// A message without parameters always reads the same: a page asks for
	// dozens, so each is localized once (README, "Performance").
	if s, ok := t.plain.Load(id); ok {
		return s.(string)
	}
	s, err := t.loc.Localize(&goi18n.LocalizeConfig{MessageID: id})
	if err != nil {
		return t.run(id, &goi18n.LocalizeConfig{MessageID: id})
	}
	t.plain.Store(id, s)
	return s
}

// Weekdays names a run of weekdays, "Thứ Hai – Thứ Sáu", or one day,
// capitalised as the head of a line.
func (t *Translator) Weekdays(from, to time.Weekday) string {
	day := func(d time.Weekday) string {
		r := []rune(t.T(fmt.Sprintf("weekday.%d", d)))
		if len(r) > 0 {
			r[0] = unicode.ToUpper(r[0])
		}
		return string(r)
	}
	if from == to {
		return day(from)
	}
	return day(from) + " – " + day(to)
}

// N translates a message with plural forms chosen by count; Count is also
// passed as a parameter.
func (t *Translator) N(id string, count int, pairs ...any) string {
	return t.localize(id, count, append([]any{"Count", count}, pairs...))
}

// Map translates with parameters already in a map (from apperr.Error).
func (t *Translator) Map(id string, params map[string]any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: params}
	if n, ok := params["Count"]; ok {
		cfg.PluralCount = n
	}
	return t.run(id, cfg)
}

// Text translates a message the service layer chose (an ID and its
// parameters); time parameters are shown as HH:MM dd/mm/yyyy in Vietnam.
func (t *Translator) Text(id string, params map[string]any) string {
	if len(params) == 0 {
		return t.Map(id, nil)
	}
	shown := make(map[string]any, len(params))
	for k, v := range params {
		if tm, ok := v.(time.Time); ok {
			v = t.DateTime(tm)
		}
		shown[k] = v
	}
	return t.Map(id, shown)
}

func (t *Translator) localize(id string, count any, pairs []any) string {
	var data map[string]any
	if len(pairs) > 0 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			data[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	return t.run(id, &goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
}

func (t *Translator) run(id string, cfg *goi18n.LocalizeConfig) string {
	s, err := t.loc.Localize(cfg)
	if err != nil {
		t.cat.log.Error("missing translation", "id", id, "lang", t.Lang, "err", err)
		if s == "" {
			return id
		}
	}
	return s
}

// Date formats t in Vietnam's time zone: dd/mm/yyyy in Vietnamese, and in
// English a form no reader can take the other way round ("5 Nov 2026"),
// since 05/11/2026 is 11 May to many English readers.
func (t *Translator) Date(tm time.Time) string {
	return t.format(tm, "2 Jan 2006", "02/01/2006")
}

// DateTime formats t in Vietnam's time zone: HH:MM dd/mm/yyyy in
// Vietnamese, "12:01, 5 Nov 2026" in English.
func (t *Translator) DateTime(tm time.Time) string {
	return t.format(tm, "15:04, 2 Jan 2006", "15:04 02/01/2006")
}

// When phrases a moment as the administrative forms do, for a sentence:
// "lúc 12 giờ 01 ngày 06/11/2026" in Vietnamese, "at 12:01 on 6 Nov 2026"
// in English.
func (t *Translator) When(tm time.Time) string {
	return t.format(tm, "at 15:04 on 2 Jan 2006", "lúc 15 giờ 04 ngày 02/01/2006")
}

// LongDate is the date line of a paper: "ngày 06 tháng 11 năm 2026" in
// Vietnamese, "6 November 2026" in English.
func (t *Translator) LongDate(tm time.Time) string {
	return t.format(tm, "2 January 2006", "ngày 02 tháng 01 năm 2006")
}

// Time formats t as HH:MM in Vietnam's time zone.
func (t *Translator) Time(tm time.Time) string {
	return t.format(tm, "15:04", "15:04")
}

// format lays tm out in Vietnam's time zone by the English or the
// Vietnamese layout; the zero time is "".
func (t *Translator) format(tm time.Time, en, vi string) string {
	if tm.IsZero() {
		return ""
	}
	if t.Lang == "en" {
		return tm.In(t.cat.zone).Format(en)
	}
	return tm.In(t.cat.zone).Format(vi)
}
