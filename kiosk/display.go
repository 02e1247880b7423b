package kiosk

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// freshCall is how long a counter's new call stays highlighted on a display
// that reloads (without JavaScript): about one refresh.
const freshCall = 15 * time.Second

// displayRefresh is the reload period of a display without JavaScript.
const displayRefresh = 10

type counterBoard struct {
	ID     int64
	Name   string
	Number string // "" while the counter is free
	Fresh  bool
}

type recentCall struct{ Number, Counter string }

type displayData struct {
	Office         officeView
	Counters       []counterBoard
	Recent         []recentCall
	Services       []serviceChoice
	Clock          string
	EventsURL      string
	Say            string
	RefreshSeconds int
}

// display is the hall display: who is served where, the last calls and the
// queues. It follows the office's events with display.js and announces each
// call; without JavaScript it reloads itself.
func (h *handlers) display(c *fiber.Ctx) error {
	b, err := h.q.Board(c.UserContext(), c.Params("office"))
	if err != nil {
		return err
	}
	t, now := h.tr(c), h.d.Now()
	o := b.Layout.Office
	names := map[int64]string{}
	for _, ctr := range b.Layout.Counters {
		names[ctr.ID] = ctr.Name
	}
	data := displayData{Office: viewOffice(o), Clock: t.Time(now), EventsURL: eventsURL(o.Code),
		// The call is spoken in Vietnamese whatever the page's language:
		// the hall is Vietnamese. display.js fills the placeholders.
		Say:            h.d.Text.For("vi").T("display.say", "Number", "{number}", "Counter", "{counter}"),
		RefreshSeconds: displayRefresh}
	for _, cn := range b.Counters {
		cb := counterBoard{ID: cn.Counter.ID, Name: cn.Counter.Name}
		if cn.Ticket != nil {
			cb.Number = cn.Ticket.Number
			cb.Fresh = cn.Ticket.CalledAt != nil && now.Sub(*cn.Ticket.CalledAt) < freshCall
		}
		data.Counters = append(data.Counters, cb)
	}
	for _, r := range b.Recent {
		data.Recent = append(data.Recent, recentCall{Number: r.Number, Counter: names[r.CounterID]})
	}
	for _, s := range b.Services {
		data.Services = append(data.Services, serviceChoice{Code: s.Service.Code, Name: s.Service.Name(t.Lang),
			Prefix: s.Service.Prefix, Waiting: s.Waiting, EstWait: s.EstWait})
	}
	title := t.T("display.title", "Office", o.Name)
	return h.render(c, page{name: "display", title: title, bodyClass: "fullscreen display"}, data)
}
