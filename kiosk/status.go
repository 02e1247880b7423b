package kiosk

import (
	"github.com/gofiber/fiber/v2"

	"motcua/internal/queue"
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
	// TelegramURL is the t.me deep link that makes the bot follow this
	// ticket ("" without a bot).
	TelegramURL string
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
	data := statusData{Office: viewOffice(v.Office), Ticket: card,
		StateText: t.T("ticket.state."+card.Status, "Counter", card.Counter),
		// A no-show of today may still be called back: keep listening.
		Live: !v.Ticket.Status.Final() || v.Ticket.Status == queue.NoShow && v.Ticket.Day == queue.Day(h.d.Now()), EventsURL: eventsURL(v.Office.Code), RefreshSeconds: statusRefresh}
	if data.Live && h.d.BotUsername != nil {
		// The payload is "t_" and the ticket's ID: 28 characters of
		// [a-z2-7_], within Telegram's 64 of [A-Za-z0-9_-] (docs/bot.md).
		if name, err := h.d.BotUsername(c.UserContext()); err == nil && validUsername(name) {
			data.TelegramURL = "https://t.me/" + name + "?start=t_" + v.Ticket.ID
		}
	}
	if data.Rate, err = h.visitRating(c, t, v.Ticket); err != nil {
		return err
	}
	return h.render(c, page{name: "ticket_status", title: t.T("ticket.title", "Number", card.Number)}, data)
}

// validUsername: a Telegram username is 5 to 32 characters of
// [A-Za-z0-9_].
func validUsername(s string) bool {
	if len(s) < 5 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
