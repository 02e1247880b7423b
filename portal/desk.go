package main

import (
	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/unit"
	"motcua/internal/web"
)

// deskPage renders a staff page: like render, plus the CSRF token every
// form must carry ({{.CSRF}} in a hidden "_csrf" field), the signed-in staff
// member ({{.Staff}}, a *staff.User) and no indexing or caching.
func (s *server) deskPage(c *fiber.Ctx, name, title string, data any) error {
	c.Type("html", "utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	p := web.Page{T: s.tr(c), Lang: langOf(c), Title: title, Path: c.Path(), Query: queryWithoutLang(c),
		CSRF: s.csrfToken(c), NoIndex: true, BodyClass: "desk", Data: data}
	if bc, ok := c.Locals(localBodyClass).(string); ok {
		p.BodyClass = bc
	}
	// A nil *staff.User in the interface would look signed in to templates.
	if u := staffOf(c); u != nil {
		p.Staff = u
	}
	return s.pages.Render(c, name, p)
}

// localBodyClass overrides the desk page's body class (papers print
// without the site's banner).
const localBodyClass = "body_class"

// queryWithoutLang is the request's query minus lang, for the language
// switch.
func queryWithoutLang(c *fiber.Ctx) string {
	return web.QueryWithoutLang(c.Request().URI().QueryArgs().VisitAll)
}

// unitOf returns a unit to name on a page; the zero Unit when it is
// unknown. A failing store is logged and the page is shown without the name.
func (s *server) unitOf(c *fiber.Ctx, code string) unit.Unit {
	u, err := s.units.Get(c.UserContext(), code)
	if err != nil && !apperr.IsNotFound(err) {
		s.log.Error("load unit", "request_id", requestIDOf(c), "unit", code, "err", err)
	}
	return u
}

// deskHomeData is the landing page's content.
type deskHomeData struct {
	UnitName string
	Offices  []queue.Layout // the offices of units the staff member may act for
	// Calendar: next year's working days still to enter or confirm, shown
	// to administrators from 1 October.
	Calendar *calendarNotice
	// Satisfaction: follow-ups and feedback past their deadline, flagged
	// at the top (docs/domain.md, "Closing the loop").
	Satisfaction *deskSatisfaction
}

// deskHome is the staff landing page: who is signed in and what they can do.
func (s *server) deskHome(c *fiber.Ctx) error {
	u := staffOf(c)
	var data deskHomeData
	if u.UnitCode != "" {
		un, err := s.units.Get(c.UserContext(), u.UnitCode)
		if err != nil && !apperr.IsNotFound(err) {
			return err
		}
		data.UnitName = un.Name
	}
	offices, err := s.queue.Offices(c.UserContext())
	if err != nil {
		return err
	}
	for _, o := range offices {
		if u.CanAccessUnit(o.Office.UnitCode) {
			data.Offices = append(data.Offices, o)
		}
	}
	if u.HasRole(staff.RoleAdmin) {
		data.Calendar = calendarNoticeAt(s.calendar, s.cfg.DataDir, s.now())
	}
	if data.Satisfaction, err = s.deskSatisfactionOf(c, u.Actor()); err != nil {
		return err
	}
	return s.deskPage(c, "desk_home", s.tr(c).T("desk.home.title"), data)
}
