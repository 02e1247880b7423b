package main

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/i18n"
	"motcua/internal/workday"
)

// deskDossierData is one dossier at the desk: its record, the moves it may
// make, and the apology form when a letter is due.
type deskDossierData struct {
	D             dossier.Dossier
	ProcedureName string
	UnitName      string
	Next          []dossier.Status
	Moves         []deskMove
	// Done is the confirmation of the change just made (shown once, after
	// the redirect), translated; empty when there is none.
	Done string
	// HasSupplementPaper and HasRefusalPaper: the dossier made that step,
	// so its paper can be printed.
	HasSupplementPaper, HasRefusalPaper bool
	CanApologize                        bool
	Received                            bool // just received: offer the receipt
	Note                                string
	NewDue                              string
	Reason                              string
	Error                               string
	Errors                              []apperr.FieldError
	// Confirm is set while a move that cannot be undone waits for its
	// confirmation: the page then asks, and nothing else.
	Confirm *deskConfirm
}

// deskConfirm is the question before a move that ends a dossier without a
// result (refused, withdrawn, stopped): the move and the note typed, sent
// again with confirm=1 when the staff member confirms.
type deskConfirm struct {
	Status dossier.Status
	Note   string
}

// Finished and Returned give templates a plain time (zero when absent).
func (d deskDossierData) Finished() time.Time { return deref(d.D.FinishedAt) }
func (d deskDossierData) Returned() time.Time { return deref(d.D.ReturnedAt) }

// deskDossier shows one dossier of the staff member's units.
func (s *server) deskDossier(c *fiber.Ctx) error {
	d, err := s.dossiers.Get(c.UserContext(), actorOf(c), c.Params("code"))
	if err != nil {
		return err
	}
	data := deskDossierData{D: d, Received: c.Query("received") == "1"}
	if done := c.Query("done"); done == "apology" {
		data.Done = s.tr(c).T("desk.done.apology")
	} else if st := dossier.Status(done); st.Valid() && st == d.Status {
		data.Done = s.tr(c).T("desk.done.moved", "Status", s.tr(c).T("dossier.status."+done))
	}
	return s.dossierPage(c, data, nil)
}

// deskMove is a button that moves a dossier: the status it moves to, its
// label (resuming after a supplement or a payment is not the first
// hand-off), and whether it ends the dossier for good.
type deskMove struct {
	Status  dossier.Status
	Label   string
	Warning bool
}

// movesOf labels the moves next a dossier in st may make.
func movesOf(t *i18n.Translator, st dossier.Status, next []dossier.Status) []deskMove {
	var out []deskMove
	for _, n := range next {
		id := "desk.move." + string(n)
		if n == dossier.InProgress && (st == dossier.Supplement || st == dossier.Payment) {
			id = "desk.move.resume_after_" + string(st)
		}
		out = append(out, deskMove{Status: n, Label: t.T(id),
			Warning: n == dossier.Refused || n == dossier.Stopped || n == dossier.Withdrawn})
	}
	return out
}

func (s *server) dossierPage(c *fiber.Ctx, data deskDossierData, err error) error {
	t := s.tr(c)
	d := data.D
	if p, err := s.catalog.Get(d.ProcedureCode); err == nil {
		data.ProcedureName = p.LocalName(langOf(c))
	}
	data.UnitName = s.unitOf(c, d.UnitCode).Name
	data.Next = dossier.MovesFor(actorOf(c), &d)
	data.Moves = movesOf(t, d.Status, data.Next)
	_, data.HasSupplementPaper = d.LastEvent(dossier.Supplement)
	_, data.HasRefusalPaper = d.LastEvent(dossier.Refused)
	data.CanApologize = d.ApologyDue() && dossier.MayApologize(actorOf(c), &d)
	if err != nil {
		ae := apperr.As(err)
		data.Error, data.Errors = translateError(t, ae)
		c.Status(statusOf(ae.Code))
	}
	return s.deskPage(c, "desk_dossier", t.T("desk.dossier.title", "Code", d.Code), data)
}

// deskTransition moves a dossier to the status of the button pressed, with
// the note typed above the buttons. A refused move shows the page again,
// saying why.
//
// A move that ends the dossier without a result cannot be undone: without
// confirm=1 it changes nothing and asks first, once the service says the
// move would be made (without JavaScript, as the counter's no-show).
func (s *server) deskTransition(c *fiber.Ctx) error {
	by, code := actorOf(c), c.Params("code")
	note := c.FormValue("note")
	to := dossier.Status(c.FormValue("status"))
	if to.EndsWithoutResult() && c.FormValue("confirm") != "1" {
		d, err := s.dossiers.CheckTransition(c.UserContext(), by, code, to, note)
		if err != nil {
			return s.afterDeskAction(c, code, string(to), err, deskDossierData{Note: note})
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return s.dossierPage(c, deskDossierData{D: d, Note: note, Confirm: &deskConfirm{Status: to, Note: note}}, nil)
	}
	_, err := s.dossiers.Transition(c.UserContext(), by, code, to, note)
	return s.afterDeskAction(c, code, string(to), err, deskDossierData{Note: note})
}

// deskApologize issues the apology letter with the date and reason typed.
func (s *server) deskApologize(c *fiber.Ctx) error {
	by, code := actorOf(c), c.Params("code")
	in := dossier.ApologyInput{WholeDay: true, Reason: c.FormValue("reason")}
	raw := c.FormValue("new_due")
	if raw != "" {
		day, err := time.ParseInLocation("2006-01-02", raw, workday.Location())
		if err != nil {
			err := apperr.Fields([]apperr.FieldError{{Field: "new_due_at", MessageID: "dossier.error.date"}})
			return s.afterDeskAction(c, code, "apology", err, deskDossierData{NewDue: raw, Reason: in.Reason})
		}
		in.NewDue = day
	}
	_, err := s.dossiers.Apologize(c.UserContext(), by, code, in)
	return s.afterDeskAction(c, code, "apology", err, deskDossierData{NewDue: raw, Reason: in.Reason})
}

// afterDeskAction goes back to the dossier after a change (303, so a reload
// does not repeat it), saying what was done (done: the new status, or
// "apology"), or shows the page with the error and what was typed.
func (s *server) afterDeskAction(c *fiber.Ctx, code, done string, err error, typed deskDossierData) error {
	switch apperr.CodeOf(err) {
	case "":
		return c.Redirect("/desk/dossiers/"+url.PathEscape(code)+"?done="+url.QueryEscape(done), fiber.StatusSeeOther)
	case apperr.Invalid, apperr.Conflict:
		d, gerr := s.dossiers.Get(c.UserContext(), actorOf(c), code)
		if gerr != nil {
			return gerr
		}
		typed.D = d
		return s.dossierPage(c, typed, err)
	}
	return err
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
