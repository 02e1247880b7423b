package scorecard

import (
	"strings"
	"time"

	"motcua/internal/catalog"
)

// DossierTally counts one unit's dossiers of one procedure received in a
// period; the store computes it in one aggregate query (docs/scorecard.md).
type DossierTally struct {
	Unit      string `db:"unit_code"`
	Procedure string `db:"procedure_code"`
	// Received: every dossier received, refused ones excluded.
	Received int64 `db:"received"`
	// Counted: received less withdrawn and stopped ones (progress.on_time).
	Counted int64 `db:"counted"`
	OnTime  int64 `db:"on_time"`
	// Late and LateApology: counted dossiers not on time, and those of them
	// whose apology letter was sent before the due date.
	Late        int64 `db:"late"`
	LateApology int64 `db:"late_apology"`
	Finished    int64 `db:"finished"`
	EResult     int64 `db:"e_result"`
	Digitised   int64 `db:"digitised"`
	Reused      int64 `db:"reused"`
	Synced      int64 `db:"synced"`
	Online      int64 `db:"online"`
	Fee         int64 `db:"fee"`
	PaidOnline  int64 `db:"paid_online"`
	// Elapsed and Allowed are seconds over finished dossiers: received to
	// finished, and received to due.
	Elapsed float64 `db:"elapsed"`
	Allowed float64 `db:"allowed"`
}

func (t *DossierTally) add(o DossierTally) {
	t.Received += o.Received
	t.Counted += o.Counted
	t.OnTime += o.OnTime
	t.Late += o.Late
	t.LateApology += o.LateApology
	t.Finished += o.Finished
	t.EResult += o.EResult
	t.Digitised += o.Digitised
	t.Reused += o.Reused
	t.Synced += o.Synced
	t.Online += o.Online
	t.Fee += o.Fee
	t.PaidOnline += o.PaidOnline
	t.Elapsed += o.Elapsed
	t.Allowed += o.Allowed
}

// RatingTally counts one unit's dossier ratings given in a period.
type RatingTally struct {
	Unit      string `db:"unit_code"`
	Ratings   int64  `db:"ratings"`
	Satisfied int64  `db:"satisfied"`
}

// FeedbackTally counts one unit's feedback received in a period: Counted
// leaves out feedback still open and not yet due (it may still be answered
// on time); OnTime was answered by its deadline; Fine was answered on time
// and not rated unsatisfied by the citizen.
type FeedbackTally struct {
	Unit    string `db:"unit_code"`
	Counted int64  `db:"counted"`
	OnTime  int64  `db:"on_time"`
	Fine    int64  `db:"fine"`
}

// Raw is what the store returns for a set of units and a period.
type Raw struct {
	Dossiers []DossierTally
	Ratings  []RatingTally
	Feedback []FeedbackTally
}

// Tally is the figures of one unit with its children rolled up, from which
// every indicator is a numerator and a denominator.
type Tally struct {
	D        DossierTally
	ByProc   map[string]DossierTally
	Procs    []catalog.Procedure // the procedures of the unit's levels
	Catalog  map[string]catalog.Procedure
	Ratings  RatingTally
	Feedback FeedbackTally
	// Bonus adds to a numerator and denominator for a what-if.
	Bonus map[string][2]float64
}

// procedure checks, per indicator, over the catalog records.
func verified(p catalog.Procedure) bool { return p.Verified }

func updatedBy(end time.Time, maxAgeDays int) func(catalog.Procedure) bool {
	limit := end.AddDate(0, 0, -maxAgeDays)
	return func(p catalog.Procedure) bool { return !p.UpdatedAt.Before(limit) }
}

// missingFee: the national database's own words when it holds no fee
// information; such a page does not publish its fee.
var missingFee = []string{"không có thông tin"}

// missingParts lists the required parts a procedure page lacks.
func missingParts(p catalog.Procedure, required []string) []string {
	var out []string
	for _, part := range required {
		ok := true
		switch part {
		case "documents":
			ok = len(p.Documents) > 0
		case "legal_basis":
			ok = len(p.LegalBasis) > 0
		case "steps":
			ok = len(p.Steps) > 0
		case "fee":
			ok = strings.TrimSpace(p.Fee) != ""
			for _, m := range missingFee {
				if strings.Contains(strings.ToLower(p.Fee), m) {
					ok = false
				}
			}
		case "processing":
			ok = p.ProcessingDays > 0 || strings.TrimSpace(p.ProcessingNote) != ""
		}
		if !ok {
			out = append(out, part)
		}
	}
	return out
}

func offeredOnline(p catalog.Procedure) bool {
	return p.Online == catalog.OnlineFull || p.Online == catalog.OnlinePartial
}

// counter computes an indicator's numerator and denominator from a tally.
type counter func(t *Tally, w *Weights, end time.Time) (num, den float64)

func count(procs []catalog.Procedure, ok func(catalog.Procedure) bool) (num, den float64) {
	for _, p := range procs {
		den++
		if ok(p) {
			num++
		}
	}
	return num, den
}

// compute is every formula motcua knows, by indicator key; the weights file
// may only name these.
var compute = map[string]counter{
	"publicity.published_on_time": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return count(t.Procs, verified)
	},
	"publicity.updated_on_time": func(t *Tally, w *Weights, end time.Time) (float64, float64) {
		return count(t.Procs, updatedBy(end, w.Procedures.MaxAgeDays))
	},
	"publicity.complete_info": func(t *Tally, w *Weights, _ time.Time) (float64, float64) {
		return count(t.Procs, func(p catalog.Procedure) bool { return len(missingParts(p, w.Procedures.Required)) == 0 })
	},
	"publicity.synced": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.D.Synced), float64(t.D.Received)
	},
	"progress.on_time": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.D.OnTime), float64(t.D.Counted)
	},
	"progress.avg_time": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return t.D.Elapsed / 3600, t.D.Allowed / 3600
	},
	"digitisation.e_result": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.D.EResult), float64(t.D.Finished)
	},
	"digitisation.digitised": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.D.Digitised), float64(t.D.Received)
	},
	"digitisation.reused": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.D.Reused), float64(t.D.Received)
	},
	"online.offered": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return count(t.Procs, offeredOnline)
	},
	"online.used": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		var num, den float64
		for _, p := range t.Procs {
			if offeredOnline(p) {
				den++
				if t.ByProc[p.Code].Online > 0 {
					num++
				}
			}
		}
		return num, den
	},
	"online.submitted_online": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.D.Online), float64(t.D.Received)
	},
	"online.payment_offered": func(t *Tally, _ *Weights, _ time.Time) (num, den float64) {
		for _, pt := range t.ByProc {
			if pt.Fee > 0 {
				den++
				if pt.PaidOnline > 0 {
					num++
				}
			}
		}
		return num, den
	},
	"online.payment_ready": func(t *Tally, _ *Weights, _ time.Time) (num, den float64) {
		for code, pt := range t.ByProc {
			if pt.Fee > 0 {
				den++
				if p, ok := t.Catalog[code]; ok && offeredOnline(p) {
					num++
				}
			}
		}
		return num, den
	},
	"online.paid_online": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.D.PaidOnline), float64(t.D.Fee)
	},
	"satisfaction.satisfied": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.Ratings.Satisfied), float64(t.Ratings.Ratings)
	},
	"satisfaction.feedback_on_time": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.Feedback.OnTime), float64(t.Feedback.Counted)
	},
	"satisfaction.feedback_satisfied": func(t *Tally, _ *Weights, _ time.Time) (float64, float64) {
		return float64(t.Feedback.Fine), float64(t.Feedback.Counted)
	},
}
