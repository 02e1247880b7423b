package dossier_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/workday"
)

// recordingStore passes every call to the real store and notes which
// reads were made, so a test can compare the work two answers cost.
type recordingStore struct {
	dossier.Store
	mu    sync.Mutex
	calls []string
}

func (r *recordingStore) note(call string) {
	r.mu.Lock()
	r.calls = append(r.calls, call)
	r.mu.Unlock()
}

func (r *recordingStore) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}

func (r *recordingStore) Dossier(ctx context.Context, code string) (dossier.Dossier, error) {
	d, err := r.Store.Dossier(ctx, code)
	r.note("Dossier")
	return d, err
}

func (r *recordingStore) TrackDossier(ctx context.Context, code, phone string) (dossier.Tracked, error) {
	t, err := r.Store.TrackDossier(ctx, code, phone)
	r.note("TrackDossier")
	if err == nil && phone != t.Applicant.Phone {
		panic("TrackDossier answered for a phone that is not the applicant's")
	}
	return t, err
}

// An unknown code and a wrong phone must cost the same work, or their
// times tell which codes exist: the same store reads, and neither loads the
// dossier (its events and personal data) before the phone is proven.
func TestTrackUnknownCodeAndWrongPhoneDoTheSameWork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3")
		rec := &recordingStore{Store: db}
		svc := dossier.NewService(rec, nil, nil, workday.Default(), f.clock.Now)

		_, wrongPhone := svc.Track(ctx, actor.Anon(), d.Code, "0987654321")
		wrongCalls := rec.take()
		_, unknown := svc.Track(ctx, actor.Anon(), "000.00.31.H42-260504-9999", "0912345678")
		unknownCalls := rec.take()

		if wrongPhone != apperr.ErrNotFound || unknown != apperr.ErrNotFound {
			t.Fatalf("wrong phone: %v, unknown code: %v; want the very same not-found error", wrongPhone, unknown)
		}
		if !slices.Equal(wrongCalls, unknownCalls) {
			t.Errorf("store reads differ: wrong phone %v, unknown code %v", wrongCalls, unknownCalls)
		}
		if slices.Contains(wrongCalls, "Dossier") || slices.Contains(unknownCalls, "Dossier") {
			t.Errorf("a failed look-up loaded the dossier: wrong phone %v, unknown code %v", wrongCalls, unknownCalls)
		}
		if len(wrongCalls) != 1 {
			t.Errorf("wrong phone made %v, want one look-up", wrongCalls)
		}

		got, err := svc.Track(ctx, actor.Anon(), d.Code, "0912 345 678")
		if err != nil || got.Code != d.Code || len(got.Events) == 0 {
			t.Fatalf("the right phone: %+v, %v", got, err)
		}
		if calls := rec.take(); !slices.Equal(calls, []string{"TrackDossier"}) {
			t.Errorf("the right phone made %v, want one read: the dossier, only for its applicant's phone", calls)
		}
	})
}

// A code is accepted as people type it (lower case, spaces around it or
// between its parts) and the phone in every usual form; the work stays the
// same for any wrong answer.
func TestTrackAcceptsTheCodeAndPhoneAsTyped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, at(2026, 5, 4, 8, 0))
		d := f.receive(t, "P3")
		svc := dossier.NewService(db, nil, nil, workday.Default(), f.clock.Now)
		codes := []string{d.Code, strings.ToLower(d.Code), "  " + d.Code + "  ", "\t" + strings.ToLower(d.Code) + "\n",
			strings.ReplaceAll(strings.ToLower(d.Code), "-", " - "), strings.Replace(d.Code, ".", ". ", 2)}
		phones := []string{"0912345678", "(+84) 912-345-678", "+84 912 345 678", "84912345678", "0912.345.678", "+84 (0) 912 345 678"}
		for _, code := range codes {
			for _, phone := range phones {
				v, err := svc.Track(ctx, actor.Anon(), code, phone)
				if err != nil || v.Code != d.Code {
					t.Errorf("Track(%q, %q) = %q, %v; want the dossier", code, phone, v.Code, err)
				}
			}
		}
		if _, err := svc.Track(ctx, actor.Anon(), strings.ToLower(d.Code), "0987654321"); err != apperr.ErrNotFound {
			t.Errorf("a wrong phone with a lower-case code: %v, want not found", err)
		}
		rec := &recordingStore{Store: db}
		svc = dossier.NewService(rec, nil, nil, workday.Default(), f.clock.Now)
		_, _ = svc.Track(ctx, actor.Anon(), strings.ToLower(d.Code), "0987654321")
		wrong := rec.take()
		_, _ = svc.Track(ctx, actor.Anon(), "000.00.31.h42-260504-9999", "0987654321")
		if unknown := rec.take(); !slices.Equal(wrong, unknown) {
			t.Errorf("store reads differ: wrong phone %v, unknown code %v", wrong, unknown)
		}
	})
}
