package scorecard

import "time"

// DossierItem is one dossier received in the period, with what it did and
// did not do for the index; the fix list is made of them.
type DossierItem struct {
	Code       string    `db:"code"`
	Unit       string    `db:"unit_code"`
	Procedure  string    `db:"procedure_code"`
	Status     string    `db:"status"`
	DueAt      time.Time `db:"due_at"`
	Counted    bool      `db:"counted"`
	OnTime     bool      `db:"on_time"`
	Apology    bool      `db:"apology"`
	Finished   bool      `db:"finished"`
	EResult    bool      `db:"e_result"`
	Digitised  bool      `db:"digitized"`
	Reused     bool      `db:"reused_data"`
	Synced     bool      `db:"synced_national"`
	Online     bool      `db:"online"`
	Fee        bool      `db:"has_fee"`
	PaidOnline bool      `db:"paid_online"`
}

// RatingItem is an unsatisfied dossier rating, with its follow-up's status
// ("" when none was opened).
type RatingItem struct {
	ID          int64     `db:"id"`
	Unit        string    `db:"unit_code"`
	DossierCode string    `db:"dossier_code"`
	CreatedAt   time.Time `db:"created_at"`
	FollowUp    string    `db:"follow_up"`
}

// FeedbackItem is counted feedback that was not answered on time, or whose
// answer the citizen rated unsatisfied.
type FeedbackItem struct {
	Code        string    `db:"code"`
	Unit        string    `db:"unit_code"`
	DueAt       time.Time `db:"due_at"`
	Answered    bool      `db:"answered"`
	OnTime      bool      `db:"on_time"`
	Unsatisfied bool      `db:"unsatisfied"`
}
