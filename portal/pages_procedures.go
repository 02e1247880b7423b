package main

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/i18n"
)

// searchPageSize is how many procedures a results page lists; maxPage keeps
// the offset within what the catalog accepts.
const (
	searchPageSize = 20
	maxPage        = catalog.MaxOffset/searchPageSize + 1
)

// searchData is the search page: the form as the reader filled it, one page
// of results, and the problems with the input, if any.
type searchData struct {
	Q, Field, Level, Online string
	Filtered                bool // a field, level or online filter is set
	Fields, Levels, Onlines []option
	Items                   []procedureRow
	Total, Page, Pages      int
	PrevURL, NextURL        string
	FirstURL, ClearURL      string
	Problems                []problem
	// Elsewhere is set when the query asks for something another office
	// handles: the page says where to go instead of listing procedures.
	Elsewhere *elsewhereJSON
}

type option struct {
	Value, Label string
	Selected     bool
}

// problem is one entry of the error summary; Target is the id of the input
// it is about, so the summary can link to it.
type problem struct{ Target, Label, Message string }

type procedureRow struct {
	Code, Name, Field, Fee string
	Days                   int
	Level                  catalog.Level
	Online                 catalog.Online
}

// pageProcedures is GET /procedures: search and filters as a plain GET form.
// Bad input shows the same page with an error summary and a 4xx status.
func (s *server) pageProcedures(c *fiber.Ctx) error {
	t, lang := s.tr(c), langOf(c)
	q, page, err := parseSearchPage(c)
	d := searchData{Q: strings.ToValidUTF8(q.Q, ""), Field: strings.ToValidUTF8(q.Field, ""),
		Level: string(q.Level), Online: string(q.Online), Page: page}
	d.Filtered = d.Field != "" || d.Level != "" || d.Online != ""
	if err == nil {
		var res catalog.Result
		if res, err = s.catalog.Search(q); err == nil {
			d.Total = res.Total
			if e := res.Elsewhere; e != nil {
				d.Elsewhere = &elsewhereJSON{Name: e.LocalName(lang), Where: e.LocalWhere(lang)}
			}
			for _, p := range res.Items {
				d.Items = append(d.Items, procedureRow{Code: p.Code, Name: p.LocalName(lang), Field: p.LocalField(lang),
					Fee: p.Fee, Days: p.ProcessingDays, Level: p.Level, Online: p.Online})
			}
		}
	}
	if err != nil {
		ae := apperr.As(err)
		if ae.Code == apperr.Internal || ae.Code == apperr.Unavailable {
			return err
		}
		c.Status(statusOf(ae.Code))
		d.Problems = problems(t, ae)
	}
	d.options(t, lang, s.catalog.Fields())
	d.links()

	title := d.heading(t)
	if len(d.Problems) > 0 {
		title = t.T("procedures.error_prefix") + " " + title
	}
	return s.render(c, "procedures", title, d)
}

// parseSearchPage reads the form. A page that is not a number is malformed
// (400); one out of range is invalid (422), reported with the query's own
// problems so the reader sees them all at once.
func parseSearchPage(c *fiber.Ctx) (catalog.Query, int, error) {
	q := catalog.Query{Q: c.Query("q"), Field: c.Query("field"), Level: catalog.Level(c.Query("level")),
		Online: catalog.Online(c.Query("online")), Limit: searchPageSize}
	raw := c.Query("page")
	if raw == "" {
		return q, 1, nil
	}
	page, err := strconv.Atoi(raw)
	var bad *apperr.Error
	switch {
	case err != nil:
		bad = &apperr.Error{Code: apperr.Malformed, MessageID: "error.invalid_fields",
			Fields: []apperr.FieldError{{Field: "page", MessageID: "error.field.number"}}}
	case page < 1:
		bad = apperr.Fields([]apperr.FieldError{{Field: "page", MessageID: "error.field.page_min"}})
	default:
		// A page past the last says so and links to the first; one past
		// the furthest the search goes is taken as that one.
		page = min(page, maxPage)
		q.Offset = (page - 1) * searchPageSize
		return q, page, nil
	}
	if qerr := q.Validate(); qerr != nil {
		bad.Fields = append(apperr.As(qerr).Fields, bad.Fields...)
	}
	return q, 1, bad
}

// searchLabels names the inputs in the error summary.
var searchLabels = map[string]struct{ target, label string }{
	"q":      {"q", "procedures.search.label"},
	"field":  {"field", "procedures.filter.field"},
	"level":  {"level", "procedures.filter.level"},
	"online": {"online", "procedures.filter.online"},
	"page":   {"pager", "procedures.label.page"},
}

func problems(t *i18n.Translator, ae *apperr.Error) []problem {
	if len(ae.Fields) == 0 {
		return []problem{{Target: "q", Message: t.Map(ae.MessageID, ae.Params)}}
	}
	out := make([]problem, 0, len(ae.Fields))
	for _, f := range ae.Fields {
		p := problem{Target: "q", Message: t.Map(f.MessageID, f.Params)}
		if l, ok := searchLabels[f.Field]; ok {
			p.Target, p.Label = l.target, t.T(l.label)
		}
		out = append(out, p)
	}
	return out
}

// options fills the filter selects, in the reader's language.
func (d *searchData) options(t *i18n.Translator, lang string, fields []catalog.Field) {
	d.Fields = []option{{Label: t.T("procedures.filter.field_all")}}
	for _, f := range fields {
		d.Fields = append(d.Fields, option{Value: f.Name, Label: f.LocalName(lang), Selected: f.Name == d.Field || f.NameEn == d.Field})
	}
	d.Levels = []option{{Label: t.T("procedures.filter.level_all")}}
	for _, l := range []catalog.Level{catalog.LevelCommune, catalog.LevelDistrict, catalog.LevelProvince} {
		d.Levels = append(d.Levels, option{Value: string(l), Label: t.T("procedure.level." + string(l)), Selected: string(l) == d.Level})
	}
	d.Onlines = []option{{Label: t.T("procedures.filter.online_all")}}
	for _, o := range []catalog.Online{catalog.OnlineFull, catalog.OnlinePartial, catalog.OnlineNone} {
		d.Onlines = append(d.Onlines, option{Value: string(o), Label: t.T("procedure.online." + string(o)), Selected: string(o) == d.Online})
	}
}

// links builds the pager and the "clear filters" link; they keep the
// reader's query and filters.
func (d *searchData) links() {
	d.Pages = max(1, (d.Total+searchPageSize-1)/searchPageSize)
	if d.Page > 1 {
		d.PrevURL = d.url(d.Q, true, min(d.Page-1, d.Pages))
		d.FirstURL = d.url(d.Q, true, 1)
	}
	if d.Page < d.Pages {
		d.NextURL = d.url(d.Q, true, d.Page+1)
	}
	d.ClearURL = d.url(d.Q, false, 1)
}

func (d *searchData) url(q string, filters bool, page int) string {
	v := url.Values{}
	add := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	add("q", q)
	if filters {
		add("field", d.Field)
		add("level", d.Level)
		add("online", d.Online)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/procedures"
	}
	return "/procedures?" + v.Encode()
}

// heading names the page after what the reader asked for.
func (d *searchData) heading(t *i18n.Translator) string {
	switch {
	case len(d.Problems) > 0:
		return t.T("procedures.title")
	case d.Q != "":
		return t.T("procedures.title_q", "Q", d.Q)
	case d.Filtered:
		return t.T("procedures.title")
	}
	return t.T("procedures.title_all")
}
