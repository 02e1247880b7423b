package dossier

import "time"

// Kinds of outbox messages about dossiers. The bot delivers them.
const (
	KindStatus  = "dossier.status"  // created, or its status changed
	KindApology = "dossier.apology" // an apology letter with a new date
	// KindDueMoved: the due date moved because the working-day schedule was
	// entered or corrected; PreviousDueAt holds the date the citizen had.
	KindDueMoved = "dossier.due_moved"
)

// Message is a notification to queue in the outbox, in the same transaction
// as the change that causes it.
type Message struct {
	Kind   string
	Notice Notice
}

// Notice is the payload of a message: enough for the bot to tell the citizen
// what happened, without their personal data.
type Notice struct {
	Code     string    `json:"code"`
	Unit     string    `json:"unit"`
	Status   Status    `json:"status"`
	Previous Status    `json:"previous_status,omitempty"`
	At       time.Time `json:"at"`
	DueAt    time.Time `json:"due_at"`
	// PreviousDueAt is set on KindDueMoved only.
	PreviousDueAt *time.Time     `json:"previous_due_at,omitempty"`
	Note          string         `json:"note,omitempty"`
	Apology       *NoticeApology `json:"apology,omitempty"`
}

// NoticeApology is the apology part of a notice.
type NoticeApology struct {
	NewDueAt time.Time `json:"new_due_at"`
	Reason   string    `json:"reason"`
}

// OutboxRow is a queued message as stored.
type OutboxRow struct {
	ID          int64
	Kind        string
	DossierCode string
	Payload     string
	CreatedAt   time.Time
	DeliveredAt *time.Time
	Attempts    int
}

func statusMessage(d *Dossier, previous Status, at time.Time, note string) Message {
	return Message{Kind: KindStatus, Notice: Notice{Code: d.Code, Unit: d.UnitCode, Status: d.Status,
		Previous: previous, At: at, DueAt: d.DueAt, Note: note}}
}

func apologyMessage(d *Dossier) Message {
	return Message{Kind: KindApology, Notice: Notice{Code: d.Code, Unit: d.UnitCode, Status: d.Status,
		At: d.Apology.IssuedAt, DueAt: d.DueAt,
		Apology: &NoticeApology{NewDueAt: d.Apology.NewDueAt, Reason: d.Apology.Reason}}}
}
