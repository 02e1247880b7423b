package main

import (
	"github.com/gofiber/fiber/v2"

	"motcua/internal/catalog"
	"motcua/internal/queue"
)

// maxPlaces is how many places the procedure page lists; the rest are
// counted (a province has hundreds of communes, the page stays light).
const maxPlaces = 10

// detailData is one procedure for its start page.
type detailData struct {
	P           catalog.Procedure
	Name, Field string
	PortalURL   string // the procedure's own page on the national portal
	// ViOnly is set when the reader's language is not Vietnamese: the
	// record's own text (documents, fee, agency…) exists only in Vietnamese,
	// so the page says so and marks it lang="vi" for screen readers.
	ViOnly bool
	// Places are where to file it (docs/domain.md, "Where to go"), at
	// most maxPlaces; More counts the others.
	Places []queue.Place
	More   int
	// OfficeHours: some place has its own opening hours, so the page's
	// general hours are left out.
	OfficeHours bool
	Lang        string
}

// pageProcedure is GET /procedures/{code}, written like a GOV.UK start page.
func (s *server) pageProcedure(c *fiber.Ctx) error {
	p, err := s.catalog.Get(c.Params("code"))
	if err != nil {
		return err
	}
	lang := langOf(c)
	d := detailData{P: p, Name: p.LocalName(lang), Field: p.LocalField(lang), PortalURL: p.PortalURL(), ViOnly: lang != "vi", Lang: lang}
	// The page stands without its places: a store that does not answer
	// costs the section, not the page.
	if d.Places, err = s.queue.Places(c.UserContext(), p.Field, p.Level); err != nil {
		s.log.Error("load places", "request_id", requestIDOf(c), "procedure", p.Code, "err", err)
	}
	if len(d.Places) > maxPlaces {
		d.Places, d.More = d.Places[:maxPlaces], len(d.Places)-maxPlaces
	}
	for _, pl := range d.Places {
		if !pl.Hours.IsZero() {
			d.OfficeHours = true
		}
	}
	return s.render(c, "procedure", d.Name, d)
}
