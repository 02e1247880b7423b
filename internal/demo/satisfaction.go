package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/catalog"
	"motcua/internal/dossier"
	"motcua/internal/feedback"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/workday"
)

// demoClock is the clock the demo's services read: set to each made-up
// moment before the use case runs, so that ratings and feedback spread over
// the last 90 days go through the real rules (follow-ups, deadlines,
// outbox) with their own dates.
type demoClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *demoClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *demoClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Satisfaction rates most of the demo's finished dossiers and some
// visits of the demo hall over the last 90 days, some low (with their
// follow-ups, most closed, some late), and adds feedback, most answered,
// some late, some still open past their deadline. It does nothing when
// ratings exist already.
func Satisfaction(ctx context.Context, e *app.App, stdout io.Writer) error {
	now := e.Now().UTC()
	fig, err := e.Ratings.Figures(ctx, rating.StatsQuery{From: now.AddDate(-10, 0, 0), To: now.Add(24 * time.Hour)})
	if err != nil || fig.Total.Ratings > 0 {
		return err
	}
	clk := &demoClock{t: now}
	g := &demoSat{e: e, rng: rand.New(rand.NewPCG(9, 2026)), clk: clk, now: now,
		ratings: rating.NewService(e.DB, e.Calendar, e.Ratings.Links(), clk.Now),
		fb:      feedback.NewService(e.DB, e.Catalog, e.Calendar, clk.Now),
		head:    actor.Actor{Kind: actor.Staff, Name: "demo.head", Role: actor.RoleHead, Unit: "TB"},
		admin:   actor.Actor{Kind: actor.Staff, Name: "demo.admin", Role: actor.RoleAdmin},
		clerk:   actor.Actor{Kind: actor.Staff, Name: "demo.clerk", Role: actor.RoleClerk, Unit: "TB"}}
	nd, err := g.dossiers(ctx)
	if err != nil {
		return fmt.Errorf("demo ratings: %w", err)
	}
	nv, err := g.visits(ctx)
	if err != nil {
		return fmt.Errorf("demo visit ratings: %w", err)
	}
	nf, err := g.feedback(ctx)
	if err != nil {
		return fmt.Errorf("demo feedback: %w", err)
	}
	fmt.Fprintf(stdout, "demo: %d dossier ratings, %d visit ratings, %d feedback added (%s/satisfaction)\n", nd, nv, nf, e.Cfg.PublicURL)
	return nil
}

type demoSat struct {
	e       *app.App
	rng     *rand.Rand
	clk     *demoClock
	now     time.Time
	ratings *rating.Service
	fb      *feedback.Service
	head    actor.Actor
	admin   actor.Actor
	clerk   actor.Actor
}

// answers makes up a rating: mostly satisfied, about one in eight low.
func (g *demoSat) answers() map[string]int {
	a := map[string]int{rating.Overall: []int{2, 2, 2, 1, 1, 1, 1, 0}[g.rng.IntN(8)]}
	for _, q := range rating.Questions()[1:] {
		if g.rng.IntN(3) == 0 {
			continue
		}
		v := 2 - g.rng.IntN(2)
		if a[rating.Overall] == 0 && g.rng.IntN(2) == 0 || g.rng.IntN(30) == 0 {
			v = 0
		}
		a[q.Key] = v
	}
	return a
}

var demoComments = []string{"", "", "", "Cán bộ hướng dẫn tận tình.", "Thủ tục nhanh gọn.", "Phải chờ khá lâu.",
	"Phải đi lại nhiều lần để bổ sung giấy tờ.", "Trả kết quả trễ hẹn, không được báo trước."}

// after is a moment from t to a few days later, never past now.
func (g *demoSat) after(t time.Time, maxHours int) time.Time {
	at := t.Add(time.Duration(1+g.rng.IntN(maxHours)) * time.Hour)
	if at.After(g.now) {
		at = g.now.Add(-time.Minute)
	}
	return at
}

