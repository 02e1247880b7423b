package main

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/queue"
)

type officeJSON struct {
	Code           string         `json:"code"`
	Name           string         `json:"name"`
	Unit           string         `json:"unit"`
	Services       []serviceJSON  `json:"services"`
	Counters       []counterJSON  `json:"counters"`
	PriorityGroups []priorityJSON `json:"priority_groups"`
	Address        string         `json:"address"`
	Phone          string         `json:"phone"`
	MapURL         string         `json:"map_url"`
	// Hours are the opening hours by weekday ({"mon": ["07:00-11:30"], …}).
	Hours             *queue.Hours `json:"hours"`
	LastTicketMinutes int          `json:"last_ticket_minutes"`
	// Issuing tells whether the office issues numbers now; NextOpening, when
	// it does not, is when it next does (null: not known).
	Issuing     bool       `json:"issuing"`
	NextOpening *time.Time `json:"next_opening"`
}

type serviceJSON struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Prefix string `json:"prefix"`
}

type counterJSON struct {
	ID       int64    `json:"id"`
	Number   int      `json:"number"`
	Name     string   `json:"name"`
	Services []string `json:"services"`
}

type priorityJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

func officeOut(l queue.Layout, t *i18n.Translator, op queue.Opening) officeJSON {
	o := officeJSON{Code: l.Office.Code, Name: l.Office.Name, Unit: l.Office.UnitCode,
		Services: []serviceJSON{}, Counters: []counterJSON{}, PriorityGroups: []priorityJSON{},
		Address: l.Office.Address, Phone: l.Office.Phone, MapURL: l.Office.MapURL(), Hours: l.Office.Hours,
		LastTicketMinutes: l.Office.LastTicketMinutes, Issuing: op.Issuing}
	if o.Hours == nil {
		o.Hours = &queue.Hours{}
	}
	if !op.Next.IsZero() {
		next := op.Next.UTC()
		o.NextOpening = &next
	}
	for _, s := range l.Services {
		o.Services = append(o.Services, serviceJSON{Code: s.Code, Name: s.Name(t.Lang), Prefix: s.Prefix})
	}
	for _, c := range l.Counters {
		o.Counters = append(o.Counters, counterOut(c))
	}
	for _, g := range l.Office.Groups() {
		o.PriorityGroups = append(o.PriorityGroups, priorityJSON{Key: g.Key, Label: t.T(g.LabelID)})
	}
	return o
}

func counterOut(c queue.Counter) counterJSON {
	return counterJSON{ID: c.ID, Number: c.Number, Name: c.Name, Services: c.Services}
}

// apiOffices is GET /api/v1/offices.
func (s *server) apiOffices(c *fiber.Ctx) error {
	ls, err := s.queue.Offices(c.UserContext())
	if err != nil {
		return err
	}
	items := make([]officeJSON, 0, len(ls))
	for _, l := range ls {
		items = append(items, officeOut(l, s.tr(c), s.queue.Opening(l.Office)))
	}
	return c.JSON(fiber.Map{"items": items})
}

type queueServiceJSON struct {
	serviceJSON
	Waiting        int   `json:"waiting"`
	EstWaitMinutes int   `json:"est_wait_minutes"`
	Counters       []int `json:"counters"`
}

type nowServingJSON struct {
	Number   string     `json:"number"`
	Service  string     `json:"service"`
	Status   string     `json:"status"`
	CalledAt *time.Time `json:"called_at"`
}

type queueCounterJSON struct {
	counterJSON
	NowServing *nowServingJSON `json:"now_serving"`
}

type recentJSON struct {
	Number   string     `json:"number"`
	Service  string     `json:"service"`
	Counter  int        `json:"counter"`
	Status   string     `json:"status"`
	CalledAt *time.Time `json:"called_at"`
}

