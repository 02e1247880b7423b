package main

import (
	"github.com/gofiber/fiber/v2"

	"motcua/internal/catalog"
)

// detailData is one procedure for its start page.
type detailData struct {
	P           catalog.Procedure
	Name, Field string
	PortalURL   string // the procedure's own page on the national portal
	// ViOnly is set when the reader's language is not Vietnamese: the
	// record's own text (documents, fee, agency…) exists only in Vietnamese,
	// so the page says so and marks it lang="vi" for screen readers.
	ViOnly bool
}

// pageProcedure is GET /procedures/{code}, written like a GOV.UK start page.
func (s *server) pageProcedure(c *fiber.Ctx) error {
	p, err := s.catalog.Get(c.Params("code"))
	if err != nil {
		return err
	}
	lang := langOf(c)
	d := detailData{P: p, Name: p.LocalName(lang), Field: p.LocalField(lang), PortalURL: p.PortalURL(), ViOnly: lang != "vi"}
	return s.render(c, "procedure", d.Name, d)
}
