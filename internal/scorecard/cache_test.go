package scorecard

import (
	"context"
	"testing"
	"time"

	"motcua/internal/catalog"
	"motcua/internal/unit"
)

// countingStore answers one running dossier of unit U per read and counts
// the reads.
type countingStore struct {
	reads    int
	received int64
}

func (c *countingStore) ScoreDossiers(context.Context, []string, time.Time, time.Time, time.Time) ([]DossierTally, error) {
	c.reads++
	return []DossierTally{{Unit: "U", Procedure: "P", Received: c.received, Counted: c.received, OnTime: c.received}}, nil
}
func (c *countingStore) ScoreRatings(context.Context, []string, time.Time, time.Time) ([]RatingTally, error) {
	return nil, nil
}
func (c *countingStore) ScoreFeedback(context.Context, []string, time.Time, time.Time, time.Time) ([]FeedbackTally, error) {
	return nil, nil
}
func (c *countingStore) ScoreDossierItems(context.Context, []string, time.Time, time.Time, time.Time) ([]DossierItem, error) {
	return nil, nil
}
func (c *countingStore) ScoreRatingItems(context.Context, []string, time.Time, time.Time) ([]RatingItem, error) {
	return nil, nil
}
func (c *countingStore) ScoreFeedbackItems(context.Context, []string, time.Time, time.Time, time.Time) ([]FeedbackItem, error) {
	return nil, nil
}

type oneUnit struct{}

func (oneUnit) List(context.Context) ([]unit.Unit, error) {
	return []unit.Unit{{Code: "U", Name: "Huyện U", Level: catalog.LevelDistrict}}, nil
}

type noCatalog struct{}

func (noCatalog) All() []catalog.Procedure { return nil }

// A card asked again within cardTTL is not computed again; Forget, the end
// of cardTTL or another period computes it afresh from the store.
func TestCardIsKeptUntilForgottenOrOld(t *testing.T) {
	st := &countingStore{received: 1}
	now := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)
	s, err := NewService(st, oneUnit{}, noCatalog{}, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	march, err := ParsePeriod("2026-03-01", "2026-03-31", now)
	if err != nil {
		t.Fatal(err)
	}
	card := func(p Period) Card {
		t.Helper()
		c, err := s.Card(ctx, "U", p)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	card(march)
	card(march)
	if st.reads != 1 {
		t.Fatalf("two asks within %s read the store %d times, want 1", cardTTL, st.reads)
	}
	st.received = 5
	s.Forget()
	if card(march); st.reads != 2 {
		t.Errorf("after Forget the card was not computed again (%d reads)", st.reads)
	}
	now = now.Add(cardTTL)
	card(march)
	if st.reads != 3 {
		t.Errorf("a card %s old was given again (%d reads)", cardTTL, st.reads)
	}
	feb, err := ParsePeriod("2026-02-01", "2026-02-28", now)
	if err != nil {
		t.Fatal(err)
	}
	card(feb)
	if st.reads != 4 {
		t.Errorf("another period got March's card (%d reads)", st.reads)
	}
}
