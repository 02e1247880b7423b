package kiosk

import (
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/web"
)

// oneTap is the one-question rating a phone or a tablet shows once a visit
// is finished: three big buttons, a face and a word each, no typing.
type oneTap struct {
	Action  string // where the form posts
	Ticket  string // the ticket rated (the tablet's hidden field)
	CSRF    string // the tablet's staff session token, if any
	Levels  []tapLevel
	Rated   bool   // thanks instead of the buttons
	Error   string // why the last tap was refused
	Heading string
	Thanks  string
}

type tapLevel struct {
	Value int
	Label string
	Face  template.HTML
}

func tapLevels(t *i18n.Translator) []tapLevel {
	var out []tapLevel
	for _, l := range rating.Levels {
		out = append(out, tapLevel{Value: l, Face: web.Face(l), Label: t.T("rating.level." + strconv.Itoa(l))})
	}
	return out
}

// visitRating is what the phone's ticket page offers once the visit is
// finished: the one-tap rating, or thanks once given. Nil while the visit
// goes on, or for a no-show.
func (h *handlers) visitRating(c *fiber.Ctx, t *i18n.Translator, tk queue.Ticket) (*oneTap, error) {
	if tk.Status != queue.Done || h.d.Ratings == nil {
		return nil, nil
	}
	rated, err := h.d.Ratings.RatedTicket(c.UserContext(), tk.ID)
	if err != nil {
		return nil, err
	}
	return &oneTap{Action: "/t/" + url.PathEscape(tk.ID) + "/rate", Levels: tapLevels(t), Rated: rated,
		Heading: t.T("ticket.rate.heading"), Thanks: t.T("rating.thanks")}, nil
}

// rateVisit is the phone's one tap: POST /t/{id}/rate with overall.
func (h *handlers) rateVisit(c *fiber.Ctx) error {
	id := c.Params("id")
	in := rating.Input{Answers: map[string]int{}, Channel: rating.ChannelTicket}
	if v, ok := level(c.FormValue("overall")); ok {
		in.Answers[rating.Overall] = v
	}
	_, err := h.d.Ratings.RateTicket(c.UserContext(), actor.Anon(), id, in)
	if err != nil && apperr.CodeOf(err) != apperr.Conflict {
		return err
	}
	return c.Redirect("/t/"+url.PathEscape(id)+"#rate", fiber.StatusSeeOther)
}

// level reads a form's level. Nothing leaves the answer out (the service
// says overall is required); anything but a number is out of the scale.
func level(v string) (int, bool) {
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1, true
	}
	return n, true
}
