package events_test

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"testing"
	"time"

	"motcua/internal/events"
	"motcua/internal/store/storetest"
)

// recv waits for the next event on ch.
func recv(t *testing.T, ch <-chan events.Event) events.Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("channel closed, want an event")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return events.Event{}
}

// quiet checks that nothing arrives on ch for a short while.
func quiet(t *testing.T, ch <-chan events.Event) {
	t.Helper()
	select {
	case e := <-ch:
		t.Fatalf("got %+v, want nothing", e)
	case <-time.After(200 * time.Millisecond):
	}
}

func ev(t *testing.T, typ string, n int) events.Event {
	e, err := events.New(typ, map[string]int{"n": n})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// testBus checks delivery by topic and cancellation on any bus; publish is
// the bus where events are published (another instance's, for Postgres).
func testBus(t *testing.T, sub, pub events.Bus) {
	ctx := context.Background()
	a, cancelA := sub.Subscribe(ctx, "office/A")
	b, cancelB := sub.Subscribe(ctx, "office/B")
	defer cancelB()
	for i := range 3 {
		if err := pub.Publish(ctx, "office/A", ev(t, "ticket.called", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		got := recv(t, a)
		for got.Type == events.Resync { // a new PostgreSQL listener's first word
			got = recv(t, a)
		}
		if want := fmt.Sprintf(`{"n":%d}`, i); got.Type != "ticket.called" || string(got.Data) != want {
			t.Errorf("event %d: got %s %s, want ticket.called %s", i, got.Type, got.Data, want)
		}
	}
	drainResync(b)
	quiet(t, b)
	cancelA()
	if _, ok := <-a; ok {
		t.Error("channel still open after cancel")
	}
	cancelA() // twice is harmless

	ctxC, stop := context.WithCancel(ctx)
	c, cancelC := sub.Subscribe(ctxC, "office/A")
	defer cancelC()
	stop()
	select {
	case _, ok := <-c:
		if ok {
			t.Error("got an event, want the channel closed when the context ends")
		}
	case <-time.After(5 * time.Second):
		t.Error("channel still open 5 s after its context ended")
	}
}

func TestLocalBusDeliversByTopic(t *testing.T) {
	bus := events.NewLocal()
	defer bus.Close()
	testBus(t, bus, bus)
}

func TestLocalBusSlowSubscriberResyncs(t *testing.T) {
	bus := events.NewLocal()
	defer bus.Close()
	ctx := context.Background()
	ch, cancel := bus.Subscribe(ctx, "office/A")
	defer cancel()
	// Far more than the buffer holds, published without reading.
	for i := range 200 {
		_ = bus.Publish(ctx, "office/A", ev(t, "ticket.issued", i))
	}
	n := 0
	for len(ch) > 0 {
		<-ch
		n++
	}
	if n == 0 || n >= 200 {
		t.Fatalf("drained %d buffered events, want some but not all", n)
	}
	_ = bus.Publish(ctx, "office/A", ev(t, "ticket.called", 999))
	if got := recv(t, ch); got.Type != events.Resync {
		t.Errorf("after overflow: got %s, want resync first", got.Type)
	}
	if got := recv(t, ch); got.Type != "ticket.called" {
		t.Errorf("after resync: got %s, want ticket.called", got.Type)
	}
}

func TestLocalBusCloseEndsSubscribers(t *testing.T) {
	bus := events.NewLocal()
	ch, cancel := bus.Subscribe(context.Background(), "office/A")
	defer cancel()
	bus.Close()
	if _, ok := <-ch; ok {
		t.Error("channel open after Close")
	}
	late, _ := bus.Subscribe(context.Background(), "office/A")
	if _, ok := <-late; ok {
		t.Error("a subscription after Close is open")
	}
}

func TestPostgresBusAcrossInstances(t *testing.T) {
	db := storetest.Open(t, "postgres")
	one := events.NewPostgres(db.DSN(), db, nil)
	two := events.NewPostgres(db.DSN(), db, nil)
	defer one.Close()
	defer two.Close()
	t.Run("events published on one instance reach the other", func(t *testing.T) { testBus(t, one, two) })
	t.Run("other schemas hear nothing", func(t *testing.T) {
		other := storetest.Open(t, "postgres")
		bus := events.NewPostgres(other.DSN(), other, nil)
		defer bus.Close()
		ch, cancel := bus.Subscribe(context.Background(), "office/A")
		defer cancel()
		drainResync(ch)
		if err := one.Publish(context.Background(), "office/A", ev(t, "ticket.called", 1)); err != nil {
			t.Fatal(err)
		}
		quiet(t, ch)
	})
}

// drainResync drops the resync a fresh listener sends once it listens.
func drainResync(ch <-chan events.Event) {
	select {
	case <-ch:
	case <-time.After(200 * time.Millisecond):
	}
}

func TestPostgresBusResyncsAfterReconnect(t *testing.T) {
	db := storetest.Open(t, "postgres")
	bus := events.NewPostgres(db.DSN(), db, nil)
	defer bus.Close()
	ctx := context.Background()
	ch, cancel := bus.Subscribe(ctx, "office/A")
	defer cancel()
	if got := recv(t, ch); got.Type != events.Resync {
		t.Fatalf("first event: got %s, want the resync sent once listening", got.Type)
	}

	// Kill the listening connection from the server side, as a restart or
	// a network cut would.
	admin, err := sql.Open("postgres", storetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed int
	err = admin.QueryRowContext(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE query = $1`, fmt.Sprintf(`LISTEN "%s"`, bus.Channel())).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminate listener: killed %d, err %v", killed, err)
	}
	if got := recv(t, ch); got.Type != events.Resync {
		t.Fatalf("after reconnect: got %s, want resync", got.Type)
	}
	// And the listener hears again.
	if err := bus.Publish(ctx, "office/A", ev(t, "ticket.done", 7)); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, ch); got.Type != "ticket.done" {
		t.Errorf("after reconnect: got %s, want ticket.done", got.Type)
	}
}

// A subscription holds no goroutine of its own, however many an office
// has, and still ends with its context.
func TestSubscriptionsHoldNoGoroutine(t *testing.T) {
	bus := events.NewLocal()
	defer bus.Close()
	before := runtime.NumGoroutine()
	const n = 200
	ctx, cancel := context.WithCancel(context.Background())
	chans := make([]<-chan events.Event, n)
	for i := range chans {
		chans[i], _ = bus.Subscribe(ctx, "office/A")
	}
	if grown := runtime.NumGoroutine() - before; grown >= n/2 {
		t.Errorf("%d subscriptions added %d goroutines", n, grown)
	}
	cancel()
	for _, ch := range chans {
		select {
		case _, ok := <-ch:
			if ok {
				t.Fatal("an event on a cancelled subscription")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a subscription outlived its context")
		}
	}
}
