package main

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/feedback"
)

// feedbackJSON is a piece of feedback as its sender sees it: never anyone
// else's data, nor who drafted the answer.
type feedbackJSON struct {
	Code       string         `json:"code"`
	Unit       string         `json:"unit"`
	About      feedback.About `json:"about"`
	Status     string         `json:"status"`
	ReceivedAt time.Time      `json:"received_at"`
	DueAt      time.Time      `json:"due_at"`
	Answer     *string        `json:"answer"`
	AnsweredAt *time.Time     `json:"answered_at"`
	Satisfied  *bool          `json:"satisfied"`
}

func feedbackOut(f feedback.Feedback) feedbackJSON {
	out := feedbackJSON{Code: f.Code, Unit: f.UnitCode, About: f.About, Status: publicStatus(f), ReceivedAt: f.ReceivedAt.UTC(),
		DueAt: f.DueAt.UTC(), AnsweredAt: utcPtr(f.AnsweredAt), Satisfied: f.Satisfied}
	if f.Answered() {
		a := f.Answer
		out.Answer = &a
	}
	return out
}

// publicStatus hides the desk's steps (assigned, drafted) from the sender:
// for them it is received until answered.
func publicStatus(f feedback.Feedback) string {
	if f.Answered() {
		return feedback.StatusAnswered
	}
	return feedback.StatusReceived
}

type feedbackBody struct {
	About   feedback.About `json:"about"`
	Unit    string         `json:"unit"`
	Name    string         `json:"name"`
	Phone   string         `json:"phone"`
	Content string         `json:"content"`
}

// apiSubmitFeedback is POST /api/v1/feedback → 201 with the code and the
// deadline.
func (s *server) apiSubmitFeedback(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	var b feedbackBody
	if err := readQueueBody(c.Body(), &b); err != nil {
		return err
	}
	f, err := s.feedback.Submit(c.UserContext(), actor.Anon(), feedback.Input{About: b.About, Unit: b.Unit,
		Name: b.Name, Phone: b.Phone, Content: b.Content})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/feedback/"+url.PathEscape(f.Code))
	return c.Status(fiber.StatusCreated).JSON(feedbackOut(f))
}

// apiFeedback is GET /api/v1/feedback/{code}?phone=: the same 404 for an
// unknown code and a wrong phone.
func (s *server) apiFeedback(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	f, err := s.feedback.Get(c.UserContext(), actor.Anon(), c.Params("code"), c.Query("phone"))
	if err != nil {
		return err
	}
	return c.JSON(feedbackOut(f))
}

// apiFeedbackVerdict is POST /api/v1/feedback/{code}/verdict {phone,
// satisfied}: once an answer exists (422 before), once (409 after).
func (s *server) apiFeedbackVerdict(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	var b struct {
		Phone     string `json:"phone"`
		Satisfied *bool  `json:"satisfied"`
	}
	if err := readQueueBody(c.Body(), &b); err != nil {
		return err
	}
	if b.Satisfied == nil {
		return requiredField("satisfied")
	}
	f, err := s.feedback.Verdict(c.UserContext(), actor.Anon(), c.Params("code"), b.Phone, *b.Satisfied)
	if err != nil {
		return err
	}
	return c.JSON(feedbackOut(f))
}
