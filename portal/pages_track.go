package main

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
)

// trackData is the tracking page: the form, and the citizen's view of the
// dossier once found.
type trackData struct {
	Code, Phone   string
	Error         string // translated; empty when there is none
	D             *dossier.View
	ProcedureName string
	UnitName      string
	Summary       string // the verdict in one sentence, translated
	NextStep      string
	RateURL       string // a signed link to rate the dossier, once finished and not yet rated
}

// pageTrack is /track: a GET form (code and phone), so that it works
// without JavaScript and the link in the QR code opens it with the code
// filled in. The answer for an unknown code and for a wrong phone is the
// same.
func (s *server) pageTrack(c *fiber.Ctx) error {
	t := s.tr(c)
	data := trackData{Code: strings.TrimSpace(c.Query("code")), Phone: strings.TrimSpace(c.Query("phone"))}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if data.Code == "" || data.Phone == "" {
		// A submitted form with a box left empty; a QR link brings the code alone.
		if c.Request().URI().QueryArgs().Has("phone") {
			data.Error = t.T("track.error.both")
		}
		return s.render(c, "track", t.T("track.title"), data)
	}
	v, err := s.dossiers.Track(c.UserContext(), actorOf(c), data.Code, data.Phone)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound:
		c.Status(fiber.StatusNotFound)
		data.Error = t.T("track.error.not_found")
		return s.render(c, "track", t.T("track.title"), data)
	case apperr.Invalid:
		c.Status(fiber.StatusUnprocessableEntity)
		data.Error = t.T("dossier.error.phone")
		return s.render(c, "track", t.T("track.title"), data)
	default:
		return err
	}
	data.D = &v
	if p, err := s.catalog.Get(v.ProcedureCode); err == nil {
		data.ProcedureName = p.LocalName(langOf(c))
	}
	data.UnitName = s.unitOf(c, v.UnitCode).Name
	data.Summary = t.Text(v.Summary.ID, v.Summary.Params)
	data.NextStep = t.Text(v.NextStep.ID, v.NextStep.Params)
	data.RateURL = s.rateURL(c, v.Code, v.CanRate)
	return s.render(c, "track", t.T("track.result_title", "Code", v.Code), data)
}
