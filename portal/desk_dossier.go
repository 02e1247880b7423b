package main

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/workday"
)

// deskDossierData is one dossier at the desk: its record, the moves it may
// make, and the apology form when a letter is due.
type deskDossierData struct {
	D             dossier.Dossier
	ProcedureName string
	UnitName      string
	Next          []dossier.Status
	CanApologize  bool
	Received      bool // just received: offer the receipt
	Note          string
	NewDue        string
	Reason        string
	Error         string
	Errors        []apperr.FieldError
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
	return s.dossierPage(c, deskDossierData{D: d, Received: c.Query("received") == "1"}, nil)
}

func (s *server) dossierPage(c *fiber.Ctx, data deskDossierData, err error) error {
	t := s.tr(c)
	d := data.D
	if p, err := s.catalog.Get(d.ProcedureCode); err == nil {
		data.ProcedureName = p.LocalName(langOf(c))
	}
	data.UnitName = s.unitOf(c, d.UnitCode).Name
	data.Next = dossier.MovesFor(actorOf(c), &d)
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
func (s *server) deskTransition(c *fiber.Ctx) error {
	by, code := actorOf(c), c.Params("code")
	note := c.FormValue("note")
	_, err := s.dossiers.Transition(c.UserContext(), by, code, dossier.Status(c.FormValue("status")), note)
	return s.afterDeskAction(c, code, err, deskDossierData{Note: note})
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
			return s.afterDeskAction(c, code, err, deskDossierData{NewDue: raw, Reason: in.Reason})
		}
		in.NewDue = day
	}
	_, err := s.dossiers.Apologize(c.UserContext(), by, code, in)
	return s.afterDeskAction(c, code, err, deskDossierData{NewDue: raw, Reason: in.Reason})
}

// afterDeskAction goes back to the dossier after a change (303, so a reload
// does not repeat it), or shows the page with the error and what was typed.
func (s *server) afterDeskAction(c *fiber.Ctx, code string, err error, typed deskDossierData) error {
	switch apperr.CodeOf(err) {
	case "":
		return c.Redirect("/desk/dossiers/"+url.PathEscape(code), fiber.StatusSeeOther)
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
