package rating_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

func TestRateDossierByItsApplicant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.dossier(t, "D-RET", "TB", dossier.Returned)
		r, err := f.svc.RateDossier(ctx, citizen, "D-RET", rating.Input{Answers: map[string]int{"overall": 2, "ease": 1},
			Comment: "  Nhanh, chu đáo  ", Channel: rating.ChannelWeb})
		must(t, err)
		if r.ID == 0 || !r.Satisfied || r.Low || r.Overall != 2 || r.UnitCode != "TB" || r.Kind != rating.KindDossier ||
			r.StaffName != "officer.tb" || r.Comment != "Nhanh, chu đáo" || r.ServiceCode != "1.000001" {
			t.Fatalf("got %+v", r)
		}
		got, err := db.RatingOf(ctx, rating.KindDossier, "D-RET")
		must(t, err)
		if got.ID != r.ID || got.Answers["ease"] != 1 || got.Channel != rating.ChannelWeb {
			t.Fatalf("stored %+v", got)
		}
		if rated, _ := f.svc.RatedDossier(ctx, "D-RET"); !rated {
			t.Fatal("RatedDossier is false after a rating")
		}
		if n := f.count(t, "follow_ups"); n != 0 {
			t.Fatalf("a satisfied rating opened %d follow-ups", n)
		}

		t.Run("a chat that proved the phone rates a done dossier", func(t *testing.T) {
			f.dossier(t, "D-DONE", "TB", dossier.Done)
			r, err := f.svc.RateDossier(ctx, chat, "D-DONE", rating.Input{Answers: map[string]int{"overall": 1}, Channel: rating.ChannelBot})
			must(t, err)
			if !r.Satisfied || r.Low || r.Channel != rating.ChannelBot {
				t.Fatalf("got %+v", r)
			}
		})
	})
}

func TestRateDossierRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.dossier(t, "D-RET", "TB", dossier.Returned)
		f.dossier(t, "D-RUN", "TB", dossier.InProgress)
		ok := map[string]int{"overall": 2}
		cases := []struct {
			name string
			a    actor.Actor
			code string
			in   rating.Input
			want apperr.Code
			id   string
		}{
			{"another phone is not found", stranger, "D-RET", in(ok), apperr.NotFound, "error.not_found"},
			{"an unknown code is not found", citizen, "D-NONE", in(ok), apperr.NotFound, "error.not_found"},
			{"an anonymous caller must prove the phone", actor.Anon(), "D-RET", in(ok), apperr.Unauthorized, ""},
			{"staff may not rate in a citizen's name", clerkTB, "D-RET", in(ok), apperr.Forbidden, ""},
			{"a machine may not rate", syncTB, "D-RET", in(ok), apperr.Forbidden, ""},
			{"a dossier in progress cannot be rated", citizen, "D-RUN", in(ok), apperr.Invalid, "rating.error.dossier_not_done"},
			{"a level above the scale", citizen, "D-RET", in(map[string]int{"overall": 3}), apperr.Invalid, "error.invalid_fields"},
			{"a level below the scale", citizen, "D-RET", in(map[string]int{"overall": 2, "ease": -1}), apperr.Invalid, "error.invalid_fields"},
			{"an unknown question", citizen, "D-RET", in(map[string]int{"overall": 2, "speed": 1}), apperr.Invalid, "error.invalid_fields"},
			{"overall is required", citizen, "D-RET", in(map[string]int{"ease": 2}), apperr.Invalid, "error.invalid_fields"},
			{"a comment over 2000 characters", citizen, "D-RET", rating.Input{Answers: ok, Comment: strings.Repeat("ắ", 2001)}, apperr.Invalid, "error.invalid_fields"},
			{"an unknown channel", citizen, "D-RET", rating.Input{Answers: ok, Channel: "fax"}, apperr.Invalid, "error.invalid_fields"},
			{"a tampered link", actor.Anon(), "D-RET", rating.Input{Answers: ok, Link: "9999999999.AAAAAAAAAAAAAAAAAAAAAAAA"}, apperr.Forbidden, "rating.error.link"},
			{"a malformed link", actor.Anon(), "D-RET", rating.Input{Answers: ok, Link: "nonsense"}, apperr.Forbidden, "rating.error.link"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.RateDossier(ctx, c.a, c.code, c.in)
				wantErr(t, err, c.want, c.id)
			})
		}
		t.Run("the bad fields are named", func(t *testing.T) {
			_, err := f.svc.RateDossier(ctx, citizen, "D-RET", in(map[string]int{"overall": 5, "speed": 1}))
			var fields []string
			for _, fe := range apperr.As(err).Fields {
				fields = append(fields, fe.Field+":"+fe.MessageID)
			}
			want := "answers.overall:rating.error.level answers.speed:rating.error.unknown_question"
			if strings.Join(fields, " ") != want {
				t.Fatalf("got %v, want %s", fields, want)
			}
		})
		if n := f.count(t, "ratings"); n != 0 {
			t.Fatalf("refused ratings stored %d rows", n)
		}
		t.Run("a second rating is a conflict", func(t *testing.T) {
			must(t, ignore(f.svc.RateDossier(ctx, citizen, "D-RET", in(ok))))
			_, err := f.svc.RateDossier(ctx, citizen, "D-RET", in(map[string]int{"overall": 0}))
			wantErr(t, err, apperr.Conflict, "rating.error.already")
			if n := f.count(t, "ratings"); n != 1 {
				t.Fatalf("%d ratings stored, want 1", n)
			}
			if n := f.count(t, "follow_ups"); n != 0 {
				t.Fatalf("the refused low rating opened %d follow-ups", n)
			}
		})
	})
}

func TestSignedLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.dossier(t, "D-RET", "TB", dossier.Returned)
		f.dossier(t, "D-OTHER", "TB", dossier.Returned)
		links := f.svc.Links()
		tok, err := links.Token(ctx, "D-RET", time.Hour)
		must(t, err)
		path, err := links.Path(ctx, "D-RET", time.Hour)
		must(t, err)
		if !strings.HasPrefix(path, "/rate/D-RET?k=") {
			t.Fatalf("path %q", path)
		}

		t.Run("another instance with the same database shares the key", func(t *testing.T) {
			other := rating.NewLinks(db, "", f.clock.Now)
			must(t, other.Check(ctx, "D-RET", tok))
		})
		t.Run("a configured key is not the database's", func(t *testing.T) {
			other := rating.NewLinks(db, strings.Repeat("k", 32), f.clock.Now)
			wantErr(t, other.Check(ctx, "D-RET", tok), apperr.Forbidden, "rating.error.link")
		})
		t.Run("the link of one dossier does not rate another", func(t *testing.T) {
			_, err := f.svc.RateDossier(ctx, actor.Anon(), "D-OTHER", rating.Input{Answers: map[string]int{"overall": 2}, Link: tok})
			wantErr(t, err, apperr.Forbidden, "rating.error.link")
		})
		t.Run("a changed expiry is refused", func(t *testing.T) {
			exp, sig, _ := strings.Cut(tok, ".")
			_, err := f.svc.RateDossier(ctx, actor.Anon(), "D-RET", rating.Input{Answers: map[string]int{"overall": 2}, Link: exp + "1." + sig})
			wantErr(t, err, apperr.Forbidden, "rating.error.link")
		})
		t.Run("an expired link is refused", func(t *testing.T) {
			f.clock.Add(2 * time.Hour)
			_, err := f.svc.RateDossier(ctx, actor.Anon(), "D-RET", rating.Input{Answers: map[string]int{"overall": 2}, Link: tok})
			wantErr(t, err, apperr.Forbidden, "rating.error.link_expired")
		})
		t.Run("a valid link rates without a phone", func(t *testing.T) {
			tok, err := links.Token(ctx, "D-RET", rating.LinkTTL)
			must(t, err)
			r, err := f.svc.RateDossier(ctx, actor.Anon(), "D-RET", rating.Input{Answers: map[string]int{"overall": 1}, Link: tok, Channel: rating.ChannelLink})
			must(t, err)
			if r.Channel != rating.ChannelLink {
				t.Fatalf("got %+v", r)
			}
		})
		if n := f.count(t, "link_keys"); n != 1 {
			t.Fatalf("%d link keys, want 1", n)
		}
	})
}

