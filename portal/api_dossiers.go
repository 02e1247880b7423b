package main

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/dossier"
)

// dossierJSON is a dossier as the tracking and sync APIs show it
// (DESIGN.md), with the applicant masked: whoever knows a code and a phone
// learns no more about the person than the initials and the phone's end.
type dossierJSON struct {
	Code          string         `json:"code"`
	ProcedureCode string         `json:"procedure_code"`
	ProcedureName string         `json:"procedure_name"`
	Unit          string         `json:"unit"`
	Status        dossier.Status `json:"status"`
	ReceivedAt    time.Time      `json:"received_at"`
	DueAt         time.Time      `json:"due_at"`
	FinishedAt    *time.Time     `json:"finished_at"`
	ReturnedAt    *time.Time     `json:"returned_at"`
	Late          bool           `json:"late"`
	Apology       *apologyJSON   `json:"apology"`
	Events        []eventJSON    `json:"events"`
	Applicant     applicantJSON  `json:"applicant"`

	// DueProvisional: the due date was counted across days whose schedule is
	// not yet announced or confirmed, and may move (docs/domain.md).
	DueProvisional bool `json:"due_provisional"`
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

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// toDossierJSON renders a dossier for the API in the reader's language.
func (s *server) toDossierJSON(d dossier.Dossier, lang string) dossierJSON {
	out := dossierJSON{Code: d.Code, ProcedureCode: d.ProcedureCode, Unit: d.UnitCode, Status: d.Status,
		ReceivedAt: d.ReceivedAt.UTC(), DueAt: d.DueAt.UTC(), FinishedAt: utcPtr(d.FinishedAt),
		ReturnedAt: utcPtr(d.ReturnedAt), Late: d.Standing.Late, DueProvisional: d.Standing.Provisional, Events: make([]eventJSON, 0, len(d.Events)),
		Applicant: applicantJSON{Name: dossier.Initials(d.Applicant.Name), Phone: dossier.MaskPhone(d.Applicant.Phone)}}
	if p, err := s.catalog.Get(d.ProcedureCode); err == nil {
		out.ProcedureName = p.LocalName(lang)
	}
	if a := d.Apology; a != nil {
		out.Apology = &apologyJSON{IssuedAt: a.IssuedAt.UTC(), NewDueAt: a.NewDueAt.UTC(), Reason: a.Reason}
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, eventJSON{At: e.At.UTC(), Status: e.Status, Note: e.Note})
	}
	return out
}

// apiDossier is GET /api/v1/dossiers/{code}?phone=P: the same 404 for an
// unknown code and a wrong phone.
func (s *server) apiDossier(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	d, err := s.dossiers.Track(c.UserContext(), c.Params("code"), c.Query("phone"))
	if err != nil {
		return err
	}
	return c.JSON(s.toDossierJSON(d, langOf(c)))
}

// apiSyncDossier is PUT /api/v1/sync/dossiers/{code}, for a token with the
// sync scope: 201 when the dossier is new, 200 otherwise.
func (s *server) apiSyncDossier(c *fiber.Ctx) error {
	t := tokenOf(c)
	name := t.Name
	if name == "" {
		name = "token-" + strconv.FormatInt(t.ID, 10)
	}
	d, created, err := s.dossiers.Sync(c.UserContext(), dossier.SyncBy{Unit: t.UnitCode, Name: name}, c.Params("code"), c.Body())
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(s.toDossierJSON(d, langOf(c)))
}