// dossiers rates about two thirds of the finished demo dossiers.
func (g *demoSat) dossiers(ctx context.Context) (int, error) {
	list, _, err := g.e.DB.Dossiers(ctx, dossier.Selection{Units: demoUnits,
		Statuses: []dossier.Status{dossier.Done, dossier.Returned}, Limit: 1000})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range list {
		if g.rng.IntN(3) == 0 {
			continue
		}
		end := d.ReceivedAt
		if d.ReturnedAt != nil {
			end = *d.ReturnedAt
		} else if d.FinishedAt != nil {
			end = *d.FinishedAt
		}
		at := g.after(end, 72)
		g.clk.Set(at)
		a := actor.Actor{Kind: actor.Citizen, Phone: d.Applicant.Phone}
		channel := []string{rating.ChannelWeb, rating.ChannelLink, rating.ChannelLink, rating.ChannelBot}[g.rng.IntN(4)]
		r, err := g.ratings.RateDossier(ctx, a, d.Code, rating.Input{Answers: g.answers(),
			Comment: demoComments[g.rng.IntN(len(demoComments))], Channel: channel})
		if err != nil {
			return n, fmt.Errorf("%s: %w", d.Code, err)
		}
		n++
		if err := g.followUp(ctx, r); err != nil {
			return n, err
		}
	}
	return n, nil
}

// followUp closes most follow-ups of low ratings, some after their
// deadline; the last weeks' are partly left open.
func (g *demoSat) followUp(ctx context.Context, r rating.Rating) error {
	if !r.Low || g.rng.IntN(5) == 0 {
		return nil
	}
	list, err := g.ratings.FollowUps(ctx, g.admin, true)
	if err != nil {
		return err
	}
	for _, f := range list {
		if f.RatingID != r.ID {
			continue
		}
		hours := 48
		if g.rng.IntN(4) == 0 {
			hours = 24 * 12 // late
		}
		at := g.after(r.CreatedAt, hours)
		g.clk.Set(at)
		head := g.head
		head.Unit = f.UnitCode // the head of the rated unit
		_, err := g.ratings.CloseFollowUp(ctx, head, f.ID, "Đã làm việc với cán bộ phụ trách và chấn chỉnh.",
			"Đơn vị xin lỗi anh/chị và đã chấn chỉnh việc tiếp nhận, hướng dẫn hồ sơ.")
		return err
	}
	return nil
}

