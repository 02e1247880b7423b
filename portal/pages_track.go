package main

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
)

// trackData is the tracking page: the form, and the dossier once found.
type trackData struct {
	Code, Phone string
	Error       string // translated; empty when there is none
	D           *trackView
	RateURL     string // a signed link to rate the dossier, once finished and not yet rated
}

// trackView is a dossier as its applicant sees it: personal data masked,
// where it stands, and what they must do next.
type trackView struct {
	Code, ProcedureName, UnitName string
	Initials, Phone               string
	Status                        dossier.Status
	StatusNote                    string // why: what is missing, the fee, the reason for a refusal
	ReceivedAt, DueAt             time.Time
	FinishedAt, ReturnedAt        *time.Time
	Standing                      dossier.Standing
	Verdict, VerdictClass         string // a message ID and its colour
	Apology                       *dossier.Apology
	Events                        []dossier.Event
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
	d, err := s.dossiers.Track(c.UserContext(), data.Code, data.Phone)
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
	data.D = s.trackViewOf(c, d)
	data.RateURL = s.rateURL(c, d.Code, d.Status.Finished())
	return s.render(c, "track", t.T("track.result_title", "Code", d.Code), data)
}

func (s *server) trackViewOf(c *fiber.Ctx, d dossier.Dossier) *trackView {
	v := &trackView{Code: d.Code, Initials: dossier.Initials(d.Applicant.Name), Phone: dossier.MaskPhone(d.Applicant.Phone),
		Status: d.Status, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, FinishedAt: d.FinishedAt, ReturnedAt: d.ReturnedAt,
		Standing: d.Standing, Apology: d.Apology, Events: d.Events}
	if p, err := s.catalog.Get(d.ProcedureCode); err == nil {
		v.ProcedureName = p.LocalName(langOf(c))
	}
	v.UnitName = s.unitOf(c, d.UnitCode).Name
	if e, ok := d.LastEvent(d.Status); ok {
		v.StatusNote = e.Note
	}
	v.Verdict, v.VerdictClass = verdict(d)
	return v
}

// verdict says in one line whether the dossier is on time.
func verdict(d dossier.Dossier) (id, class string) {
	st := d.Standing
	switch {
	case d.Status.Finished() && st.Late:
		return "track.verdict.finished_late", "bad"
	case d.Status.Finished():
		return "track.verdict.finished_on_time", "ok"
	case st.Ended:
		return "track.verdict.closed", ""
	case st.Paused:
		return "track.verdict.paused", "warn"
	case st.Late:
		return "track.verdict.late", "bad"
	case st.AtRisk:
		return "track.verdict.at_risk", "warn"
	}
	return "track.verdict.on_track", "ok"
}

// Finished is the finishing time, zero when there is none (for templates).
func (v *trackView) Finished() time.Time { return deref(v.FinishedAt) }

// Returned is the hand-over time, zero when there is none.
func (v *trackView) Returned() time.Time { return deref(v.ReturnedAt) }

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
