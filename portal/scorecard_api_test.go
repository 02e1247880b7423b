package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

// scorecardWant is every figure of TB's March 2026 card, computed on paper
// from the hand-made district (scorecard_fixture_test.go).
//
// TB counts TB, BA and BB, and the procedures of district and commune level,
// P1 to P4. Dossiers received (refused D6 and February's D9 left out): D1,
// D2, D3, D4, D5, D7, D8 = 7. Counted for progress (withdrawn D5 left out):
// 6. Finished (done or returned): D1, D2, D7 = 3.
var scorecardWant = map[string][3]float64{ // numerator, denominator, score
	// verified: P1, P3, P4 = 3/4 → 4 × 0.75
	"publicity.published_on_time": {3, 4, 3},
	// updated since 1 April 2025 (365 days before the period's end): P3 was
	// last updated in December 2024 → 3/4 → 4 × 0.75
	"publicity.updated_on_time": {3, 4, 3},
	// complete: P1, P3 (P2 has no steps, P4's fee is "no information") → 2/4 → 2
	"publicity.complete_info": {2, 4, 2},
	// synced: D1, D2, D3, D5, D7 = 5/7 → 6 × 5/7 = 4.2857
	"publicity.synced": {5, 7, 30.0 / 7},
	// on time: D1 (done before due), D3 (due 20/04, after now), D7, D8
	// (waiting for a supplement) = 4; late: D2, D4 → 4/6 → 20 × 4/6 = 13.3333
	"progress.on_time": {4, 6, 80.0 / 6},
	// hours taken / allowed by D1 (48/96), D2 (144/48), D7 (24/48): 216/192
	"progress.avg_time": {216, 192, 0},
	// e-result: D1, D7 of 3 finished → 10 × 2/3 = 6.6667
	"digitisation.e_result": {2, 3, 20.0 / 3},
	// digitised: D1, D2, D4, D5, D7 = 5/7 → 8 × 5/7 = 5.7143
	"digitisation.digitised": {5, 7, 40.0 / 7},
	// reused: D4, D7 = 2/7 → 4 × 2/7 = 1.1429
	"digitisation.reused": {2, 7, 8.0 / 7},
	// online: P1, P2, P4 = 3/4 = 75 % < 80 % → 1.6
	"online.offered": {3, 4, 1.6},
	// online procedures with an online dossier: P1 (D1), P4 (D7); P2 none → 2/3 → 4 × 2/3
	"online.used": {2, 3, 8.0 / 3},
	// online: D1, D7 = 2/7 < 50 % → 3
	"online.submitted_online": {2, 7, 3},
	// procedures with fee dossiers: P1 (D1, D2), P3 (D3), P4 (D8); paid
	// online: P1 → 1/3 < 50 % → 1.6
	"online.payment_offered": {1, 3, 1.6},
	// of those offered online: P1, P4 → 2/3 → 2 × 2/3
	"online.payment_ready": {2, 3, 4.0 / 3},
	// fee dossiers D1, D2, D3, D8; paid online: D1 → 1/4 < 30 % → 0.9
	"online.paid_online": {1, 4, 0.9},
	// dossier ratings: 901, 903 satisfied, 902 not (ticket 904 left out) → 6 × 2/3 = 4
	"satisfaction.satisfied": {2, 3, 4},
	// feedback counted: F1, F2, F3, F5 (F4 open, not yet due); on time:
	// F1, F3 → 6 × 2/4 = 3
	"satisfaction.feedback_on_time": {2, 4, 3},
	// on time and not rated unsatisfied: F1 → 6 × 1/4 = 1.5
	"satisfaction.feedback_satisfied": {1, 4, 1.5},
}

// Groups: publicity 3 + 3 + 2 + 4.2857 = 12.2857; progress 13.3333;
// digitisation 6.6667 + 5.7143 + 1.1429 = 13.5238; online 1.6 + 2.6667 + 3
// + 1.6 + 1.3333 + 0.9 = 11.1; satisfaction 4 + 3 + 1.5 = 8.5.
// Total 58.7429: Trung bình (50 to under 70).
var scorecardGroups = map[string]float64{
	"publicity": 3 + 3 + 2 + 30.0/7, "progress": 80.0 / 6, "digitisation": 20.0/3 + 40.0/7 + 8.0/7,
	"online": 1.6 + 8.0/3 + 3 + 1.6 + 4.0/3 + 0.9, "satisfaction": 8.5,
}