// apiQueue is GET /api/v1/offices/{office}/queue.
func (s *server) apiQueue(c *fiber.Ctx) error {
	b, err := s.queue.Board(c.UserContext(), c.Params("office"))
	if err != nil {
		return err
	}
	lang := langOf(c)
	number := map[int64]int{}
	counters := make([]queueCounterJSON, 0, len(b.Counters))
	for _, cn := range b.Counters {
		number[cn.Counter.ID] = cn.Counter.Number
		q := queueCounterJSON{counterJSON: counterOut(cn.Counter)}
		if t := cn.Ticket; t != nil {
			q.NowServing = &nowServingJSON{Number: t.Number, Service: t.Service, Status: string(t.Status), CalledAt: t.CalledAt}
		}
		counters = append(counters, q)
	}
	services := make([]queueServiceJSON, 0, len(b.Services))
	for _, sq := range b.Services {
		q := queueServiceJSON{serviceJSON: serviceJSON{Code: sq.Service.Code, Name: sq.Service.Name(lang), Prefix: sq.Service.Prefix},
			Waiting: sq.Waiting, EstWaitMinutes: sq.EstWait, Counters: []int{}}
		for _, ct := range sq.Counters {
			q.Counters = append(q.Counters, ct.Number)
		}
		services = append(services, q)
	}
	recent := make([]recentJSON, 0, len(b.Recent))
	for _, t := range b.Recent {
		recent = append(recent, recentJSON{Number: t.Number, Service: t.Service, Counter: number[t.CounterID], Status: string(t.Status), CalledAt: t.CalledAt})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"office": b.Layout.Office.Code, "services": services, "counters": counters, "recent": recent})
}

type issueRequest struct {
	Service  string `json:"service"`
	Priority string `json:"priority"`
}

type ticketJSON struct {
	ID             string     `json:"id"`
	Number         string     `json:"number"`
	Service        string     `json:"service"`
	ServiceName    string     `json:"service_name"`
	Office         string     `json:"office"`
	Priority       string     `json:"priority"`
	Status         string     `json:"status"`
	IssuedAt       time.Time  `json:"issued_at"`
	CalledAt       *time.Time `json:"called_at"`
	WaitingAhead   int        `json:"waiting_ahead"`
	EstWaitMinutes int        `json:"est_wait_minutes"`
	Counter        *int       `json:"counter"`
	CounterName    string     `json:"counter_name,omitempty"`
	Counters       []int      `json:"counters"`
	StatusURL      string     `json:"status_url"`
}

func (s *server) ticketOut(v queue.TicketView, lang string) ticketJSON {
	t := v.Ticket
	out := ticketJSON{ID: t.ID, Number: t.Number, Service: t.Service, ServiceName: v.Service.Name(lang), Office: t.OfficeCode,
		Priority: t.Priority, Status: string(t.Status), IssuedAt: t.IssuedAt, CalledAt: t.CalledAt,
		WaitingAhead: v.Ahead, EstWaitMinutes: v.EstWait, Counters: []int{}, StatusURL: s.cfg.PublicURL + "/t/" + t.ID}
	if v.Counter != nil {
		n := v.Counter.Number
		out.Counter, out.CounterName = &n, v.Counter.Name
	}
	for _, c := range v.Counters {
		out.Counters = append(out.Counters, c.Number)
	}
	return out
}

// apiIssueTicket is POST /api/v1/offices/{office}/tickets.
func (s *server) apiIssueTicket(c *fiber.Ctx) error {
	var req issueRequest
	if err := readQueueBody(c.Body(), &req); err != nil {
		return err
	}
	a, err := s.issuerOf(c)
	if err != nil {
		return err
	}
	v, err := s.queue.Issue(c.UserContext(), a, c.Params("office"), req.Service, req.Priority)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/tickets/"+v.Ticket.ID)
	return c.Status(fiber.StatusCreated).JSON(s.ticketOut(v, langOf(c)))
}

// apiTicket is GET /api/v1/tickets/{id}.
func (s *server) apiTicket(c *fiber.Ctx) error {
	v, err := s.queue.Ticket(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(s.ticketOut(v, langOf(c)))
}

// readQueueBody reads one JSON object; unknown fields and trailing data are
// a malformed request. An empty body is an empty object.
func readQueueBody(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil || dec.More() {
		return apperr.Wrap(apperr.Malformed, "error.bad_request", err)
	}
	return nil
}
