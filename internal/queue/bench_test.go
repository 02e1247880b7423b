package queue_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"motcua/internal/events"
	"motcua/internal/queue"
	"motcua/internal/store/storetest"
)

// BenchmarkIssueTicket measures tickets issued per second through the
// service and the store, from 8 kiosks at once. The day moves on every
// 1,000 tickets, as an office's would, so counts stay at a day's size.
func BenchmarkIssueTicket(b *testing.B) {
	for _, kind := range storetest.Kinds(b) {
		b.Run(kind, func(b *testing.B) {
			db := storetest.Open(b, kind)
			h := newHall(b, db, queue.DefaultPriorityRun)
			var n atomic.Int64
			start := h.clock.Now()
			now := func() time.Time { return start.Add(time.Duration(n.Load()/1000) * 24 * time.Hour) }
			bus := events.NewLocal()
			defer bus.Close()
			m := queue.NewManager(db, bus, now, nil)
			services := []string{"hotich", "datdai"}
			b.SetParallelism(4) // × GOMAXPROCS kiosks
			b.ResetTimer()
			began := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, err := m.Issue(context.Background(), hallKiosk, "TB-HCC", services[i%2], ""); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "tickets/s")
		})
	}
}
