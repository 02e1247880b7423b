package main

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/rating"
)

// trackRateTTL is how long the rating link on a tracking page works: the
// citizen proved the phone just now.
const trackRateTTL = 24 * time.Hour

// rateData is the /rate page: the form, or thanks.
type rateData struct {
	Code      string
	CSRF      string
	Link      string // the signed link's token, instead of the phone
	Phone     string
	Comment   string
	Questions []questionView
	Error     string
	Fields    map[string]string // field → translated message
	Done      bool              // thanks
	Rated     bool              // rated before: no form
	Low       bool              // the thanks says the head will follow up
	MaxChars  int
}

// pageRate is GET /rate/{code}: the rating form of a dossier. With a
// signed link (?k=, from the tracking page, the result slip's QR code or a
// notification) no phone is asked; without, the phone is.
func (s *server) pageRate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	t := s.tr(c)
	code := strings.ToUpper(strings.TrimSpace(c.Params("code")))
	data := rateData{Code: code, CSRF: s.csrfToken(c), Link: c.Query("k"), Questions: questionsOf(t), MaxChars: rating.MaxCommentLen}
	if c.Query("done") != "" {
		data.Done, data.Low = true, c.Query("done") == "low"
		return s.render(c, "rate", t.T("rate.thanks_title"), data)
	}
	if data.Link != "" {
		if err := s.ratings.CheckLink(c.UserContext(), code, data.Link); err != nil {
			ae := apperr.As(err)
			if ae.Code != apperr.Forbidden {
				return err
			}
			// A bad or old link: the form asks for the phone instead.
			c.Status(fiber.StatusForbidden)
			data.Link, data.Error = "", t.Map(ae.MessageID, ae.Params)
			return s.render(c, "rate", t.T("rate.title", "Code", code), data)
		}
		rated, err := s.ratings.RatedDossier(c.UserContext(), code)
		if err != nil {
			return err
		}
		data.Rated = rated
	}
	return s.render(c, "rate", t.T("rate.title", "Code", code), data)
}

// rateSubmit is POST /rate/{code}: the rating, then thanks (post, redirect,
// get). A refused rating shows the form again with why, nothing stored.
func (s *server) rateSubmit(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	t := s.tr(c)
	code := strings.ToUpper(strings.TrimSpace(c.Params("code")))
	in := rating.Input{Answers: map[string]int{}, Comment: c.FormValue("comment"), Channel: rating.ChannelWeb, Link: c.FormValue("k")}
	for _, q := range rating.Questions() {
		if v := c.FormValue(q.Key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1
			}
			in.Answers[q.Key] = n
		}
	}
	data := rateData{Code: code, CSRF: s.csrfToken(c), Link: in.Link, Phone: c.FormValue("phone"), Comment: in.Comment,
		Questions: questionsOf(t, in.Answers), MaxChars: rating.MaxCommentLen}
	var err error
	a := actor.Anon()
	if in.Link != "" {
		in.Channel = rating.ChannelLink
	} else {
		a, err = citizenOf(strings.TrimSpace(data.Phone))
	}
	var r rating.Rating
	if err == nil {
		r, err = s.ratings.RateDossier(c.UserContext(), a, code, in)
	}
	if err != nil {
		ae := apperr.As(err)
		if statusOf(ae.Code) >= 500 {
			return err
		}
		c.Status(statusOf(ae.Code))
		msg, fields := translateError(t, ae)
		if ae.Code == apperr.NotFound {
			msg = t.T("rate.error.not_found")
		}
		data.Error, data.Fields = msg, map[string]string{}
		for _, f := range fields {
			data.Fields[f.Field] = f.Message
		}
		return s.render(c, "rate", t.T("rate.title", "Code", code), data)
	}
	done := "ok"
	if r.Low {
		done = "low"
	}
	return c.Redirect("/rate/"+url.PathEscape(code)+"?done="+done, fiber.StatusSeeOther)
}

// rateURL is the tracking page's link to rate a finished dossier not yet
// rated: signed, since the citizen has just proved the phone. A failure
// only leaves the link out, logged.
func (s *server) rateURL(c *fiber.Ctx, code string, finished bool) string {
	if !finished {
		return ""
	}
	ctx := c.UserContext()
	rated, err := s.ratings.RatedDossier(ctx, code)
	if err == nil && !rated {
		var path string
		if path, err = s.ratings.Links().Path(ctx, code, trackRateTTL); err == nil {
			return path
		}
	}
	if err != nil {
		s.log.Error("rating link", "request_id", requestIDOf(c), "code", code, "err", err)
	}
	return ""
}
