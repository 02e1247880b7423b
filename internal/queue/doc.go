// Package queue is the service layer of queue numbers: offices, their queue
// services and counters, tickets taken at a kiosk, the counters' actions,
// live views for the hall display and the phone, and the day's summary.
//
// # Wiring
//
//	m := queue.NewManager(db /* *store.DB */, bus /* events.Bus */, time.Now, log)
//
// The portal holds it as s.queue; the bus is events.NewLocal() on SQLite and
// events.NewPostgres(…) on PostgreSQL. Every change publishes an event on
// the office's topic, queue.Topic(officeCode), after it is committed.
//
// # Types
//
//   - Office{Code, Name, UnitCode, PriorityGroups []string, PriorityRun,
//     DefaultMinutes}; o.Groups() gives []PriorityGroup{Key, LabelID} in kiosk
//     order, LabelID a locale key ("queue.priority.elderly", …).
//   - Service{Code, OfficeCode, NameVi, NameEn, Prefix, Fields, Position};
//     s.Name(lang).
//   - Counter{ID, OfficeCode, Number, Name, Services}; Number is what the
//     call-out says ("Mời số A012 đến quầy số 3").
//   - Ticket{ID, OfficeCode, Service, Day, Number "A012", Priority, Status,
//     CounterID, IssuedAt, CalledAt, ServedAt, DoneAt, Recalls, Transfers,
//     DossierCode}. Status is waiting, called, serving, done, no_show or
//     transferred (waiting again elsewhere); Status.Queued(), .AtCounter(),
//     .Final().
//   - Layout{Office, Services, Counters}: an office as set up;
//     l.Service(code), l.CountersFor(service).
//
// # Reading
//
//	m.Offices(ctx) ([]Layout, error)
//	m.Layout(ctx, office) (Layout, error)           // unknown office: apperr not_found
//	m.Counter(ctx, id) (Counter, Office, error)     // check Office.UnitCode before acting
//	m.Ticket(ctx, id) (TicketView, error)           // the phone page and GET /api/v1/tickets/{id}
//	m.Board(ctx, office) (Board, error)             // the hall display and GET …/queue
//	m.Console(ctx, counterID) (Console, error)      // the counter console
//	m.Summary(ctx, office, day) (Summary, error)    // day is YYYY-MM-DD (Vietnam); queue.Day(t)
//
// TicketView{Ticket, Service, Office, Ahead, EstWait (minutes), Counter
// (*Counter, once called), Counters (serving its service)}.
// Board{Layout, Services []ServiceQueue{Service, Waiting, EstWait, Counters},
// Counters []CounterNow{Counter, Ticket *Ticket}, Recent []Ticket (last calls,
// newest first)}.
// Console{Layout, Counter, Current *Ticket, Queue []Ticket (in call order)}.
//
// # Acting
//
//	m.Issue(ctx, actor, office, service, priority) (TicketView, error)
//	m.CallNext(ctx, counterID, current) (Ticket, error)
//	m.Serve(ctx, counterID, ticketID) (Ticket, error)   // the visitor reached the counter
//	m.Recall(ctx, counterID, ticketID) (Ticket, error)
//	m.Skip(ctx, counterID, ticketID) (Ticket, error)    // no-show
//	m.Done(ctx, counterID, ticketID) (Ticket, error)
//	m.Transfer(ctx, counterID, ticketID, queue.Target{Service, Counter}) (Ticket, error)
//
// Numbers restart each day (Asia/Ho_Chi_Minh) per office and service: the
// service's prefix and at least three digits, never duplicated or skipped,
// however many kiosks and instances issue at once.
//
// A console names the ticket it shows (ticketID; for CallNext the ticket it
// holds, "" when none). If the counter no longer holds that ticket the
// action is a conflict (HTTP 409) and nothing changes: queue.error.stale,
// .finished (finished already), .other_office, .no_current, .finish_first
// (CallNext while holding a ticket it did not name), .empty (nobody
// waiting), .state (e.g. recall while serving). An empty ticketID means "the
// ticket the counter holds", for hardware buttons. Bad input is an
// apperr.Invalid with fields (service, priority, counter, …).
//
// Priority: tickets of a priority group are called first, but after the
// office's PriorityRun (default 3) priority calls in a row a counter calls
// the longest-waiting ordinary ticket.
//
// Estimated wait: the people ahead times today's average visit of the
// service (after 3 finished visits; before that Office.DefaultMinutes,
// default 8), divided by the counters that have served it today (or, in the
// morning, the counters set up to serve it).
//
// # Events (queue.Topic(office))
//
// ticket.issued, ticket.called (also for a recall, with "recall": true),
// ticket.serving, ticket.done, ticket.skipped, ticket.transferred; data is
// TicketEvent{number, service, priority, counter (its number), counter_id,
// counter_name, recall, at}. A subscriber that receives events.Resync
// ("resync") must reload its state from the Manager.
//
// # Set-up (admin)
//
//	m.CreateOffice / UpdateOffice(ctx, Office) (Office, error)
//	m.CreateService / UpdateService(ctx, Service) (Service, error)
//	m.CreateCounter / UpdateCounter(ctx, Counter) (Counter, error)
package queue
