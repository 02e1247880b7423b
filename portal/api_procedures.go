package main

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
)

// procedureSummary is a procedure in a list, named in the reader's language.
type procedureSummary struct {
	Code           string         `json:"code"`
	Name           string         `json:"name"`
	Field          string         `json:"field"`
	Level          catalog.Level  `json:"level"`
	Agency         string         `json:"agency"`
	ProcessingDays int            `json:"processing_days"`
	Fee            string         `json:"fee"`
	Online         catalog.Online `json:"online"`
}

type procedureDetail struct {
	procedureSummary
	Documents      []string       `json:"documents"`
	LegalBasis     []string       `json:"legal_basis"`
	ProcessingNote string         `json:"processing_note"`
	Steps          []string       `json:"steps"`
	Forms          []catalog.Form `json:"forms"`
	PortalURL      string         `json:"portal_url"`
}

// elsewhereJSON says where to go for something the one-stop department does
// not handle, in the reader's language.
type elsewhereJSON struct {
	Name  string `json:"name"`
	Where string `json:"where"`
}

func summarize(p catalog.Procedure, lang string) procedureSummary {
	return procedureSummary{Code: p.Code, Name: p.LocalName(lang), Field: p.LocalField(lang), Level: p.Level,
		Agency: p.Agency, ProcessingDays: p.ProcessingDays, Fee: p.Fee, Online: p.Online}
}

// parseQuery reads a catalog query from the URL. A number that is not a
// number is malformed (400); one out of range is invalid (422).
func parseQuery(c *fiber.Ctx) (catalog.Query, error) {
	q := catalog.Query{
		Q:      c.Query("q"),
		Field:  c.Query("field"),
		Level:  catalog.Level(c.Query("level")),
		Online: catalog.Online(c.Query("online")),
	}
	var bad []apperr.FieldError
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &q.Limit}, {"offset", &q.Offset}} {
		raw := c.Query(p.name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			bad = append(bad, apperr.FieldError{Field: p.name, MessageID: "error.field.number"})
			continue
		}
		*p.dst = n
	}
	if len(bad) > 0 {
		return q, &apperr.Error{Code: apperr.Malformed, MessageID: "error.invalid_fields", Fields: bad}
	}
	return q, nil
}

// apiProcedures is GET /api/v1/procedures. Answers are kept per catalog
// version (searchCache).
func (s *server) apiProcedures(c *fiber.Ctx) error {
	q, err := parseQuery(c)
	if err != nil {
		return err
	}
	if err := q.Validate(); err != nil {
		return err
	}
	lang := langOf(c)
	version := s.catalog.Version()
	key := searchKey{q: q.Q, field: q.Field, lang: lang, level: q.Level, online: q.Online, limit: q.Limit, offset: q.Offset}
	if a := s.searches.get(version, key); a != nil {
		return a.send(c)
	}
	res, err := s.catalog.Search(q)
	if err != nil {
		return err
	}
	items := make([]procedureSummary, 0, len(res.Items))
	for _, p := range res.Items {
		items = append(items, summarize(p, lang))
	}
	body := fiber.Map{"items": items, "total": res.Total}
	if e := res.Elsewhere; e != nil {
		body["elsewhere"] = elsewhereJSON{Name: e.LocalName(lang), Where: e.LocalWhere(lang)}
	}
	a, err := newSearchAnswer(body)
	if err != nil {
		return err
	}
	s.searches.put(version, key, a)
	return a.send(c)
}

// apiProcedure is GET /api/v1/procedures/{code}.
func (s *server) apiProcedure(c *fiber.Ctx) error {
	p, err := s.catalog.Get(c.Params("code"))
	if err != nil {
		return err
	}
	forms := p.Forms
	if forms == nil {
		forms = []catalog.Form{}
	}
	return c.JSON(procedureDetail{procedureSummary: summarize(p, langOf(c)), Documents: p.Documents,
		LegalBasis: p.LegalBasis, ProcessingNote: p.ProcessingNote, Steps: p.Steps, Forms: forms, PortalURL: p.PortalURL()})
}
