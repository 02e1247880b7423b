package queue

import (
	"context"
	"time"

	"motcua/internal/events"
	"motcua/internal/unit"
)

// Store is what the queue needs from persistence. Rules live in Manager;
// the store keeps rows, numbers tickets atomically and runs transactions.
type Store interface {
	KioskStore
	Unit(ctx context.Context, code string) (unit.Unit, error)
	Units(ctx context.Context) ([]unit.Unit, error)

	CreateOffice(ctx context.Context, o Office) error
	UpdateOffice(ctx context.Context, o Office) error
	Office(ctx context.Context, code string) (Office, error)
	Offices(ctx context.Context) ([]Office, error)

	// SaveOffices writes checked offices with their services and counters
	// in one transaction (the offices file), returning how many offices it
	// created and updated.
	SaveOffices(ctx context.Context, layouts []Layout) (created, updated int, err error)

	CreateService(ctx context.Context, s Service) error
	UpdateService(ctx context.Context, s Service) error
	Services(ctx context.Context, office string) ([]Service, error)
	// SetServiceRetired sets or clears (nil) when a service was retired.
	SetServiceRetired(ctx context.Context, office, code string, at *time.Time) error

	CreateCounter(ctx context.Context, c Counter) (Counter, error)
	UpdateCounter(ctx context.Context, c Counter) error
	Counter(ctx context.Context, id int64) (Counter, error)
	Counters(ctx context.Context, office string) ([]Counter, error)
	SetCounterRetired(ctx context.Context, id int64, at *time.Time) error

	// IssueTicket takes the next number of (office, service, day) and the
	// office's next position, and inserts t, in one transaction, so a
	// number is never given twice nor skipped. It sets Seq, Number, Pos and
	// IssuedAt; IssuedAt is read from stamp once the number is held, so that
	// issue times follow numbers. It also returns how many of the service's
	// tickets were queued before t (only the priority ones when t is a
	// priority ticket): who is ahead of it as it is issued. A service not
	// in use then is refused with ErrServiceRetired. notice, if not nil,
	// gives the PostgreSQL notification of the numbered ticket, sent in
	// the same transaction (delivered at its commit, never without it).
	IssueTicket(ctx context.Context, t Ticket, stamp func() time.Time, notice Notice) (Ticket, int, error)
	Ticket(ctx context.Context, id string) (Ticket, error)
	// CountQueued counts the day's queued tickets that match f.
	CountQueued(ctx context.Context, f QueuedFilter) (int, error)
	// ServiceStats measures the day's finished visits per service.
	ServiceStats(ctx context.Context, office, day string) ([]ServiceStat, error)
	// ActiveTickets are the day's tickets queued or at a counter, oldest first.
	ActiveTickets(ctx context.Context, office, day string) ([]Ticket, error)
	// RecentCalls are the day's last calls, newest first.
	RecentCalls(ctx context.Context, office, day string, limit int) ([]Ticket, error)
	// DayTickets are all the day's tickets, for the summary.
	DayTickets(ctx context.Context, office, day string) ([]Ticket, error)
	// QueueTx runs fn in one transaction.
	QueueTx(ctx context.Context, fn func(tx Tx) error) error
}

// Tx is a unit of work at a counter. LockCounter serialises every action of
// one counter; SaveTicket fails with a conflict when the ticket changed since
// it was read, so a stale console changes nothing.
type Tx interface {
	LockCounter(id int64) (Counter, error)
	Ticket(id string) (Ticket, error)
	// Current is the ticket the counter holds (called or serving), or
	// apperr.ErrNotFound.
	Current(counterID int64) (Ticket, error)
	// NextQueued is the longest-waiting ticket the counter may call, or
	// apperr.ErrNotFound. On PostgreSQL it skips rows other counters hold.
	NextQueued(q NextQuery) (Ticket, error)
	SaveTicket(t Ticket) error
	SetPriorityStreak(counterID int64, n int) error
}

// QueuedFilter selects queued tickets of one service: those before Before
// in queue order (Pos), only priority ones if PriorityOnly; plus, if
// LaterPriority, the priority tickets after it.
type QueuedFilter struct {
	Office, Day, Service string
	Before               Ticket
	PriorityOnly         bool
	LaterPriority        bool
}

// NextQuery is what a counter may call: its services, or tickets
// transferred to it by name; Priority picks priority or ordinary tickets.
type NextQuery struct {
	Office, Day string
	Counter     int64
	Services    []string
	Priority    bool
}

// ServiceStat is the day's measure of one service.
type ServiceStat struct {
	Service        string `db:"service_code"`
	Finished       int    `db:"finished"`        // visits ended with a measured time
	ServiceSeconds int    `db:"service_seconds"` // their total length
	Counters       int    `db:"counters"`        // counters that called it today
}

// Publisher is the part of the event bus the queue uses.
type Publisher interface {
	Publish(ctx context.Context, topic string, e events.Event) error
}

// Notice is the notification of a ticket's issue on the PostgreSQL bus:
// its channel and payload; ok false sends none.
type Notice func(t Ticket) (channel, payload string, ok bool)

// txPublisher is a bus whose events are PostgreSQL notifications, which
// the store may send in its own transaction (events.Postgres).
type txPublisher interface {
	Notification(topic string, e events.Event) (channel, payload string, err error)
}

// Topic is the event topic of an office.
func Topic(office string) string { return "office/" + office }
