package main

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/unit"
)

// deskListData is the desk's list of dossiers.
type deskListData struct {
	Q          dossier.Query
	Page       dossier.Page
	Units      []unit.Unit // the units the staff member may pick from
	Views      []dossier.Filter
	Statuses   []dossier.Status
	Prev, Next string // links to the neighbouring pages, if any
	From, To   int
	// Names gives each listed procedure's name in the reader's language.
	Names       map[string]string
	Error       string
	FieldErrors []apperr.FieldError
}

// deskDossiers lists the dossiers of the staff member's units, by view
// (late, due within a working day, waiting for supplements), status, unit,
// and a code, a phone or the applicant's name (with or without diacritics).
func (s *server) deskDossiers(c *fiber.Ctx) error {
	q := dossier.Query{View: dossier.Filter(c.Query("view")), Status: dossier.Status(c.Query("status")),
		Unit: c.Query("unit"), Q: c.Query("q"), Limit: dossier.DefaultLimit}
	if n, err := strconv.Atoi(c.Query("page", "1")); err == nil && n > 1 && n < 10000 {
		q.Offset = (n - 1) * q.Limit
	}
	data := deskListData{Q: q, Views: dossier.Filters,
		Statuses: dossier.Statuses, Units: s.unitsOf(c)}
	page, err := s.dossiers.List(c.UserContext(), actorOf(c), q)
	if err != nil {
		return err
	}
	data.Page = page
	data.From, data.To = q.Offset+1, q.Offset+len(page.Items)
	data.Names = map[string]string{}
	for _, d := range page.Items {
		if p, err := s.catalog.Get(d.ProcedureCode); err == nil {
			data.Names[d.ProcedureCode] = p.LocalName(langOf(c))
		}
	}
	link := func(n int) string {
		v := url.Values{}
		for k, val := range map[string]string{"view": string(q.View), "status": string(q.Status), "unit": q.Unit, "q": q.Q} {
			if val != "" {
				v.Set(k, val)
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/desk/dossiers?" + v.Encode()
	}
	if q.Offset > 0 {
		data.Prev = link(q.Offset / q.Limit)
	}
	if q.Offset+q.Limit < page.Total {
		data.Next = link(q.Offset/q.Limit + 2)
	}
	return s.deskPage(c, "desk_dossiers", s.tr(c).T("desk.dossiers.title"), data)
}

// unitsOf lists the units the signed-in staff member may act for.
func (s *server) unitsOf(c *fiber.Ctx) []unit.Unit {
	all, err := s.units.List(c.UserContext())
	if err != nil {
		// The page still works without the unit pick list.
		s.log.Error("list units", "request_id", requestIDOf(c), "err", err)
		return nil
	}
	u := staffOf(c)
	var out []unit.Unit
	for _, un := range all {
		if u.CanAccessUnit(un.Code) {
			out = append(out, un)
		}
	}
	return out
}

// deskNewData is the reception form.
type deskNewData struct {
	R          dossier.Reception
	Units      []unit.Unit
	Groups     []procedureGroup
	Channels   []dossier.Channel
	Errors     []apperr.FieldError
	ErrorOf    map[string]string // field → translated message
	ErrorTitle string
	Ticket     *queue.TicketView // the queue ticket of the visitor, when opened from a counter
}

type procedureGroup struct {
	Field string
	Procs []catalog.Procedure
}

// deskNewDossier shows the form to receive a dossier at the counter.
func (s *server) deskNewDossier(c *fiber.Ctx) error {
	u := staffOf(c)
	r := dossier.Reception{UnitCode: u.UnitCode, Channel: dossier.Counter, ProcedureCode: c.Query("procedure")}
	tv, err := s.visitTicket(c, c.Query("ticket"))
	if err != nil {
		return err
	}
	return s.newDossierPage(c, deskNewData{R: r, Ticket: tv}, nil)
}

// visitTicket finds the queue ticket a dossier is opened for (none when id
// is empty); a ticket of an office the staff member may not act for is not
// found, as is an unknown one.
func (s *server) visitTicket(c *fiber.Ctx, id string) (*queue.TicketView, error) {
	if id == "" {
		return nil, nil
	}
	tv, err := s.queue.Ticket(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if !staffOf(c).CanAccessUnit(tv.Office.UnitCode) {
		return nil, apperr.ErrNotFound
	}
	return &tv, nil
}

func (s *server) newDossierPage(c *fiber.Ctx, d deskNewData, err error) error {
	t := s.tr(c)
	d.Units, d.Channels = s.unitsOf(c), dossier.Channels
	for _, p := range s.catalog.All() {
		field := p.LocalField(langOf(c))
		if n := len(d.Groups); n == 0 || d.Groups[n-1].Field != field {
			d.Groups = append(d.Groups, procedureGroup{Field: field})
		}
		d.Groups[len(d.Groups)-1].Procs = append(d.Groups[len(d.Groups)-1].Procs, p)
	}
	if err != nil {
		ae := apperr.As(err)
		d.ErrorTitle, d.Errors = translateError(t, ae)
		d.ErrorOf = map[string]string{}
		for _, f := range d.Errors {
			d.ErrorOf[f.Field] = f.Message
		}
		c.Status(statusOf(ae.Code))
	}
	return s.deskPage(c, "desk_dossier_new", t.T("desk.new.title"), d)
}

// deskReceive receives a dossier from the form and shows it, with its
// receipt one click away. Bad input shows the form again with every error.
func (s *server) deskReceive(c *fiber.Ctx) error {
	proc := strings.TrimSpace(c.FormValue("procedure_code"))
	if proc == "" {
		proc = c.FormValue("procedure")
	}
	r := dossier.Reception{UnitCode: c.FormValue("unit"), ProcedureCode: proc,
		Applicant: dossier.Applicant{Name: c.FormValue("name"), Phone: c.FormValue("phone"), IDNumber: c.FormValue("id_number")},
		Channel:   dossier.Channel(c.FormValue("channel")), Papers: c.FormValue("papers"),
		Digitized: c.FormValue("digitized") == "1", HasFee: c.FormValue("has_fee") == "1", ReusedData: c.FormValue("reused_data") == "1"}
	if r.UnitCode == "" {
		r.UnitCode = staffOf(c).UnitCode
	}
	r.Ticket = c.FormValue("ticket")
	d, err := s.dossiers.Receive(c.UserContext(), actorOf(c), r)
	if code := apperr.CodeOf(err); code == apperr.Invalid {
		tv, terr := s.visitTicket(c, r.Ticket)
		if terr != nil {
			return terr
		}
		return s.newDossierPage(c, deskNewData{R: r, Ticket: tv}, err)
	} else if err != nil {
		return err
	}
	return c.Redirect("/desk/dossiers/"+url.PathEscape(d.Code)+"?received=1", fiber.StatusSeeOther)
}
