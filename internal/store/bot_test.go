package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// addOutbox writes an outbox row as a service would.
func addOutbox(t *testing.T, db *store.DB, kind, code, payload string) {
	t.Helper()
	q := `INSERT INTO outbox (kind, dossier_code, payload, created_at, attempts) VALUES (?, ?, ?, ?, 0)`
	if db.Dialect() == store.Postgres {
		q = `INSERT INTO outbox (kind, dossier_code, payload, created_at, attempts) VALUES ($1, $2, $3, $4, 0)`
	}
	if _, err := db.SQL().ExecContext(context.Background(), q, kind, code, payload, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
}

var botKinds = []string{"dossier.status"}

// TestBotDeliveryLifecycle: outbox rows become one delivery per following
// chat, once; each chat's deliveries go one at a time in order under a
// lease that a dead sender's successor can take over; a blocked chat's are
// dropped; other kinds are left alone.
func TestBotDeliveryLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		for _, id := range []int64{1, 2, 3} {
			if _, err := db.EnsureBotChat(ctx, id, "vi", now); err != nil {
				t.Fatal(err)
			}
		}
		addOutbox(t, db, "dossier.status", "X-1", `{"code":"X-1","status":"received"}`) // before anyone follows
		botMust(t, db.Subscribe(ctx, 1, "X-1", now))
		botMust(t, db.Subscribe(ctx, 2, "X-1", now))
		for _, st := range []string{"in_progress", "supplement", "in_progress"} {
			addOutbox(t, db, "dossier.status", "X-1", `{"code":"X-1","status":"`+st+`"}`)
		}
		addOutbox(t, db, "rating.low", "X-1", `{"rating_id":1}`)
		addOutbox(t, db, "dossier.status", "Y-2", `{"code":"Y-2","status":"received"}`)

		n, err := db.DispatchOutbox(ctx, botKinds, now, 100)
		if err != nil || n != 5 {
			t.Fatalf("dispatch = %d, %v; want 5 rows (not the staff's kind)", n, err)
		}
		if n, _ := db.DispatchOutbox(ctx, botKinds, now, 100); n != 0 {
			t.Fatalf("dispatched again: %d", n)
		}
		if c, _ := db.DeliveryCounts(ctx); c[store.DeliveryPending] != 6 {
			t.Fatalf("deliveries = %v, want 6 pending (3 rows × 2 chats)", c)
		}
		due, err := db.DueDeliveries(ctx, now, 50)
		if err != nil || len(due) != 2 || due[0].ChatID != 1 || due[1].ChatID != 2 {
			t.Fatalf("due = %+v, %v; want each chat's first", due, err)
		}
		first := due[0]
		if ok, _ := db.ClaimDelivery(ctx, first.ID, now, now.Add(30*time.Second)); !ok {
			t.Fatal("claim refused")
		}
		if ok, _ := db.ClaimDelivery(ctx, first.ID, now, now.Add(30*time.Second)); ok {
			t.Fatal("a held lease was claimed again")
		}
		if due, _ := db.DueDeliveries(ctx, now, 50); len(due) != 1 || due[0].ChatID != 2 {
			t.Fatalf("while chat 1's first is out, due = %+v; want only chat 2 (order per chat)", due)
		}
		// The sender died: after the lease its successor takes it over.
		later := now.Add(31 * time.Second)
		due, _ = db.DueDeliveries(ctx, later, 50)
		if len(due) != 2 || due[0].ID != first.ID || due[0].Attempts != 1 {
			t.Fatalf("after the lease, due = %+v", due)
		}
		if ok, _ := db.ClaimDelivery(ctx, first.ID, later, later.Add(30*time.Second)); !ok {
			t.Fatal("the successor could not claim")
		}
		botMust(t, db.FinishDelivery(ctx, first, store.DeliverySent, "", later))
		due, _ = db.DueDeliveries(ctx, later, 50)
		var second store.Delivery
		for _, d := range due {
			if d.ChatID == 1 {
				second = d
			}
		}
		if len(due) != 2 || second.ID <= first.ID {
			t.Fatalf("after sending, due = %+v; want chat 1's second", due)
		}
		// A retry waits its time.
		botMust(t, db.RetryDelivery(ctx, second.ID, later.Add(time.Minute), "boom"))
		if due, _ := db.DueDeliveries(ctx, later, 50); len(due) != 1 || due[0].ChatID != 2 {
			t.Fatalf("during the backoff, due = %+v", due)
		}
		// Chat 2 blocked the bot.
		botMust(t, db.DeactivateChat(ctx, 2, later))
		c, _ := db.DeliveryCounts(ctx)
		if c[store.DeliveryDropped] != 3 || c[store.DeliveryPending] != 2 {
			t.Fatalf("after blocking, deliveries = %v", c)
		}
		// Chat 1 gets the rest; then every row of X-1 is delivered, but the
		// staff's row is untouched.
		at := later.Add(2 * time.Minute)
		for {
			due, _ := db.DueDeliveries(ctx, at, 50)
			if len(due) == 0 {
				break
			}
			botMust(t, db.FinishDelivery(ctx, due[0], store.DeliverySent, "", at))
		}
		rows, err := db.OutboxOf(ctx, "X-1")
		botMust(t, err)
		for _, r := range rows {
			if (r.DeliveredAt == nil) != (r.Kind == "rating.low") {
				t.Errorf("outbox row %d (%s) delivered_at = %v", r.ID, r.Kind, r.DeliveredAt)
			}
		}
		// A chat that subscribes now hears only what comes after.
		botMust(t, db.Subscribe(ctx, 3, "X-1", at))
		addOutbox(t, db, "dossier.status", "X-1", `{"code":"X-1","status":"done"}`)
		_, err = db.DispatchOutbox(ctx, botKinds, at, 100)
		botMust(t, err)
		due, _ = db.DueDeliveries(ctx, at, 50)
		if len(due) != 2 || due[0].ChatID != 1 || due[1].ChatID != 3 {
			t.Errorf("new row goes to %+v; want chats 1 and 3 (2 blocked the bot)", due)
		}
	})
}

// TestBotClaimIsExclusive: many senders claiming the same deliveries at
// once each win a delivery at most once.
func TestBotClaimIsExclusive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		for id := int64(1); id <= 10; id++ {
			_, err := db.EnsureBotChat(ctx, id, "vi", now)
			botMust(t, err)
			botMust(t, db.Subscribe(ctx, id, "X-1", now))
		}
		addOutbox(t, db, "dossier.status", "X-1", `{"code":"X-1","status":"done"}`)
		var wg sync.WaitGroup
		var dispatched atomic.Int64
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := db.DispatchOutbox(ctx, botKinds, now, 100)
				if err != nil {
					t.Error(err)
				}
				dispatched.Add(int64(n))
			}()
		}
		wg.Wait()
		if dispatched.Load() != 1 {
			t.Fatalf("one row dispatched %d times", dispatched.Load())
		}
		due, err := db.DueDeliveries(ctx, now, 50)
		if err != nil || len(due) != 10 {
			t.Fatalf("due = %d, %v", len(due), err)
		}
		var won atomic.Int64
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, d := range due {
					ok, err := db.ClaimDelivery(ctx, d.ID, now, now.Add(time.Minute))
					if err != nil {
						t.Error(err)
					}
					if ok {
						won.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		if won.Load() != 10 {
			t.Errorf("%d claims won for 10 deliveries", won.Load())
		}
	})
}

func botMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
