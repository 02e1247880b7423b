package feedback

import (
	"context"
	"time"
)

// StatsQuery selects feedback received in [From, To), of a unit or all.
type StatsQuery struct {
	Unit     string
	From, To time.Time
	// Now decides which unanswered feedback is overdue.
	Now time.Time
}

// Stats are the public figures of feedback in a period.
type Stats struct {
	Received       int
	Answered       int
	AnsweredOnTime int
	Overdue        int // unanswered and past the deadline
	Satisfied      int // verdicts: the answer satisfied the citizen
	Unsatisfied    int
}

// OnTimePercent is answered-on-time over received; ok false without data.
func (s Stats) OnTimePercent() (float64, bool) {
	if s.Received == 0 {
		return 0, false
	}
	return 100 * float64(s.AnsweredOnTime) / float64(s.Received), true
}

// Stats counts the feedback received in a period. Public: counts only.
func (s *Service) Stats(ctx context.Context, q StatsQuery) (Stats, error) {
	q.Now = s.now().UTC()
	return s.store.FeedbackStats(ctx, q)
}
