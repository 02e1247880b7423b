package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/scorecard"
	"motcua/internal/workday"
)

// The scorecard's aggregates (docs/scorecard.md), grouped by unit (and
// procedure for dossiers), so that the service rolls units up its tree and
// ranks a whole level from one read. The conditions below are those of the
// triggers of migration 00009, which tally ended dossiers by day.

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

// ScoreDossiers counts the dossiers received in [start, end) by unit and
// procedure: the ended ones from their daily tally (scorecard_days, kept by
// triggers, migration 00009), the running ones from dossiers, since whether
// they are late depends on now. start and end are local midnights.
func (db *DB) ScoreDossiers(ctx context.Context, units []string, start, end, now time.Time) ([]scorecard.DossierTally, error) {
	// One range of the tally's key (unit, grain, day) per part of the
	// period, so that each reads only its rows: a condition with OR over the
	// parts made the database read every row of the units.
	var parts []string
	var args []any
	for _, r := range tallyDays(start, end) {
		f, a := unitFilter("unit_code", units, append(args, r.grain, r.from, r.to))
		args = a
		parts = append(parts, `SELECT * FROM scorecard_days WHERE grain = ? AND day >= ? AND day < ?`+f)
	}
	q := `SELECT unit_code, procedure_code, SUM(received) AS received, SUM(counted) AS counted,
		SUM(on_time) AS on_time, SUM(counted) - SUM(on_time) AS late, SUM(late_apology) AS late_apology,
		SUM(finished) AS finished, SUM(e_result) AS e_result, SUM(digitised) AS digitised, SUM(reused) AS reused,
		SUM(synced) AS synced, SUM(online) AS online, SUM(fee) AS fee, SUM(paid_online) AS paid_online,
		SUM(elapsed) AS elapsed, SUM(allowed) AS allowed
		FROM (` + strings.Join(parts, " UNION ALL ") + `) AS t GROUP BY unit_code, procedure_code`
	var ended []scorecard.DossierTally
	if err := db.x.SelectContext(ctx, &ended, db.q(q), args...); err != nil {
		return nil, unavailable("scorecard: dossiers", err)
	}
	q = `SELECT unit_code, procedure_code, COUNT(*) AS received, COUNT(*) AS counted,
		COUNT(CASE WHEN due_at >= ? THEN 1 END) AS on_time,
		COUNT(CASE WHEN due_at < ? THEN 1 END) AS late,
		COUNT(CASE WHEN due_at < ? AND ` + scApology + ` THEN 1 END) AS late_apology,
		0 AS finished, 0 AS e_result,
		COUNT(CASE WHEN digitized THEN 1 END) AS digitised,
		COUNT(CASE WHEN reused_data THEN 1 END) AS reused,
		COUNT(CASE WHEN synced_national THEN 1 END) AS synced,
		COUNT(CASE WHEN channel = 'online' THEN 1 END) AS online,
		COUNT(CASE WHEN has_fee THEN 1 END) AS fee,
		COUNT(CASE WHEN has_fee AND paid_online THEN 1 END) AS paid_online,
		0 AS elapsed, 0 AS allowed
		FROM dossiers WHERE status IN ('received', 'in_progress', 'payment') AND received_at >= ? AND received_at < ?`
	f, rargs := unitFilter("unit_code", units, []any{now.UTC(), now.UTC(), now.UTC(), start.UTC(), end.UTC()})
	q += f + ` GROUP BY unit_code, procedure_code`
	var running []scorecard.DossierTally
	if err := db.x.SelectContext(ctx, &running, db.q(q), rargs...); err != nil {
		return nil, unavailable("scorecard: running dossiers", err)
	}
	return append(ended, running...), nil
}

// dayRange is the tally rows of one grain with day in [from, to).
type dayRange struct{ grain, from, to string }

// tallyDays is the tally rows of the local days of [start, end): the
// months it holds whole, then the days of the months it cuts.
func tallyDays(start, end time.Time) []dayRange {
	loc := workday.Location()
	from, to := start.In(loc), end.In(loc) // local midnights; to is excluded
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	firstWhole := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc)
	if !firstWhole.Equal(from) {
		firstWhole = firstWhole.AddDate(0, 1, 0)
	}
	afterWhole := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, loc)
	if !afterWhole.After(firstWhole) {
		return []dayRange{{"d", day(from), day(to)}}
	}
	out := []dayRange{{"m", day(firstWhole), day(afterWhole)}}
	for _, r := range []dayRange{{"d", day(from), day(firstWhole)}, {"d", day(afterWhole), day(to)}} {
		if r.from < r.to {
			out = append(out, r)
		}
	}
	return out
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

// RebuildScorecardDays recounts the daily tally of ended dossiers from the
// dossiers themselves, in one transaction: after a bulk load made with the
// triggers off, or to check them.
func (db *DB) RebuildScorecardDays(ctx context.Context) error {
	day, month, secs := `date(received_at, '+7 hours')`, `date(received_at, '+7 hours', 'start of month')`, func(a, b string) string {
		return `((julianday(` + a + `) - julianday(` + b + `)) * 86400.0)`
	}
	if db.dialect == Postgres {
		day, month = `(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`, `date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`
		secs = func(a, b string) string { return `EXTRACT(EPOCH FROM (` + a + ` - ` + b + `))` }
	}
	sum := func(cond string) string { return `SUM(CASE WHEN ` + cond + ` THEN 1 ELSE 0 END)` }
	fin := `COALESCE(finished_at, returned_at, received_at)`
	onTime := scCounted + ` AND ((` + scFinished + ` AND ` + fin + ` <= due_at) OR status = 'supplement')`
	q := `INSERT INTO scorecard_days (unit_code, grain, procedure_code, day, received, counted, on_time, late_apology,
		finished, e_result, digitised, reused, synced, online, fee, paid_online, elapsed, allowed)
		SELECT unit_code, ?, procedure_code, %[1]s, COUNT(*), ` + sum(scCounted) + `, ` + sum(onTime) + `,
		` + sum(scCounted+` AND NOT (`+onTime+`) AND `+scApology) + `, ` + sum(scFinished) + `,
		` + sum(scFinished+` AND e_result`) + `, ` + sum(`digitized`) + `, ` + sum(`reused_data`) + `,
		` + sum(`synced_national`) + `, ` + sum(`channel = 'online'`) + `, ` + sum(`has_fee`) + `,
		` + sum(`has_fee AND paid_online`) + `,
		SUM(CASE WHEN ` + scFinished + ` THEN ` + secs(fin, `received_at`) + ` ELSE 0 END),
		SUM(CASE WHEN ` + scFinished + ` THEN ` + secs(`due_at`, `received_at`) + ` ELSE 0 END)
		FROM dossiers WHERE status NOT IN ('received', 'in_progress', 'payment', 'refused')
		GROUP BY unit_code, procedure_code, %[1]s`
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM scorecard_days`); err != nil {
			return unavailable("scorecard: clear tally", err)
		}
		for grain, key := range map[string]string{"d": day, "m": month} {
			if _, err := tx.ExecContext(ctx, db.q(fmt.Sprintf(q, key)), grain); err != nil {
				return unavailable("scorecard: rebuild tally", err)
			}
		}
		return nil
	})
}
