// Package events carries live updates (a ticket issued, a number called)
// from the instance where they happen to every subscriber: hall displays,
// counter consoles and phones, through server-sent events.
//
// There is one Bus interface and two implementations: Local, in-process,
// for SQLite and a single instance; and Postgres, over LISTEN/NOTIFY, when
// several instances share one PostgreSQL. Delivery is best effort: a
// subscriber that falls behind, or a listener that lost its connection,
// gets a Resync event, after which it must reload its state from the store.
package events

import (
	"context"
	"encoding/json"
)

// Resync is the type of the event that tells a subscriber it may have missed
// events and must reload from the store.
const Resync = "resync"

// Event is one thing that happened. Data is the JSON the browser receives.
type Event struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data,omitempty"`
}

// New builds an event with data marshalled to JSON.
func New(typ string, data any) (Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return Event{}, err
	}
	return Event{Type: typ, Data: b}, nil
}

// Bus publishes events on topics and delivers them to the subscribers of
// each topic, on this instance and (for Postgres) every other one.
type Bus interface {
	// Publish sends e to every subscriber of topic. Call it after the
	// change has been committed.
	Publish(ctx context.Context, topic string, e Event) error
	// Subscribe returns a channel of the topic's events and a cancel
	// function that must be called to release it. The channel is closed
	// after cancel, when ctx ends or when the bus closes.
	Subscribe(ctx context.Context, topic string) (<-chan Event, func())
	// Close releases the bus; subscribers' channels are closed.
	Close() error
}

// bufferSize is how many events a slow subscriber may have pending before
// it is told to resync instead. A stream writes each event as it comes, so
// only a client that stopped reading fills it; every subscriber holds one,
// and an office's displays and phones number thousands (README,
// "Performance").
const bufferSize = 16
