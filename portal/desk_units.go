package main

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/unit"
)

// The administrators' pages for units: /desk/units lists the units with
// where their one-stop department is, /desk/units/{code} edits its address
// and phone (shown to citizens on the tracking page, the procedure page and
// the papers). The unit service checks the administrator itself; the form
// carries the session's CSRF token and redirects after success.

type deskUnitsData struct {
	Units []unit.Unit
	Saved string // the unit just saved
}

// deskUnits is GET /desk/units.
func (s *server) deskUnits(c *fiber.Ctx) error {
	us, err := s.units.Editable(c.UserContext(), actorOf(c))
	if err != nil {
		return err
	}
	d := deskUnitsData{Units: us}
	for _, u := range us {
		if u.Code == c.Query("saved") {
			d.Saved = u.Name
		}
	}
	return s.deskPage(c, "desk_units", s.tr(c).T("desk.units.title"), d)
}

type deskUnitData struct {
	Unit   unit.Unit
	Errors []deskMessage
}

// deskUnit is GET /desk/units/{code}: the form.
func (s *server) deskUnit(c *fiber.Ctx) error {
	return s.renderUnit(c, strings.Clone(c.Params("code")), nil, nil)
}

// renderUnit shows the form; typed holds what was typed when the form was
// refused (then with its errors, under 422).
func (s *server) renderUnit(c *fiber.Ctx, code string, typed *unit.Unit, errs []deskMessage) error {
	us, err := s.units.Editable(c.UserContext(), actorOf(c))
	if err != nil {
		return err
	}
	d := deskUnitData{Errors: errs}
	found := false
	for _, u := range us {
		if u.Code == code {
			d.Unit, found = u, true
		}
	}
	if !found {
		return apperr.ErrNotFound
	}
	if typed != nil {
		d.Unit.Address, d.Unit.Phone = typed.Address, typed.Phone
	}
	if errs != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.deskPage(c, "desk_unit", s.tr(c).T("desk.units.edit.title", "Unit", d.Unit.Name), d)
}

// deskUnitSave is POST /desk/units/{code}: the address and phone.
func (s *server) deskUnitSave(c *fiber.Ctx) error {
	code := strings.Clone(c.Params("code"))
	typed := unit.Unit{Address: c.FormValue("address"), Phone: c.FormValue("phone")}
	u, err := s.units.SetContact(c.UserContext(), actorOf(c), code, typed.Address, typed.Phone)
	if err != nil {
		if errs, ok := s.deskErrors(c, err); ok {
			return s.renderUnit(c, code, &typed, errs)
		}
		return err
	}
	s.log.Info("unit contact changed", "request_id", requestIDOf(c), "by", staffOf(c).Username, "unit", u.Code)
	return c.Redirect("/desk/units?saved="+url.QueryEscape(u.Code)+"#unit-"+url.PathEscape(u.Code), fiber.StatusSeeOther)
}
