package kiosk

import (
	"github.com/gofiber/fiber/v2"
)

// statusRefresh is the reload period of the phone page without JavaScript.
const statusRefresh = 20

type statusData struct {
	Office         officeView
	Ticket         ticketCard
	StateText      string
	Live           bool
	EventsURL      string
	RefreshSeconds int
	// Rate is the one-tap rating once the visit is finished.
	Rate *oneTap
}

// status is the ticket on the visitor's phone (the QR code's link): where
// the number stands, live, with a sound and a buzz when it is called.
func (h *handlers) status(c *fiber.Ctx) error {
	v, err := h.q.Ticket(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	t := h.tr(c)
	card := cardOf(t, v)
	data := statusData{Office: officeView{v.Office.Code, v.Office.Name}, Ticket: card,
		StateText: t.T("ticket.state."+card.Status, "Counter", card.Counter),
		Live:      !v.Ticket.Status.Final(), EventsURL: eventsURL(v.Office.Code), RefreshSeconds: statusRefresh}
	if data.Rate, err = h.visitRating(c, t, v.Ticket); err != nil {
		return err
	}
	return h.render(c, page{name: "ticket_status", title: t.T("ticket.title", "Number", card.Number)}, data)
}
