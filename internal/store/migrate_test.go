package store_test

import (
	"context"
	"sync"
	"testing"

	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// Several instances starting at once migrate one database once: one takes
// the lock and migrates, the others wait and find nothing left to do.
func TestMigrateFromSeveralInstancesAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, kind)
			const instances = 4
			dbs := make([]*store.DB, instances)
			for i := range dbs {
				db, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			var wg sync.WaitGroup
			errs := make([]error, instances)
			for i, db := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = db.Migrate(ctx)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("instance %d: %v", i, err)
				}
			}
			var applied, distinct int
			if err := dbs[0].SQL().QueryRowContext(ctx,
				`SELECT COUNT(*), COUNT(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct); err != nil {
				t.Fatal(err)
			}
			if applied == 0 || applied != distinct {
				t.Errorf("goose recorded %d migrations for %d versions, want each once", applied, distinct)
			}
			if _, err := dbs[1].CatalogVersion(ctx); err != nil {
				t.Errorf("schema not usable after concurrent migration: %v", err)
			}
		})
	}
}