// Two citizens (or two instances) rating the same dossier at once: exactly
// one rating is stored, the other is a conflict.
func TestRateOnceUnderConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.dossier(t, "D-RET", "TB", dossier.Returned)
		tk := f.visit(t, 0, true)
		for _, target := range []string{"dossier", "ticket"} {
			t.Run(target, func(t *testing.T) {
				const n = 12
				var wg sync.WaitGroup
				errs := make(chan error, n)
				start := make(chan struct{})
				for i := 0; i < n; i++ {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						<-start
						var err error
						answers := map[string]int{"overall": i % 3}
						if target == "dossier" {
							_, err = f.svc.RateDossier(ctx, citizen, "D-RET", in(answers))
						} else {
							_, err = f.svc.RateTicket(ctx, actor.Anon(), tk.ID, in(answers))
						}
						errs <- err
					}(i)
				}
				close(start)
				wg.Wait()
				close(errs)
				var ok, conflict int
				for err := range errs {
					switch apperr.CodeOf(err) {
					case "":
						ok++
					case apperr.Conflict:
						conflict++
					default:
						t.Errorf("unexpected error: %v", err)
					}
				}
				if ok != 1 || conflict != n-1 {
					t.Fatalf("%d stored and %d conflicts, want 1 and %d", ok, conflict, n-1)
				}
			})
		}
		var ratings, followUps, low int
		must(t, db.SQL().QueryRow(`SELECT COUNT(*) FROM ratings`).Scan(&ratings))
		must(t, db.SQL().QueryRow(`SELECT COUNT(*) FROM ratings WHERE low`).Scan(&low))
		must(t, db.SQL().QueryRow(`SELECT COUNT(*) FROM follow_ups`).Scan(&followUps))
		if ratings != 2 || followUps != low {
			t.Fatalf("%d ratings, %d low, %d follow-ups", ratings, low, followUps)
		}
	})
}

func TestRateTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		serving := f.visit(t, 0, false)
		t.Run("a visit not yet finished cannot be rated", func(t *testing.T) {
			_, err := f.svc.RateTicket(ctx, actor.Anon(), serving.ID, in(map[string]int{"overall": 2}))
			wantErr(t, err, apperr.Invalid, "rating.error.visit_not_finished")
		})
		t.Run("an unknown ticket is not found", func(t *testing.T) {
			_, err := f.svc.RateTicket(ctx, actor.Anon(), strings.Repeat("a", 26), in(map[string]int{"overall": 2}))
			wantErr(t, err, apperr.NotFound, "")
			_, err = f.svc.RateTicket(ctx, actor.Anon(), "junk", in(map[string]int{"overall": 2}))
			wantErr(t, err, apperr.NotFound, "")
		})
		done, err := f.q.Act(ctx, operator, f.counters[0].ID, queue.Action{Name: "done", Ticket: serving.ID})
		must(t, err)
		r, err := f.svc.RateTicket(ctx, actor.Anon(), done.ID, rating.Input{Answers: map[string]int{"overall": 2}, Channel: rating.ChannelTicket})
		must(t, err)
		if r.Kind != rating.KindTicket || r.TicketID != done.ID || r.OfficeCode != "TB-HCC" || r.UnitCode != "TB" ||
			r.CounterID != f.counters[0].ID || r.ServiceCode != "hotich" || !r.Satisfied {
			t.Fatalf("got %+v", r)
		}
		_, err = f.svc.RateTicket(ctx, actor.Anon(), done.ID, in(map[string]int{"overall": 0}))
		wantErr(t, err, apperr.Conflict, "rating.error.already")
	})
}

func TestCounterTablet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		c1, c2 := f.counters[0].ID, f.counters[1].ID

		p, err := f.svc.Pending(ctx, clerkTB, c1)
		must(t, err)
		if p.Ticket != nil {
			t.Fatalf("idle tablet shows %+v", p.Ticket)
		}
		for _, a := range []actor.Actor{actor.Anon(), citizen, headHA, syncTB} {
			if _, err := f.svc.Pending(ctx, a, c1); err == nil {
				t.Fatalf("%s opened the tablet", a)
			}
		}
		tk := f.visit(t, 0, true)
		for _, a := range []actor.Actor{clerkTB, tablet, admin} {
			p, err = f.svc.Pending(ctx, a, c1)
			must(t, err)
			if p.Ticket == nil || p.Ticket.ID != tk.ID {
				t.Fatalf("%s: tablet shows %+v, want %s", a, p.Ticket, tk.Number)
			}
		}
		if p, _ := f.svc.Pending(ctx, clerkTB, c2); p.Ticket != nil {
			t.Fatalf("counter 2's tablet shows counter 1's visit")
		}
		_, err = f.svc.RateAtCounter(ctx, tablet, c2, tk.ID, in(map[string]int{"overall": 2}))
		wantErr(t, err, apperr.Conflict, "rating.error.not_this_counter")
		_, err = f.svc.RateAtCounter(ctx, headHA, c1, tk.ID, in(map[string]int{"overall": 2}))
		wantErr(t, err, apperr.Forbidden, "")

		r, err := f.svc.RateAtCounter(ctx, tablet, c1, tk.ID, rating.Input{Answers: map[string]int{"overall": 0}})
		must(t, err)
		if r.Channel != rating.ChannelTablet || !r.Low {
			t.Fatalf("got %+v", r)
		}
		if p, _ := f.svc.Pending(ctx, clerkTB, c1); p.Ticket != nil {
			t.Fatal("the tablet still offers a rated visit")
		}

		t.Run("the tablet returns to idle by itself", func(t *testing.T) {
			tk := f.visit(t, 0, true)
			if p, _ := f.svc.Pending(ctx, clerkTB, c1); p.Ticket == nil || p.Ticket.ID != tk.ID {
				t.Fatal("the new visit is not offered")
			}
			f.clock.Add(rating.TabletWindow + time.Second)
			if p, _ := f.svc.Pending(ctx, clerkTB, c1); p.Ticket != nil {
				t.Fatal("the tablet still offers the visit after its window")
			}
		})
	})
}

func TestLowRatingOpensFollowUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.dossier(t, "D-LOW", "TB", dossier.Returned)
		f.dossier(t, "D-HA", "TB-HA", dossier.Returned)
		// Satisfied overall, but one answer "Không hài lòng": low all the same.
		r, err := f.svc.RateDossier(ctx, citizen, "D-LOW", in(map[string]int{"overall": 1, "attitude": 0}))
		must(t, err)
		if !r.Satisfied || !r.Low {
			t.Fatalf("got satisfied=%v low=%v, want both", r.Satisfied, r.Low)
		}
		must(t, ignore(f.svc.RateDossier(ctx, citizen, "D-HA", in(map[string]int{"overall": 0}))))

		msgs, err := db.OutboxKind(ctx, rating.KindLow)
		must(t, err)
		if len(msgs) != 2 || msgs[0].DossierCode != "D-LOW" {
			t.Fatalf("outbox %+v", msgs)
		}
		var notice rating.LowNotice
		must(t, json.Unmarshal([]byte(msgs[0].Payload), &notice))
		if notice.RatingID != r.ID || notice.FollowUpID == 0 || notice.Unit != "TB" || strings.Contains(msgs[0].Payload, "0912") {
			t.Fatalf("notice %s", msgs[0].Payload)
		}

		t.Run("only heads and administrators see follow-ups", func(t *testing.T) {
			for _, a := range []actor.Actor{actor.Anon(), citizen, clerkTB, officer, tablet} {
				if _, err := f.svc.FollowUps(ctx, a, true); err == nil {
					t.Errorf("%s listed follow-ups", a)
				}
			}
			list, err := f.svc.FollowUps(ctx, headTB, true)
			must(t, err)
			if len(list) != 1 || list[0].Rating.DossierCode != "D-LOW" || list[0].Rating.StaffName != "officer.tb" {
				t.Fatalf("head of TB sees %+v", list)
			}
			all, err := f.svc.FollowUps(ctx, admin, true)
			must(t, err)
			if len(all) != 2 {
				t.Fatalf("admin sees %d follow-ups, want 2", len(all))
			}
		})
		fu := notice.FollowUpID
		t.Run("another unit's head may not close it", func(t *testing.T) {
			_, err := f.svc.CloseFollowUp(ctx, headHA, fu, "Đã nhắc nhở", "Xin lỗi anh")
			wantErr(t, err, apperr.Forbidden, "")
			_, err = f.svc.CloseFollowUp(ctx, clerkTB, fu, "Đã nhắc nhở", "Xin lỗi anh")
			wantErr(t, err, apperr.Forbidden, "")
		})
		t.Run("an empty reply is refused", func(t *testing.T) {
			_, err := f.svc.CloseFollowUp(ctx, headTB, fu, "Đã nhắc nhở", " ")
			wantErr(t, err, apperr.Invalid, "error.invalid_fields")
		})
		t.Run("overdue follow-ups are flagged", func(t *testing.T) {
			if list, _ := f.svc.OverdueFollowUps(ctx, headTB); len(list) != 0 {
				t.Fatalf("overdue on day one: %+v", list)
			}
			f.clock.Add(10 * 24 * time.Hour)
			list, err := f.svc.OverdueFollowUps(ctx, headTB)
			must(t, err)
			if len(list) != 1 {
				t.Fatalf("overdue %d, want 1", len(list))
			}
		})
		closed, err := f.svc.CloseFollowUp(ctx, headTB, fu, "Đã nhắc nhở cán bộ", "Chúng tôi xin lỗi và đã chấn chỉnh.")
		must(t, err)
		if closed.Status != rating.FollowUpClosed || closed.ClosedBy != "head.tb" {
			t.Fatalf("got %+v", closed)
		}
		_, err = f.svc.CloseFollowUp(ctx, headTB, fu, "x", "y")
		wantErr(t, err, apperr.Conflict, "rating.error.follow_up_closed")
		replies, err := db.OutboxKind(ctx, rating.KindReply)
		must(t, err)
		if len(replies) != 1 || replies[0].DossierCode != "D-LOW" || !strings.Contains(replies[0].Payload, "chấn chỉnh") {
			t.Fatalf("replies %+v", replies)
		}
		if list, _ := f.svc.OverdueFollowUps(ctx, headTB); len(list) != 0 {
			t.Fatal("a closed follow-up is still flagged")
		}
	})
}

func TestFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for i, o := range []int{2, 1, 0} {
			code := "D-" + string(rune('A'+i))
			f.dossier(t, code, "TB", dossier.Returned)
			must(t, ignore(f.svc.RateDossier(ctx, citizen, code, in(map[string]int{"overall": o}))))
		}
		tk := f.visit(t, 1, true)
		must(t, ignore(f.svc.RateTicket(ctx, actor.Anon(), tk.ID, in(map[string]int{"overall": 2}))))
		now := f.clock.Now()
		fig, err := f.svc.Figures(ctx, rating.StatsQuery{From: now.Add(-time.Hour), To: now.Add(time.Hour)})
		must(t, err)
		if fig.Total.Ratings != 4 || fig.Total.Satisfied != 3 || fig.Total.Low != 1 {
			t.Fatalf("total %+v", fig.Total)
		}
		if len(fig.Units) != 1 || fig.Units[0].Key != "TB" || fig.Units[0].Ratings != 4 {
			t.Fatalf("units %+v", fig.Units)
		}
		if len(fig.Counters) != 1 || fig.Counters[0].Ratings != 1 {
			t.Fatalf("counters %+v", fig.Counters)
		}
		if len(fig.Services) != 2 {
			t.Fatalf("services %+v", fig.Services)
		}
		if p, ok := fig.Total.Percent(); !ok || p != 75 {
			t.Fatalf("percent %v %v", p, ok)
		}
		empty, err := f.svc.Figures(ctx, rating.StatsQuery{Unit: "TB-HA", From: now.Add(-time.Hour), To: now})
		must(t, err)
		if _, ok := empty.Total.Percent(); ok {
			t.Fatal("no ratings gave a percentage")
		}
	})
}

func TestTabletPairing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		c1, c2 := f.counters[0].ID, f.counters[1].ID
		for _, a := range []actor.Actor{actor.Anon(), citizen, tablet, headHA} {
			if _, err := f.svc.PairTablet(ctx, a, c1); err == nil {
				t.Fatalf("%s paired a tablet", a)
			}
		}
		pair, err := f.svc.PairTablet(ctx, clerkTB, c1)
		must(t, err)
		if _, err := f.svc.TabletCredential(ctx, c2, pair); err == nil {
			t.Fatal("counter 1's pairing paired counter 2")
		}
		cred, err := f.svc.TabletCredential(ctx, c1, pair)
		must(t, err)
		a, err := f.svc.TabletActor(ctx, c1, cred)
		must(t, err)
		if a.Kind != actor.Machine || a.Unit != "TB" || a.Office != "TB-HCC" || !a.HasScope(actor.ScopeCounter) {
			t.Fatalf("actor %+v", a)
		}
		if _, err := f.svc.Pending(ctx, a, c1); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.TabletActor(ctx, c2, cred); err == nil {
			t.Fatal("counter 1's tablet works for counter 2")
		}
		if _, err := f.svc.PairTablet(ctx, a, c1); err == nil {
			t.Fatal("a tablet paired another")
		}
		f.clock.Add(rating.TabletPairTTL + time.Minute)
		_, err = f.svc.TabletCredential(ctx, c1, pair)
		wantErr(t, err, apperr.Forbidden, "rating.error.link_expired")
	})
}