// visits makes two or three finished visits on each working day of the
// last 90 at the demo hall, and rates most of them at the counters' tablets
// or on the phones.
func (g *demoSat) visits(ctx context.Context) (int, error) {
	l, err := g.e.Queue.Layout(ctx, Office)
	if err != nil || len(l.Services) == 0 {
		return 0, nil // no demo hall: nothing to visit
	}
	q := queue.NewManager(g.e.DB, nil, g.clk.Now, g.e.Log)
	cal, loc := g.e.Calendar, workday.Location()
	n := 0
	today := g.now.In(loc)
	for d := 90; d >= 1; d-- {
		day := time.Date(today.Year(), today.Month(), today.Day()-d, 8, 30, 0, 0, loc)
		if !cal.IsWorkingDay(day) {
			continue
		}
		for i := range 2 + g.rng.IntN(2) {
			s := l.Services[g.rng.IntN(len(l.Services))]
			counters := l.CountersFor(s.Code)
			if len(counters) == 0 {
				continue
			}
			c := counters[g.rng.IntN(len(counters))]
			g.clk.Set(day.Add(time.Duration(i*40+g.rng.IntN(20)) * time.Minute))
			v, err := q.Issue(ctx, g.clerk, Office, s.Code, "")
			if err != nil {
				return n, err
			}
			g.clk.Set(g.clk.Now().Add(time.Duration(5+g.rng.IntN(20)) * time.Minute))
			if _, err := q.Act(ctx, g.clerk, c.ID, queue.Action{Name: "next"}); err != nil {
				return n, err
			}
			g.clk.Set(g.clk.Now().Add(time.Duration(4+g.rng.IntN(12)) * time.Minute))
			if _, err := q.Act(ctx, g.clerk, c.ID, queue.Action{Name: "done", Ticket: v.Ticket.ID}); err != nil {
				return n, err
			}
			if g.rng.IntN(4) == 0 {
				continue
			}
			g.clk.Set(g.clk.Now().Add(30 * time.Second))
			channel := rating.ChannelTablet
			if g.rng.IntN(3) == 0 {
				channel = rating.ChannelTicket
			}
			r, err := g.ratings.RateTicket(ctx, actor.Anon(), v.Ticket.ID, rating.Input{
				Answers: map[string]int{rating.Overall: []int{2, 2, 2, 2, 1, 1, 1, 0}[g.rng.IntN(8)]}, Channel: channel})
			if err != nil {
				return n, err
			}
			n++
			if err := g.followUp(ctx, r); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

var demoFeedback = []struct{ kind, ref, content string }{
	{feedback.AboutProcedure, "", "Đề nghị niêm yết rõ hơn thành phần hồ sơ của thủ tục này tại bộ phận một cửa."},
	{feedback.AboutOffice, Office, "Khu vực chờ thiếu ghế ngồi vào buổi sáng thứ Hai."},
	{feedback.AboutProcedure, "", "Lệ phí được thu nhưng không có biên lai điện tử."},
	{feedback.AboutOffice, Office, "Máy lấy số thứ tự thỉnh thoảng không in được phiếu."},
	{feedback.AboutProcedure, "", "Đề nghị cho nộp bản sao điện tử thay cho bản sao chứng thực."},
}

// feedback adds a few dozen pieces over the 90 days: most answered on
// time, some late, a few still open (some past their deadline), some
// judged by the citizen, some published.
func (g *demoSat) feedback(ctx context.Context) (int, error) {
	res, err := g.e.Catalog.Search(catalog.Query{Limit: catalog.MaxLimit})
	if err != nil || len(res.Items) == 0 {
		return 0, err
	}
	n := 0
	for i := range 30 {
		tpl := demoFeedback[g.rng.IntN(len(demoFeedback))]
		in := feedback.Input{About: feedback.About{Kind: tpl.kind, Ref: tpl.ref}, Name: "Người dân " + fmt.Sprint(i+1),
			Phone: fmt.Sprintf("09%08d", g.rng.IntN(100000000)), Content: tpl.content}
		if in.About.Kind == feedback.AboutProcedure {
			in.About.Ref = res.Items[g.rng.IntN(len(res.Items))].Code
		}
		if _, err := g.e.Queue.Layout(ctx, Office); err != nil && in.About.Kind == feedback.AboutOffice {
			continue
		}
		received := g.now.Add(-time.Duration(g.rng.IntN(88*24)+2) * time.Hour)
		g.clk.Set(received)
		f, err := g.fb.Submit(ctx, actor.Anon(), in)
		if err != nil {
			return n, err
		}
		n++
		var at time.Time
		switch k := g.rng.IntN(10); {
		case k < 6: // on time
			at = received.Add(time.Duration(24+g.rng.IntN(24*8)) * time.Hour)
			if at.After(f.DueAt) {
				at = f.DueAt.Add(-time.Hour)
			}
		case k < 8: // late
			at = f.DueAt.Add(time.Duration(24+g.rng.IntN(24*5)) * time.Hour)
		default: // still open
			continue
		}
		if at.After(g.now) {
			continue
		}
		g.clk.Set(at)
		head := g.head
		head.Unit = f.UnitCode
		f, err = g.fb.Answer(ctx, head, f.Code, "Đơn vị ghi nhận phản ánh và đã chỉ đạo khắc phục. Cảm ơn ông/bà đã góp ý.", g.rng.IntN(2) == 0)
		if err != nil {
			return n, err
		}
		if g.rng.IntN(3) > 0 {
			g.clk.Set(g.after(at, 48))
			if _, err := g.fb.Verdict(ctx, actor.Anon(), f.Code, f.Phone, g.rng.IntN(5) > 0); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
