package dossier

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
)

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"0912345678", "+84 912 345 678", "(+84) 912-345-678", "84912345678", "0912.345.678",
		"0084912345678", "+84 0912345678", "02353812345", "", "+", "0", "\xff", "０９１２３４５６７８", "+84+84912345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := NormalizePhone(s)
		if !ok {
			if p != "" {
				t.Fatalf("NormalizePhone(%q) = %q with false", s, p)
			}
			return
		}
		if !strings.HasPrefix(p, "+84") || len(p) < 12 || len(p) > 13 {
			t.Fatalf("NormalizePhone(%q) = %q, want +84 and 9 or 10 digits", s, p)
		}
		for _, r := range p[3:] {
			if r < '0' || r > '9' {
				t.Fatalf("NormalizePhone(%q) = %q holds a non-digit", s, p)
			}
		}
		if again, ok := NormalizePhone(p); !ok || again != p {
			t.Fatalf("NormalizePhone not idempotent: %q → %q → %q, %v", s, p, again, ok)
		}
		national := "0" + p[3:]
		if again, ok := NormalizePhone(national); !ok || again != p {
			t.Fatalf("the national form %q of %q gives %q, %v", national, p, again, ok)
		}
		if m := MaskPhone(p); strings.Contains(m, p[3:]) {
			t.Fatalf("MaskPhone(%q) = %q shows the whole number", p, m)
		}
	})
}

// FuzzDossierCode checks the codes the desk draws: a valid agency code gives
// a valid dossier code that reads back as its agency, day and number.
func FuzzDossierCode(f *testing.F) {
	f.Add("000.00.31.H42", int64(1777442400), 1)
	f.Add("TB", int64(0), 9999)
	f.Add("x-y_z", int64(-1), 123456)
	f.Add("", int64(1), 1)
	f.Add("a b", int64(1), 1)
	f.Fuzz(func(t *testing.T, agency string, unix int64, n int) {
		valid := ValidCode(agency)
		if valid && (len(agency) > MaxCodeLen || !utf8.ValidString(agency)) {
			t.Fatalf("ValidCode(%q) = true", agency)
		}
		if !catalog.ValidCode(agency) || len(agency) > 40 || n < 1 || n > 1_000_000 {
			return
		}
		k := counterKey(agency, time.Unix(unix%(1<<40), 0))
		code := k.Format(n)
		if !ValidCode(code) {
			t.Fatalf("Format(%q, %d) = %q is not a valid code", agency, n, code)
		}
		rest, ok := strings.CutPrefix(code, agency+"-"+k.Day+"-")
		got, err := strconv.Atoi(rest)
		if !ok || err != nil || got != n || len(rest) < 4 || len(k.Day) != 6 {
			t.Fatalf("Format(%q, %s, %d) = %q does not read back", agency, k.Day, n, code)
		}
	})
}

// FuzzDecodeSync: any body is either malformed or decoded with every
// problem named by a field; nothing panics, and a decoded body holds only
// valid UTF-8 text where JSON strings were valid.
func FuzzDecodeSync(f *testing.F) {
	good := `{"procedure_code": "1.001193", "unit": "TB", "applicant": {"name": "Nguyễn Văn An", "phone": "0912345678"},
	 "channel": "counter", "received_at": "2026-04-29T03:00:00Z", "due_at": null, "status": "in_progress", "digitized": true,
	 "events": [{"at": "2026-04-29T03:00:00Z", "status": "received", "note": ""}], "apology": null}`
	for _, s := range []string{good, "", "{}", "[]", "null", `{"unit": ""}`, `{"events": [1, "x", null, {}]}`,
		`{"apology": {"issued_at": "x"}}`, `{"received_at": "2026-13-45T99:00:00Z"}`, `{"applicant": []}`, "{\"unit\": \"\xff\"}",
		`{"digitized": "yes", "events": {}}`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, errs, err := DecodeSync(body)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Malformed || errs != nil {
				t.Fatalf("DecodeSync error %v with %d field errors, want malformed alone", err, len(errs))
			}
			if json.Valid(body) && strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
				t.Fatalf("a JSON object %q is malformed", body)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("invalid JSON %q decoded", body)
		}
		for _, e := range errs {
			if e.Field == "" || e.MessageID == "" {
				t.Fatalf("a problem without a field: %+v", e)
			}
		}
		if len(in.Events) > MaxEvents {
			t.Fatalf("%d events decoded, more than %d", len(in.Events), MaxEvents)
		}
		for _, e := range in.Events {
			if e.At.Location() != time.UTC {
				t.Fatalf("event time %v is not UTC", e.At)
			}
		}
	})
}