const scorecardTotal = 3 + 3 + 2 + 30.0/7 + 80.0/6 + 20.0/3 + 40.0/7 + 8.0/7 + 1.6 + 8.0/3 + 3 + 1.6 + 4.0/3 + 0.9 + 8.5

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

func TestScorecardAPIFiguresComputedByHand(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newScorecardHarness(t, kind)
			status, _, body := h.call(t, "GET", "/api/v1/scorecard?unit=TB&"+scPeriod+"&lang=vi", "")
			if status != http.StatusOK {
				t.Fatalf("GET scorecard = %d: %s", status, body)
			}
			var got cardJSON
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			checkAgainstOpenAPI(t, "Scorecard", body)
			if got.Unit != "TB" || got.From != "2026-03-01" || got.To != "2026-03-31" || got.Version == "" {
				t.Errorf("head = %s %s %s %q", got.Unit, got.From, got.To, got.Version)
			}
			seen := 0
			for _, comp := range got.Components {
				if !near(comp.Score, scorecardGroups[comp.Key]) {
					t.Errorf("group %s = %v, want %v", comp.Key, comp.Score, scorecardGroups[comp.Key])
				}
				if comp.Name == "" || comp.Name == "scorecard.group."+comp.Key {
					t.Errorf("group %s has no name", comp.Key)
				}
				for _, in := range comp.Indicators {
					seen++
					want, ok := scorecardWant[in.Key]
					if !ok {
						t.Errorf("unexpected indicator %s", in.Key)
						continue
					}
					if !near(in.Numerator, want[0]) || !near(in.Denominator, want[1]) || !near(in.Score, want[2]) {
						t.Errorf("%s = %v/%v → %v, want %v/%v → %v", in.Key, in.Numerator, in.Denominator, in.Score, want[0], want[1], want[2])
					}
					if in.Value == nil || !near(*in.Value, want[0]/want[1]) || in.NoData {
						t.Errorf("%s value = %v, no_data %v", in.Key, in.Value, in.NoData)
					}
				}
			}
			if seen != len(scorecardWant) {
				t.Errorf("%d indicators, want %d", seen, len(scorecardWant))
			}
			if !near(got.Total, scorecardTotal) || got.Grade != "average" || got.GradeName != "Trung bình" || got.GradeConfirmed {
				t.Errorf("total %v %s %q %v, want %v average (unconfirmed band)", got.Total, got.Grade, got.GradeName, got.GradeConfirmed, scorecardTotal)
			}
			// Late: D2 (apology before its due date) and D4 (none).
			if a := got.LateApology; a.Late != 2 || a.WithApology != 1 || a.Value == nil || *a.Value != 0.5 {
				t.Errorf("late with apology = %+v", a)
			}
		})
	}
}

// BB has no dossier, rating or feedback: every such indicator is "no
// data", scores 0 and is flagged; BA (75.5) ranks above BB (10).
//
// BA: P4 verified, updated, incomplete → 4 + 4 + 0; synced D7 of D7, D8 → 3;
// on time 2/2 → 20; e-result 1/1 → 10; digitised 1/2 → 4; reused 1/2 → 2;
// offered 1/1 → 2; used 1/1 → 4; online 1/2 ≥ 50 % → 6; fee procedure P4
// not paid online → 1.6; P4 online → 2; paid 0/1 → 0.9; ratings 1/1 → 6;
// feedback F3 on time → 6, unsatisfied → 0. Total 75.5 (Khá).
// BB: P4 → 4 + 4 + 0, offered 2, used 0/1 → 0; the other twelve no data.
// Total 10 (Yếu).
func TestScorecardRankingAndNoData(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newScorecardHarness(t, kind)
			status, _, body := h.call(t, "GET", "/api/v1/scorecard/ranking?level=commune&"+scPeriod, "")
			if status != http.StatusOK {
				t.Fatalf("ranking = %d: %s", status, body)
			}
			var got rankingJSON
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			checkAgainstOpenAPI(t, "ScorecardRanking", body)
			if len(got.Items) != 2 || got.Items[0].Unit != "BA" || got.Items[1].Unit != "BB" ||
				!near(got.Items[0].Total, 75.5) || !near(got.Items[1].Total, 10) || got.Items[0].Rank != 1 || got.Items[1].Rank != 2 ||
				got.Items[0].Grade != "fair" || got.Items[1].Grade != "weak" || got.Items[1].NoData != 12 {
				t.Fatalf("ranking = %+v", got.Items)
			}

			status, _, body = h.call(t, "GET", "/api/v1/scorecard?unit=BB&"+scPeriod, "")
			var bb cardJSON
			if err := json.Unmarshal([]byte(body), &bb); err != nil || status != http.StatusOK {
				t.Fatalf("BB = %d %s", status, body)
			}
			for _, comp := range bb.Components {
				for _, in := range comp.Indicators {
					if in.NoData != (in.Denominator == 0) || (in.NoData && (in.Value != nil || in.Score != 0)) {
						t.Errorf("BB %s: %+v", in.Key, in)
					}
				}
			}

			status, hdr, body := h.call(t, "GET", "/api/v1/scorecard/ranking?level=commune&format=csv&"+scPeriod, "")
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
			if status != http.StatusOK || err != nil || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") ||
				len(rows) != 3 || rows[1][1] != "BA" || rows[1][3] != "75.5" || rows[2][1] != "BB" {
				t.Fatalf("ranking CSV = %d %v %q", status, err, body)
			}
			status, _, body = h.call(t, "GET", "/api/v1/scorecard?unit=TB&format=csv&"+scPeriod, "")
			rows, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
			if status != http.StatusOK || err != nil || len(rows) != 1+len(scorecardWant)+5+1 {
				t.Fatalf("card CSV = %d %v %d rows", status, err, len(rows))
			}
		})
	}
}

