package demo

import (
	"fmt"
	"time"

	"motcua/internal/dossier"
	"motcua/internal/workday"
)

// demoEvents is a dossier's life as it is being made up.
type demoEvents struct {
	now    time.Time
	list   []map[string]any
	status dossier.Status
	last   time.Time
}

// add records a step, unless it would lie in the future; it reports whether
// it did.
func (e *demoEvents) add(at time.Time, st dossier.Status, note string) bool {
	if at.After(e.now) || at.Before(e.last) {
		return false
	}
	e.list = append(e.list, map[string]any{"at": at.Format(time.RFC3339), "status": st, "note": note})
	e.status, e.last = st, at
	return true
}

// dossier makes up one dossier of the unit and returns its code and its
// sync body.
func (g *demoGen) dossier(unit, agency string) (string, map[string]any) {
	p := g.procs[g.rng.IntN(len(g.procs))]
	rec := g.receivedAt()
	if agency == "" {
		agency = unit
	}
	day := rec.In(workday.Location()).Format("060102")
	g.seq[agency+day]++
	code := fmt.Sprintf("%s-%s-%04d", agency, day, g.seq[agency+day])

	ev := &demoEvents{now: g.now, last: rec}
	ev.add(rec, dossier.Received, "")
	due := g.cal.Due(rec, p.ProcessingDays)
	finished := g.life(ev, rec, p.ProcessingDays, &due)

	body := map[string]any{
		"procedure_code": p.Code, "unit": unit,
		"applicant": map[string]any{"name": g.pick(demoFamily) + " " + g.pick(demoMiddle) + " " + g.pick(demoGiven),
			"phone": fmt.Sprintf("09%08d", g.rng.IntN(100000000))},
		"channel":     []string{"counter", "counter", "counter", "online", "online", "post"}[g.rng.IntN(6)],
		"received_at": rec.Format(time.RFC3339), "due_at": nil, "status": ev.status,
		"digitized": g.rng.IntN(10) < 8, "e_result": finished && g.rng.IntN(10) < 4, "reused_data": g.rng.IntN(10) < 2,
		"has_fee": ev.status == dossier.Payment || g.rng.IntN(10) < 3, "synced_national": g.rng.IntN(10) < 7,
		"events": ev.list, "apology": nil,
	}
	body["paid_online"] = body["has_fee"] == true && g.rng.IntN(10) < 4
	end := g.now
	if finished {
		end = ev.last
	}
	if !ev.status.Ended() || finished {
		if end.After(due) && g.rng.IntN(10) < 6 {
			body["apology"] = g.apology(rec, due, end)
		}
	}
	return code, body
}

// life plays a dossier's steps after reception, as far as today allows, and
// reports whether it ended with a result. A wait for papers moves due.
func (g *demoGen) life(ev *demoEvents, rec time.Time, days int, due *time.Time) bool {
	r := g.rng.IntN(100)
	// Most dossiers of a month ago have ended by now; a few still drag on.
	if g.now.Sub(rec) > 30*24*time.Hour && r >= 5 && r < 42 && g.rng.IntN(5) != 0 {
		r = 42 + g.rng.IntN(58)
	}
	switch {
	case r < 5:
		ev.add(rec.Add(15*time.Minute), dossier.Refused, "Hồ sơ thiếu tờ khai theo mẫu quy định")
		return false
	case r < 12:
		return false // still waiting to be handled
	}
	if !ev.add(g.after(rec, 1, 4), dossier.InProgress, "Chuyển cơ quan chuyên môn xử lý") {
		return false
	}
	switch {
	case r < 15:
		ev.add(g.after(ev.last, 2, 20), dossier.Withdrawn, "Công dân đề nghị rút hồ sơ")
		return false
	case r < 17:
		ev.add(g.after(ev.last, 4, 30), dossier.Stopped, "Dừng xử lý theo văn bản của cơ quan có thẩm quyền")
		return false
	case r < 24:
		ev.add(g.after(ev.last, 1, 12), dossier.Supplement, "Bổ sung bản sao chứng thực Giấy chứng nhận quyền sử dụng đất")
		return false
	case r < 28:
		ev.add(g.after(ev.last, 1, 8), dossier.Payment, "Nộp lệ phí 50.000 đồng")
		return false
	case r < 42:
		return false // being handled
	}
	if g.rng.IntN(6) == 0 { // a wait for papers on the way
		from := g.after(ev.last, 1, 6)
		to := g.after(from, 4, 24)
		if to.Before(g.now) && ev.add(from, dossier.Supplement, "Bổ sung tờ khai có chữ ký") {
			ev.add(to, dossier.InProgress, "Đã nhận đủ giấy tờ bổ sung")
			*due = g.cal.DueWithPauses(rec, days, []workday.Pause{{From: from, To: to}})
		}
	}
	var fin time.Time
	left := g.cal.WorkingTime(ev.last, *due)
	if g.rng.IntN(5) == 0 || left <= time.Hour {
		fin = g.after(*due, 1, 24) // late
	} else {
		fin = g.cal.AddWorkingTime(ev.last, time.Duration(g.rng.Int64N(int64(left))))
	}
	if !ev.add(fin, dossier.Done, "") {
		return false
	}
	if g.rng.IntN(6) != 0 {
		ev.add(g.after(fin, 1, 16), dossier.Returned, "")
	}
	return true
}

// apology is a letter for a dossier late at end: mostly issued in time, the
// day before the due date, sometimes only after it.
func (g *demoGen) apology(rec, due, end time.Time) map[string]any {
	issued := g.cal.AddWorkingTime(due, -4*time.Hour)
	if g.rng.IntN(3) == 0 || issued.Before(rec) {
		issued = g.cal.AddWorkingTime(due, 2*time.Hour)
	}
	if issued.After(end) || issued.After(g.now) {
		issued = end
	}
	return map[string]any{"issued_at": issued.Format(time.RFC3339),
		"new_due_at": g.cal.AddWorkingTime(due, 3*g.cal.DayLength()).Format(time.RFC3339),
		"reason":     []string{"Chờ ý kiến của cơ quan chuyên môn cấp tỉnh", "Cần xác minh thực địa", "Hệ thống cơ sở dữ liệu chuyên ngành gián đoạn"}[g.rng.IntN(3)]}
}
