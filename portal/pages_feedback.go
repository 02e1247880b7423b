package main

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/feedback"
	"motcua/internal/unit"
)

// feedbackFormData is /feedback: the form to send feedback, the form to
// find one by code and phone, and the answers units published.
type feedbackFormData struct {
	CSRF      string
	In        feedbackBody
	Kinds     []string
	Units     []unit.Unit
	Error     string
	Fields    map[string]string
	Published []feedback.Feedback
	MaxChars  int
	Offices   []option // suggested for an office's code
}

// pageFeedback is GET /feedback.
func (s *server) pageFeedback(c *fiber.Ctx) error {
	data := feedbackFormData{In: feedbackBody{About: feedback.About{Kind: c.Query("about", feedback.AboutProcedure),
		Ref: c.Query("ref")}}}
	return s.feedbackForm(c, data, fiber.StatusOK)
}

func (s *server) feedbackForm(c *fiber.Ctx, data feedbackFormData, status int) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	data.CSRF, data.Kinds, data.MaxChars = s.csrfToken(c), feedback.AboutKinds, feedback.MaxContentLen
	var err error
	if data.Units, err = s.units.List(c.UserContext()); err != nil {
		return err
	}
	if data.Published, err = s.feedback.Published(c.UserContext(), "", 10); err != nil {
		return err
	}
	offices, err := s.queue.Offices(c.UserContext())
	if err != nil {
		return err
	}
	for _, l := range offices {
		data.Offices = append(data.Offices, option{Value: l.Office.Code, Label: l.Office.Name})
	}
	c.Status(status)
	return s.render(c, "feedback", s.tr(c).T("feedback.title"), data)
}

// feedbackSubmit is POST /feedback: the feedback, then its page (post,
// redirect, get) with its code and deadline.
func (s *server) feedbackSubmit(c *fiber.Ctx) error {
	in := feedbackBody{About: feedback.About{Kind: c.FormValue("about_kind"), Ref: c.FormValue("about_ref")},
		Unit: c.FormValue("unit"), Name: c.FormValue("name"), Phone: c.FormValue("phone"), Content: c.FormValue("content")}
	f, err := s.feedback.Submit(c.UserContext(), actor.Anon(), feedback.Input{About: in.About, Unit: in.Unit,
		Name: in.Name, Phone: in.Phone, Content: in.Content})
	if err != nil {
		ae := apperr.As(err)
		if statusOf(ae.Code) >= 500 {
			return err
		}
		data := feedbackFormData{In: in, Fields: map[string]string{}}
		var fields []apperr.FieldError
		data.Error, fields = translateError(s.tr(c), ae)
		for _, fe := range fields {
			data.Fields[fe.Field] = fe.Message
		}
		return s.feedbackForm(c, data, statusOf(ae.Code))
	}
	return c.Redirect(feedbackURL(f.Code, f.Phone)+"&sent=1", fiber.StatusSeeOther)
}

func feedbackURL(code, phone string) string {
	return "/feedback/" + url.PathEscape(code) + "?phone=" + url.QueryEscape(phone)
}

// feedbackItemData is a feedback's page, found by code and phone.
type feedbackItemData struct {
	Code, Phone string
	CSRF        string
	F           *feedback.Feedback
	Sent        bool
	Error       string
}

// pageFeedbackItem is GET /feedback/{code}?phone=: the feedback, its
// answer, and the citizen's verdict on it. Without a phone, the form asks
// for it; an unknown code and a wrong phone get the same answer.
func (s *server) pageFeedbackItem(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	t := s.tr(c)
	data := feedbackItemData{Code: strings.ToUpper(strings.TrimSpace(c.Params("code"))), Phone: strings.TrimSpace(c.Query("phone")),
		CSRF: s.csrfToken(c), Sent: c.Query("sent") == "1"}
	if data.Phone == "" {
		return s.render(c, "feedback_item", t.T("feedback.item.title", "Code", data.Code), data)
	}
	f, err := s.feedback.Get(c.UserContext(), actor.Anon(), data.Code, data.Phone)
	switch apperr.CodeOf(err) {
	case "":
		data.F = &f
	case apperr.NotFound:
		c.Status(fiber.StatusNotFound)
		data.Error = t.T("feedback.error.not_found")
	case apperr.Invalid:
		c.Status(fiber.StatusUnprocessableEntity)
		data.Error = t.T("dossier.error.phone")
	default:
		return err
	}
	return s.render(c, "feedback_item", t.T("feedback.item.title", "Code", data.Code), data)
}

// feedbackVerdict is POST /feedback/{code}/verdict: satisfied or not with
// the answer, once.
func (s *server) feedbackVerdict(c *fiber.Ctx) error {
	code, phone := c.Params("code"), c.FormValue("phone")
	_, err := s.feedback.Verdict(c.UserContext(), actor.Anon(), code, phone, c.FormValue("satisfied") == "yes")
	if err != nil && apperr.CodeOf(err) != apperr.Conflict {
		return err
	}
	return c.Redirect(feedbackURL(strings.ToUpper(strings.TrimSpace(code)), phone), fiber.StatusSeeOther)
}

// feedbackLookup is GET /feedback/find?code=&phone=: the search form's
// target.
func (s *server) feedbackLookup(c *fiber.Ctx) error {
	code := strings.ToUpper(strings.TrimSpace(c.Query("code")))
	if !feedback.ValidCode(code) {
		data := feedbackItemData{Code: code, CSRF: s.csrfToken(c), Error: s.tr(c).T("feedback.error.not_found")}
		c.Status(fiber.StatusNotFound)
		return s.render(c, "feedback_item", s.tr(c).T("feedback.item.title", "Code", code), data)
	}
	return c.Redirect(feedbackURL(code, c.Query("phone")), fiber.StatusSeeOther)
}
