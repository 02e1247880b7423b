package main

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/rating"
)

// rateBody is the body of both rating routes (portal/openapi.json). Phone proves a
// dossier's applicant; link is a signed link's token instead of the phone.
type rateBody struct {
	Phone   string         `json:"phone"`
	Link    string         `json:"link"`
	Answers map[string]int `json:"answers"`
	Comment string         `json:"comment"`
}

// ratingJSON is a stored rating as the API answers it: never the comment
// (it may name people) nor the ticket's id.
type ratingJSON struct {
	ID          int64          `json:"id"`
	Kind        rating.Kind    `json:"kind"`
	DossierCode string         `json:"dossier_code,omitempty"`
	Unit        string         `json:"unit"`
	Channel     string         `json:"channel"`
	Overall     int            `json:"overall"`
	Answers     map[string]int `json:"answers"`
	Satisfied   bool           `json:"satisfied"`
	Low         bool           `json:"low"`
	CreatedAt   string         `json:"created_at"`
}

func ratingOut(r rating.Rating) ratingJSON {
	return ratingJSON{ID: r.ID, Kind: r.Kind, DossierCode: r.DossierCode, Unit: r.UnitCode, Channel: r.Channel,
		Overall: r.Overall, Answers: r.Answers, Satisfied: r.Satisfied, Low: r.Low,
		CreatedAt: r.CreatedAt.UTC().Format("2006-01-02T15:04:05.999999Z07:00")}
}

// apiRateDossier is POST /api/v1/dossiers/{code}/ratings: 201; 404 for a
// wrong phone or an unknown code alike; 409 once rated; 422 before the
// dossier is done or returned, or for a bad answer.
func (s *server) apiRateDossier(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	var b rateBody
	if err := readQueueBody(c.Body(), &b); err != nil {
		return err
	}
	a, channel := actor.Anon(), rating.ChannelAPI
	if b.Link == "" {
		var err error
		if a, err = citizenOf(strings.TrimSpace(b.Phone)); err != nil {
			return err
		}
	}
	r, err := s.ratings.RateDossier(c.UserContext(), a, strings.ToUpper(strings.TrimSpace(c.Params("code"))),
		rating.Input{Answers: b.Answers, Comment: b.Comment, Channel: channel, Link: b.Link})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ratingOut(r))
}

// apiRateTicket is POST /api/v1/tickets/{id}/ratings: the ticket's
// unguessable id is the proof; 422 before the visit is finished, 409 once
// rated.
func (s *server) apiRateTicket(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	var b struct {
		Answers map[string]int `json:"answers"`
		Comment string         `json:"comment"`
	}
	if err := readQueueBody(c.Body(), &b); err != nil {
		return err
	}
	r, err := s.ratings.RateTicket(c.UserContext(), actor.Anon(), c.Params("id"),
		rating.Input{Answers: b.Answers, Comment: b.Comment, Channel: rating.ChannelAPI})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ratingOut(r))
}

type questionJSON struct {
	Key      string      `json:"key"`
	Required bool        `json:"required"`
	Text     string      `json:"text"`
	Levels   []levelJSON `json:"levels"`
}

type levelJSON struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// apiRatingQuestions is GET /api/v1/ratings/questions: the questions and
// their levels in the reader's language, for other front ends.
func (s *server) apiRatingQuestions(c *fiber.Ctx) error {
	t := s.tr(c)
	var out []questionJSON
	for _, q := range questionsOf(t) {
		qj := questionJSON{Key: q.Key, Required: q.Required, Text: q.Text}
		for _, l := range q.Levels {
			qj.Levels = append(qj.Levels, levelJSON{Value: l.Value, Label: l.Label})
		}
		out = append(out, qj)
	}
	return c.JSON(fiber.Map{"items": out})
}
