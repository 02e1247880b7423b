package dossier

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"motcua/internal/apperr"
)

// SyncInput is the body of PUT /api/v1/sync/dossiers/{code} (portal/openapi.json, SyncRequest),
// decoded.
type SyncInput struct {
	ProcedureCode  string
	Unit           string
	Applicant      Applicant
	Channel        Channel
	ReceivedAt     time.Time
	DueAt          *time.Time
	Status         Status
	Digitized      bool
	EResult        bool
	ReusedData     bool
	HasFee         bool
	PaidOnline     bool
	SyncedNational bool
	Events         []Event
	Apology        *Apology
}

// decoder reads a JSON object field by field, collecting every problem so
// that one answer lists them all.
type decoder struct {
	errs []apperr.FieldError
}

func (dc *decoder) bad(field, id string, params map[string]any) {
	dc.errs = append(dc.errs, apperr.FieldError{Field: field, MessageID: id, Params: params})
}

// object splits raw into its members, reporting members not in allowed and
// required ones that are missing. It reports false when raw is not an object.
func (dc *decoder) object(prefix string, raw json.RawMessage, allowed, required []string) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		dc.bad(field(prefix, ""), "dossier.error.sync.object", nil)
		return nil, false
	}
	known := map[string]bool{}
	for _, k := range allowed {
		known[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !known[k] {
			name := k
			if name == "" {
				name = `""` // a member with an empty name still needs a name in the answer
			}
			dc.bad(field(prefix, name), "dossier.error.sync.unknown_field", nil)
		}
	}
	for _, k := range required {
		if _, ok := m[k]; !ok {
			dc.bad(field(prefix, k), "error.field.required", nil)
		}
	}
	return m, true
}

func field(prefix, name string) string {
	switch {
	case prefix == "":
		return name
	case name == "":
		return prefix
	}
	return prefix + "." + name
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func (dc *decoder) str(name string, raw json.RawMessage, dst *string) {
	if raw == nil {
		return
	}
	if err := json.Unmarshal(raw, dst); err != nil || isNull(raw) {
		dc.bad(name, "dossier.error.sync.type", map[string]any{"Want": "string"})
	}
}

func (dc *decoder) boolean(name string, raw json.RawMessage, dst *bool) {
	if raw == nil {
		return
	}
	if err := json.Unmarshal(raw, dst); err != nil || isNull(raw) {
		dc.bad(name, "dossier.error.sync.type", map[string]any{"Want": "true/false"})
	}
}

// instant reads an RFC 3339 time; null is allowed only where nullable.
func (dc *decoder) instant(name string, raw json.RawMessage, nullable bool) *time.Time {
	if raw == nil || (nullable && isNull(raw)) {
		return nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || isNull(raw) {
		dc.bad(name, "dossier.error.sync.time", nil)
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		dc.bad(name, "dossier.error.sync.time", nil)
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	return &t
}

var (
	syncFields      = []string{"procedure_code", "unit", "applicant", "channel", "received_at", "due_at", "status", "digitized", "e_result", "reused_data", "has_fee", "paid_online", "synced_national", "events", "apology"}
	syncRequired    = []string{"procedure_code", "unit", "applicant", "channel", "received_at", "status", "events"}
	applicantFields = []string{"name", "phone", "id_number"}
	eventFields     = []string{"at", "status", "note"}
	apologyFields   = []string{"issued_at", "new_due_at", "reason"}
)

// DecodeSync reads a sync body strictly: unknown members, missing ones and
// values of the wrong type are all reported, by field. A body that is not a
// JSON object at all is malformed.
func DecodeSync(body []byte) (SyncInput, []apperr.FieldError, error) {
	var in SyncInput
	dc := &decoder{}
	if !json.Valid(body) {
		return in, nil, apperr.New(apperr.Malformed, "dossier.error.sync.json")
	}
	m, ok := dc.object("", body, syncFields, syncRequired)
	if !ok {
		return in, nil, apperr.New(apperr.Malformed, "dossier.error.sync.json")
	}
	dc.str("procedure_code", m["procedure_code"], &in.ProcedureCode)
	dc.str("unit", m["unit"], &in.Unit)
	var ch, st string
	dc.str("channel", m["channel"], &ch)
	dc.str("status", m["status"], &st)
	in.Channel, in.Status = Channel(ch), Status(st)
	if raw := m["applicant"]; raw != nil {
		if a, ok := dc.object("applicant", raw, applicantFields, []string{"name", "phone"}); ok {
			dc.str("applicant.name", a["name"], &in.Applicant.Name)
			dc.str("applicant.phone", a["phone"], &in.Applicant.Phone)
			dc.str("applicant.id_number", a["id_number"], &in.Applicant.IDNumber)
		}
	}
	if t := dc.instant("received_at", m["received_at"], false); t != nil {
		in.ReceivedAt = *t
	}
	in.DueAt = dc.instant("due_at", m["due_at"], true)
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"digitized", &in.Digitized}, {"e_result", &in.EResult}, {"reused_data", &in.ReusedData},
		{"has_fee", &in.HasFee}, {"paid_online", &in.PaidOnline}, {"synced_national", &in.SyncedNational}} {
		dc.boolean(f.name, m[f.name], f.dst)
	}
	dc.events(m["events"], &in)
	if raw := m["apology"]; raw != nil && !isNull(raw) {
		if a, ok := dc.object("apology", raw, apologyFields, apologyFields); ok {
			in.Apology = &Apology{}
			if t := dc.instant("apology.issued_at", a["issued_at"], false); t != nil {
				in.Apology.IssuedAt = *t
			}
			if t := dc.instant("apology.new_due_at", a["new_due_at"], false); t != nil {
				in.Apology.NewDueAt = *t
			}
			dc.str("apology.reason", a["reason"], &in.Apology.Reason)
		}
	}
	return in, dc.errs, nil
}

func (dc *decoder) events(raw json.RawMessage, in *SyncInput) {
	if raw == nil {
		return
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || isNull(raw) {
		dc.bad("events", "dossier.error.sync.type", map[string]any{"Want": "array"})
		return
	}
	if len(items) > MaxEvents {
		dc.bad("events", "error.field.too_many", map[string]any{"Max": MaxEvents})
		return
	}
	for i, item := range items {
		name := fmt.Sprintf("events[%d]", i)
		e, ok := dc.object(name, item, eventFields, []string{"at", "status"})
		if !ok {
			continue
		}
		var ev Event
		if t := dc.instant(name+".at", e["at"], false); t != nil {
			ev.At = *t
		}
		var st string
		dc.str(name+".status", e["status"], &st)
		ev.Status = Status(st)
		dc.str(name+".note", e["note"], &ev.Note)
		in.Events = append(in.Events, ev)
	}
}
