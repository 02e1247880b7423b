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
// staff session (with CSRF) or a token with the counter scope, must belong
// to the counter's unit.
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
	_, office, err := s.queue.Counter(ctx, id)
	if err != nil {
		return err
	}
	if !canAccessUnit(c, office.UnitCode) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var t queue.Ticket
	switch c.Params("action") {
	case "next":
		t, err = s.queue.CallNext(ctx, id, req.Ticket)
	case "serve":
		t, err = s.queue.Serve(ctx, id, req.Ticket)
	case "recall":
		t, err = s.queue.Recall(ctx, id, req.Ticket)
	case "skip":
		t, err = s.queue.Skip(ctx, id, req.Ticket)
	case "done":
		t, err = s.queue.Done(ctx, id, req.Ticket)
	case "transfer":
		t, err = s.queue.Transfer(ctx, id, req.Ticket, queue.Target{Service: req.Service, Counter: req.Counter})
	default:
		return apperr.ErrNotFound
	}
	if err != nil {
		return err
	}
	v, err := s.queue.Ticket(ctx, t.ID)
	if err != nil {
		return err
	}
	return c.JSON(s.ticketOut(v, langOf(c)))
}
