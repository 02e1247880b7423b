package main

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/textfold"
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

// deskNewData is the reception form. It comes in two steps that work
// without JavaScript: first the procedure, found by a search over about a
// hundred long names (narrowed to the fields of the visitor's service when
// opened from a ticket); then the form, with the papers the catalog lists
// for that procedure as a checklist.
type deskNewData struct {
	R          dossier.Reception
	Units      []unit.Unit
	Groups     []procedureGroup // the procedures to pick from, when none is chosen
	Shown      int              // how many Groups hold
	PQ         string           // the search over procedures
	Narrowed   []string         // the service's fields the list is narrowed to
	All        bool             // the clerk asked for every field
	Chosen     *catalog.Procedure
	ChosenName string
	Documents  []paperCheck // the catalog's papers for the procedure, to tick
	Other      string       // papers received that the catalog does not list
	Channels   []dossier.Channel
	Errors     []apperr.FieldError
	ErrorOf    map[string]string // field → translated message
	ErrorTitle string
	Ticket     *queue.TicketView // the queue ticket of the visitor, when opened from a counter
	// Posted: the form came back with errors; it is shown whole, what was
	// typed kept, even when the procedure is not known.
	Posted bool
}

// paperCheck is one paper of the checklist.
type paperCheck struct {
	ID, Name string
	Checked  bool
}

type procedureGroup struct {
	Field string
	Procs []procedureChoice
}

// procedureChoice is a procedure to pick, with the link that picks it.
type procedureChoice struct {
	Code, Name, URL string
	Search          string // what the page's script matches: both names, the code and the field
}

// receptionFields is the order of the reception form's fields, in which
// its errors are listed.
var receptionFields = []string{"unit", "procedure_code", "applicant.name", "applicant.phone", "applicant.id_number", "channel", "papers"}

// deskNewDossier shows the form to receive a dossier at the counter.
func (s *server) deskNewDossier(c *fiber.Ctx) error {
	u := staffOf(c)
	r := dossier.Reception{UnitCode: u.UnitCode, Channel: dossier.Counter, ProcedureCode: strings.TrimSpace(c.Query("procedure"))}
	tv, err := s.visitTicket(c, c.Query("ticket"))
	if err != nil {
		return err
	}
	return s.newDossierPage(c, deskNewData{R: r, Ticket: tv, PQ: strings.TrimSpace(c.Query("pq")), All: c.Query("all") == "1"}, nil)
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
	t, lang := s.tr(c), langOf(c)
	d.Units, d.Channels = s.unitsOf(c), dossier.Channels
	if d.R.ProcedureCode != "" {
		if p, gerr := s.catalog.Get(d.R.ProcedureCode); gerr == nil {
			d.Chosen, d.ChosenName = &p, p.LocalName(lang)
			d.Documents, d.Other = checklist(p.Documents, d.R.Papers)
		} else if err == nil {
			// A code typed that the catalog does not know: say so, and
			// offer the list.
			err = apperr.Fields([]apperr.FieldError{{Field: "procedure_code", MessageID: "dossier.error.procedure_unknown"}})
		}
	}
	if d.Chosen == nil {
		d.Other = d.R.Papers
		s.procedureChoices(c, &d)
	}
	if err != nil {
		ae := apperr.As(err)
		d.ErrorTitle, d.Errors = translateError(t, ae)
		slices.SortStableFunc(d.Errors, func(a, b apperr.FieldError) int {
			return fieldRank(a.Field) - fieldRank(b.Field)
		})
		d.ErrorOf = map[string]string{}
		for _, f := range d.Errors {
			d.ErrorOf[f.Field] = f.Message
		}
		c.Status(statusOf(ae.Code))
	}
	return s.deskPage(c, "desk_dossier_new", t.T("desk.new.title"), d)
}

// fieldRank is a field's place on the reception form; unknown ones last.
func fieldRank(f string) int {
	if i := slices.Index(receptionFields, f); i >= 0 {
		return i
	}
	return len(receptionFields)
}