func TestScorecardAPIRefusesBadInput(t *testing.T) {
	h := newScorecardHarness(t, "sqlite")
	for _, c := range []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/scorecard?unit=TB&from=2026-13-01", http.StatusBadRequest, "from"},
		{"/api/v1/scorecard?unit=TB&to=yesterday", http.StatusBadRequest, "to"},
		{"/api/v1/scorecard?unit=TB&from=2026-04-01&to=2026-03-01", http.StatusUnprocessableEntity, "to"},
		{"/api/v1/scorecard?unit=TB&from=2000-01-01&to=2026-03-01", http.StatusUnprocessableEntity, "from"},
		{"/api/v1/scorecard?unit=NOPE", http.StatusNotFound, ""},
		{"/api/v1/scorecard?unit=", http.StatusNotFound, ""},
		{"/api/v1/scorecard/ranking?level=village", http.StatusUnprocessableEntity, "level"},
	} {
		status, _, body := h.call(t, "GET", c.path+"&lang=en", "")
		if status != c.status || !strings.Contains(body, `"error"`) || (c.field != "" && !strings.Contains(body, `"field":"`+c.field+`"`)) {
			t.Errorf("GET %s = %d %s, want %d on %q", c.path, status, body, c.status, c.field)
		}
	}
}

// checkAgainstOpenAPI checks a response body against a schema of
// openapi.json.
func checkAgainstOpenAPI(t *testing.T, schema, body string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	for _, e := range checkSchema(loadOpenAPI(t), map[string]any{"$ref": "#/components/schemas/" + schema}, v, "$") {
		t.Errorf("%s: %s", schema, e)
	}
}

// The ended dossiers are read by whole months and by days of the months a
// period cuts; rebuilding that tally from the dossiers changes nothing.
func TestScorecardPeriodsCutMonths(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			h := newScorecardHarness(t, kind)
			for _, c := range []struct {
				query string
				want  float64 // dossiers received, refused ones left out
			}{
				{"from=2026-03-01&to=2026-03-31", 7},
				{"from=2026-03-05&to=2026-03-31", 5}, // not D1 (2 March), D2 (3 March)
				{"from=2026-02-01&to=2026-03-09", 3}, // D9 (27 February, running), D1, D2
				{"from=2026-02-27&to=2026-03-02", 2}, // D9, D1
				{"from=2026-01-01&to=2026-12-31", 8},
			} {
				for round := range 2 {
					status, _, body := h.call(t, "GET", "/api/v1/scorecard?unit=TB&"+c.query, "")
					var got cardJSON
					if err := json.Unmarshal([]byte(body), &got); err != nil || status != http.StatusOK {
						t.Fatalf("%s: %d %s", c.query, status, body)
					}
					if d := got.Components[0].Indicators[3].Denominator; d != c.want {
						t.Errorf("%s (round %d): %v dossiers received, want %v", c.query, round, d, c.want)
					}
					if err := h.env.DB.RebuildScorecardDays(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}
