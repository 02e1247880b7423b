package store

import (
	"context"
	"strings"
	"time"

	"motcua/internal/scorecard"
)

// The scorecard's aggregates (docs/scorecard.md): one query per source
// table, grouped by unit (and procedure for dossiers), so that the service
// rolls units up its tree and ranks a whole level from one read.

// Conditions on a dossiers row, shared by the tallies and the items.
const (
	scReceived = `status <> 'refused'`
	scCounted  = `status NOT IN ('refused', 'withdrawn', 'stopped')`
	scFinished = `status IN ('done', 'returned')`
	// scOnTime takes the moment "not yet due" is judged at as its one
	// parameter. A dossier waiting for the applicant's supplement has its
	// clock stopped and counts as on time.
	scOnTime = `((status IN ('done', 'returned') AND COALESCE(finished_at, returned_at, received_at) <= due_at)
		OR (status IN ('received', 'in_progress', 'payment') AND due_at >= ?)
		OR status = 'supplement')`
	scApology = `(apology_issued_at IS NOT NULL AND NOT apology_late)`
)

// unitFilter is "AND col IN (…)" for a list of units; nil means every unit.
func unitFilter(col string, units []string, args []any) (string, []any) {
	if units == nil {
		return "", args
	}
	if len(units) == 0 {
		return " AND 1 = 0", args
	}
	for _, u := range units {
		args = append(args, u)
	}
	return " AND " + col + " IN (?" + strings.Repeat(", ?", len(units)-1) + ")", args
}

// seconds is the number of seconds from b to a: the one place the dialects
// differ in the scorecard's SQL.
func (db *DB) seconds(a, b string) string {
	if db.dialect == Postgres {
		return `EXTRACT(EPOCH FROM (` + a + ` - ` + b + `))`
	}
	return `((julianday(` + a + `) - julianday(` + b + `)) * 86400.0)`
}

// ScoreDossiers counts the dossiers received in [start, end) by unit and
// procedure.
func (db *DB) ScoreDossiers(ctx context.Context, units []string, start, end, now time.Time) ([]scorecard.DossierTally, error) {
	finishedAt := `COALESCE(finished_at, returned_at, received_at)`
	q := `SELECT unit_code, procedure_code,
		COUNT(*) AS received,
		COUNT(CASE WHEN ` + scCounted + ` THEN 1 END) AS counted,
		COUNT(CASE WHEN ` + scCounted + ` AND ` + scOnTime + ` THEN 1 END) AS on_time,
		COUNT(CASE WHEN ` + scCounted + ` AND NOT ` + scOnTime + ` THEN 1 END) AS late,
		COUNT(CASE WHEN ` + scCounted + ` AND NOT ` + scOnTime + ` AND ` + scApology + ` THEN 1 END) AS late_apology,
		COUNT(CASE WHEN ` + scFinished + ` THEN 1 END) AS finished,
		COUNT(CASE WHEN ` + scFinished + ` AND e_result THEN 1 END) AS e_result,
		COUNT(CASE WHEN digitized THEN 1 END) AS digitised,
		COUNT(CASE WHEN reused_data THEN 1 END) AS reused,
		COUNT(CASE WHEN synced_national THEN 1 END) AS synced,
		COUNT(CASE WHEN channel = 'online' THEN 1 END) AS online,
		COUNT(CASE WHEN has_fee THEN 1 END) AS fee,
		COUNT(CASE WHEN has_fee AND paid_online THEN 1 END) AS paid_online,
		COALESCE(SUM(CASE WHEN ` + scFinished + ` THEN ` + db.seconds(finishedAt, "received_at") + ` END), 0) AS elapsed,
		COALESCE(SUM(CASE WHEN ` + scFinished + ` THEN ` + db.seconds("due_at", "received_at") + ` END), 0) AS allowed
		FROM dossiers WHERE received_at >= ? AND received_at < ? AND ` + scReceived
	args := []any{now.UTC(), now.UTC(), now.UTC(), start.UTC(), end.UTC()}
	f, args := unitFilter("unit_code", units, args)
	q += f + ` GROUP BY unit_code, procedure_code`
	var out []scorecard.DossierTally
	if err := db.x.SelectContext(ctx, &out, db.q(q), args...); err != nil {
		return nil, unavailable("scorecard: dossiers", err)
	}
	return out, nil
}

// ScoreDossierItems lists the dossiers received in [start, end), refused
// ones excluded, with each of their marks.
func (db *DB) ScoreDossierItems(ctx context.Context, units []string, start, end, now time.Time) ([]scorecard.DossierItem, error) {
	q := `SELECT code, unit_code, procedure_code, status, due_at,
		CASE WHEN ` + scCounted + ` THEN 1 ELSE 0 END AS counted,
		CASE WHEN ` + scOnTime + ` THEN 1 ELSE 0 END AS on_time,
		CASE WHEN ` + scApology + ` THEN 1 ELSE 0 END AS apology,
		CASE WHEN ` + scFinished + ` THEN 1 ELSE 0 END AS finished,
		e_result, digitized, reused_data, synced_national,
		CASE WHEN channel = 'online' THEN 1 ELSE 0 END AS online,
		has_fee, paid_online
		FROM dossiers WHERE received_at >= ? AND received_at < ? AND ` + scReceived
	args := []any{now.UTC(), start.UTC(), end.UTC()}
	f, args := unitFilter("unit_code", units, args)
	q += f + ` ORDER BY due_at, code`
	var out []scorecard.DossierItem
	if err := db.x.SelectContext(ctx, &out, db.q(q), args...); err != nil {
		return nil, unavailable("scorecard: dossier items", err)
	}
	for i := range out {
		out[i].DueAt = out[i].DueAt.UTC()
	}
	return out, nil
}