// procedureChoices fills the list of procedures to pick: those whose name,
// code or field holds every word of the search (with or without
// diacritics), in the fields of the visitor's service unless the clerk asked
// for all.
func (s *server) procedureChoices(c *fiber.Ctx, d *deskNewData) {
	lang := langOf(c)
	words := textfold.Tokens(d.PQ)
	var fields map[string]bool
	if d.Ticket != nil && !d.All && len(d.Ticket.Service.Fields) > 0 {
		fields = map[string]bool{}
		for _, f := range d.Ticket.Service.Fields {
			fields[textfold.Fold(f)] = true
		}
		d.Narrowed = d.Ticket.Service.Fields
	}
	link := func(code string) string {
		v := url.Values{"procedure": {code}}
		if d.Ticket != nil {
			v.Set("ticket", d.Ticket.Ticket.ID)
		}
		return "/desk/dossiers/new?" + v.Encode()
	}
	for _, p := range s.catalog.All() {
		if fields != nil && !fields[textfold.Fold(p.Field)] && !fields[textfold.Fold(p.FieldEn)] {
			continue
		}
		hay := textfold.Fold(p.Name + " " + p.NameEn + " " + p.Code + " " + p.Field + " " + p.FieldEn)
		if !allWords(hay, words) {
			continue
		}
		field := p.LocalField(lang)
		if n := len(d.Groups); n == 0 || d.Groups[n-1].Field != field {
			d.Groups = append(d.Groups, procedureGroup{Field: field})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Procs = append(g.Procs, procedureChoice{Code: p.Code, Name: p.LocalName(lang), URL: link(p.Code),
			Search: p.Name + " " + p.NameEn + " " + p.Code + " " + p.Field + " " + p.FieldEn})
		d.Shown++
	}
}

// allWords reports whether every folded word is in hay.
func allWords(hay string, words []string) bool {
	padded := " " + hay + " "
	for _, w := range words {
		if !strings.Contains(padded, " "+w) {
			return false
		}
	}
	return true
}

// checklist lays the catalog's papers out to tick, ticked when they are in
// the papers received (one a line), and returns the lines it does not list.
func checklist(docs []string, papers string) ([]paperCheck, string) {
	have := map[string]bool{}
	var other []string
	for _, l := range strings.Split(papers, "\n") {
		l = strings.TrimSpace(l)
		if l != "" {
			have[l] = true
		}
	}
	out := make([]paperCheck, len(docs))
	listed := map[string]bool{}
	for i, doc := range docs {
		out[i] = paperCheck{ID: "paper-" + strconv.Itoa(i+1), Name: doc, Checked: have[doc]}
		listed[doc] = true
	}
	for _, l := range strings.Split(papers, "\n") {
		if l = strings.TrimSpace(l); l != "" && !listed[l] {
			other = append(other, l)
		}
	}
	return out, strings.Join(other, "\n")
}

// papersOf joins the papers ticked (in the catalog's order) and the other
// papers typed, one a line, as the dossier keeps them.
func papersOf(c *fiber.Ctx, proc string, cat interface {
	Get(string) (catalog.Procedure, error)
}) string {
	ticked := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("paper") {
		ticked[string(v)] = true
	}
	var lines []string
	if p, err := cat.Get(proc); err == nil {
		for _, doc := range p.Documents {
			if ticked[doc] {
				lines = append(lines, doc)
			}
		}
	}
	if other := strings.TrimSpace(c.FormValue("papers")); other != "" {
		lines = append(lines, other)
	}
	return strings.Join(lines, "\n")
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
		Channel:   dossier.Channel(c.FormValue("channel")), Papers: papersOf(c, proc, s.catalog),
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
		return s.newDossierPage(c, deskNewData{R: r, Ticket: tv, Posted: true}, err)
	} else if err != nil {
		return err
	}
	return c.Redirect("/desk/dossiers/"+url.PathEscape(d.Code)+"?received=1", fiber.StatusSeeOther)
}
