package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// The pool is the dialect's default until MOTCUA_DB_MAX_CONNS sets it, and
// the store never opens more connections than it allows, however many
// requests wait.
func TestPoolSize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		want := 20
		if db.Dialect() == store.SQLite {
			want = 8
		}
		if got := db.SQL().Stats().MaxOpenConnections; got != want {
			t.Errorf("default pool %d, want %d", got, want)
		}
		db.SetMaxConns(3)
		if got := db.SQL().Stats().MaxOpenConnections; got != 3 {
			t.Fatalf("pool %d, want 3", got)
		}
		ctx := context.Background()
		var wg sync.WaitGroup
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				conn, err := db.SQL().Conn(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				time.Sleep(20 * time.Millisecond)
				conn.Close()
			}()
		}
		wg.Wait()
		if s := db.SQL().Stats(); s.OpenConnections > 3 || s.WaitCount == 0 {
			t.Errorf("12 at once on a pool of 3: %d open, %d waited", s.OpenConnections, s.WaitCount)
		}
	})
}
