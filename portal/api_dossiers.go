package main

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/dossier"
)

// dossierJSON is the citizen's view of a dossier (dossier.View) as the
// tracking and sync APIs show it (docs/architecture.md): whoever knows a
// code and a phone learns no more about the person than the initials and
// the phone's end.
type dossierJSON struct {
	Code           string          `json:"code"`
	ProcedureCode  string          `json:"procedure_code"`
	ProcedureName  string          `json:"procedure_name"`
	Unit           string          `json:"unit"`
	Status         dossier.Status  `json:"status"`
	ReceivedAt     time.Time       `json:"received_at"`
	DueAt          time.Time       `json:"due_at"`
	DueProvisional bool            `json:"due_provisional"`
	FinishedAt     *time.Time      `json:"finished_at"`
	ReturnedAt     *time.Time      `json:"returned_at"`
	Late           bool            `json:"late"`
	Standing       dossier.Verdict `json:"standing"`
	NextStep       string          `json:"next_step"`
	CanRate        bool            `json:"can_rate"`
	Office         contactJSON     `json:"office"`
	Apology        *apologyJSON    `json:"apology"`
	Events         []eventJSON     `json:"events"`
	Applicant      applicantJSON   `json:"applicant"`
}

type apologyJSON struct {
	IssuedAt time.Time `json:"issued_at"`
	NewDueAt time.Time `json:"new_due_at"`
	Reason   string    `json:"reason"`
}

type eventJSON struct {
	At     time.Time      `json:"at"`
	Status dossier.Status `json:"status"`
	Note   string         `json:"note"`
}

type applicantJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

type contactJSON struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Phone   string `json:"phone"`
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// toDossierJSON renders the citizen's view for the API in the reader's
// language.
func (s *server) toDossierJSON(c *fiber.Ctx, v dossier.View) dossierJSON {
	t := s.tr(c)
	out := dossierJSON{Code: v.Code, ProcedureCode: v.ProcedureCode, Unit: v.UnitCode, Status: v.Status,
		ReceivedAt: v.ReceivedAt.UTC(), DueAt: v.DueAt.UTC(), DueProvisional: v.DueProvisional,
		FinishedAt: utcPtr(v.FinishedAt), ReturnedAt: utcPtr(v.ReturnedAt), Late: v.Late(),
		Standing: v.Standing, NextStep: t.Text(v.NextStep.ID, v.NextStep.Params), CanRate: v.CanRate,
		Office:    contactJSON{Name: v.Office.Name, Address: v.Office.Address, Phone: v.Office.Phone},
		Events:    make([]eventJSON, 0, len(v.Events)),
		Applicant: applicantJSON{Name: v.Applicant.Initials, Phone: v.Applicant.Phone}}
	if p, err := s.catalog.Get(v.ProcedureCode); err == nil {
		out.ProcedureName = p.LocalName(langOf(c))
	}
	if a := v.Apology; a != nil {
		out.Apology = &apologyJSON{IssuedAt: a.IssuedAt.UTC(), NewDueAt: a.NewDueAt.UTC(), Reason: a.Reason}
	}
	for _, e := range v.Events {
		out.Events = append(out.Events, eventJSON{At: e.At.UTC(), Status: e.Status, Note: e.Note})
	}
	return out
}

// apiDossier is GET /api/v1/dossiers/{code}?phone=P: the same 404 for an
// unknown code and a wrong phone.
func (s *server) apiDossier(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	v, err := s.dossiers.Track(c.UserContext(), actorOf(c), c.Params("code"), c.Query("phone"))
	if err != nil {
		return err
	}
	return c.JSON(s.toDossierJSON(c, v))
}

// apiSyncDossier is PUT /api/v1/sync/dossiers/{code}, for a token with the
// sync scope: 201 when the dossier is new, 200 otherwise.
func (s *server) apiSyncDossier(c *fiber.Ctx) error {
	d, created, err := s.dossiers.Sync(c.UserContext(), actorOf(c), c.Params("code"), c.Body())
	if err != nil {
		return err
	}
	v, err := s.dossiers.ViewOf(c.UserContext(), d)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(s.toDossierJSON(c, v))
}