// ScoreRatings counts the dossier ratings given in [start, end) by unit.
func (db *DB) ScoreRatings(ctx context.Context, units []string, start, end time.Time) ([]scorecard.RatingTally, error) {
	q := `SELECT unit_code, COUNT(*) AS ratings, COUNT(CASE WHEN satisfied THEN 1 END) AS satisfied
		FROM ratings WHERE kind = 'dossier' AND created_at >= ? AND created_at < ?`
	f, args := unitFilter("unit_code", units, []any{start.UTC(), end.UTC()})
	q += f + ` GROUP BY unit_code`
	var out []scorecard.RatingTally
	if err := db.x.SelectContext(ctx, &out, db.q(q), args...); err != nil {
		return nil, unavailable("scorecard: ratings", err)
	}
	return out, nil
}

// ScoreRatingItems lists the unsatisfied dossier ratings given in
// [start, end), with the status of their follow-up.
func (db *DB) ScoreRatingItems(ctx context.Context, units []string, start, end time.Time) ([]scorecard.RatingItem, error) {
	q := `SELECT r.id, r.unit_code, COALESCE(r.dossier_code, '') AS dossier_code, r.created_at,
		COALESCE(f.status, '') AS follow_up
		FROM ratings r LEFT JOIN follow_ups f ON f.rating_id = r.id
		WHERE r.kind = 'dossier' AND NOT r.satisfied AND r.created_at >= ? AND r.created_at < ?`
	f, args := unitFilter("r.unit_code", units, []any{start.UTC(), end.UTC()})
	q += f + ` ORDER BY r.created_at, r.id`
	var out []scorecard.RatingItem
	if err := db.x.SelectContext(ctx, &out, db.q(q), args...); err != nil {
		return nil, unavailable("scorecard: rating items", err)
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}

// Feedback conditions: counted leaves out feedback still open and not yet
// due (one parameter: now); on time was answered by its deadline; fine was
// answered on time and not rated unsatisfied.
const (
	fbCounted = `(answered_at IS NOT NULL OR due_at < ?)`
	fbOnTime  = `(answered_at IS NOT NULL AND answered_at <= due_at)`
	fbUnhappy = `(satisfied IS NOT NULL AND NOT satisfied)`
)

// ScoreFeedback counts the feedback received in [start, end) by unit.
func (db *DB) ScoreFeedback(ctx context.Context, units []string, start, end, now time.Time) ([]scorecard.FeedbackTally, error) {
	q := `SELECT unit_code, COUNT(*) AS counted,
		COUNT(CASE WHEN ` + fbOnTime + ` THEN 1 END) AS on_time,
		COUNT(CASE WHEN ` + fbOnTime + ` AND NOT ` + fbUnhappy + ` THEN 1 END) AS fine
		FROM feedback WHERE received_at >= ? AND received_at < ? AND ` + fbCounted
	f, args := unitFilter("unit_code", units, []any{start.UTC(), end.UTC(), now.UTC()})
	q += f + ` GROUP BY unit_code`
	var out []scorecard.FeedbackTally
	if err := db.x.SelectContext(ctx, &out, db.q(q), args...); err != nil {
		return nil, unavailable("scorecard: feedback", err)
	}
	return out, nil
}

// ScoreFeedbackItems lists the counted feedback of [start, end) that was
// not answered on time or whose answer was rated unsatisfied.
func (db *DB) ScoreFeedbackItems(ctx context.Context, units []string, start, end, now time.Time) ([]scorecard.FeedbackItem, error) {
	q := `SELECT code, unit_code, due_at,
		CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
		CASE WHEN ` + fbOnTime + ` THEN 1 ELSE 0 END AS on_time,
		CASE WHEN ` + fbUnhappy + ` THEN 1 ELSE 0 END AS unsatisfied
		FROM feedback WHERE received_at >= ? AND received_at < ? AND ` + fbCounted + `
		AND NOT (` + fbOnTime + ` AND NOT ` + fbUnhappy + `)`
	f, args := unitFilter("unit_code", units, []any{start.UTC(), end.UTC(), now.UTC()})
	q += f + ` ORDER BY due_at, code`
	var out []scorecard.FeedbackItem
	if err := db.x.SelectContext(ctx, &out, db.q(q), args...); err != nil {
		return nil, unavailable("scorecard: feedback items", err)
	}
	for i := range out {
		out[i].DueAt = out[i].DueAt.UTC()
	}
	return out, nil
}
