package main

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/queue"
)

// counterRequest is the body of every counter action. Ticket names the
// ticket the console shows (for next: the one it holds), so that a stale
// console changes nothing; hardware buttons may leave it out.
type counterRequest struct {
	Ticket string `json:"ticket"`
	// For transfer: another service of the office and/or a counter.
	Service string `json:"service"`
	Counter int64  `json:"counter"`
}

// counterAction is POST /api/v1/counters/{id}/{action}: the caller, a
// staff session (with CSRF) or a token with the counter scope, must be one
// the queue service lets work the counter.
func (s *server) counterAction(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.ErrNotFound
	}
	var req counterRequest
	if err := readQueueBody(c.Body(), &req); err != nil {
		return err
	}
	ctx := c.UserContext()
	t, err := s.queue.Act(ctx, actorOf(c), id, queue.Action{Name: c.Params("action"), Ticket: req.Ticket,
		To: queue.Target{Service: req.Service, Counter: req.Counter}})
	if err != nil {
		return err
	}
	v, err := s.queue.Ticket(ctx, t.ID)
	if err != nil {
		return err
	}
	return c.JSON(s.ticketOut(v, langOf(c)))
}
