package queue

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"motcua/internal/actor"
	"motcua/internal/apperr"
)

// OfficesFile is the offices import format (docs/domain.md, "The offices
// file"): a unit's offices with their services, counters, address, phone
// and opening hours, provisioned in one go.
type OfficesFile struct {
	Offices []OfficeEntry `json:"offices"`
}

// OfficeEntry is one office of the file.
type OfficeEntry struct {
	Code    string              `json:"code"`
	Unit    string              `json:"unit"`
	Name    string              `json:"name"`
	Address string              `json:"address"`
	Phone   string              `json:"phone"`
	Hours   map[string][]string `json:"hours"`
	// LastTicketMinutes defaults to DefaultLastTicketMinutes; 0 issues
	// until closing.
	LastTicketMinutes *int           `json:"last_ticket_minutes"`
	Services          []ServiceEntry `json:"services"`
	Counters          []CounterEntry `json:"counters"`
}

// ServiceEntry is a queue service of an office in the file.
type ServiceEntry struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	NameEn string   `json:"name_en"`
	Prefix string   `json:"prefix"`
	Fields []string `json:"fields"`
}

// CounterEntry is a counter of an office in the file, known by its number.
type CounterEntry struct {
	Number   int      `json:"number"`
	Name     string   `json:"name"`
	Services []string `json:"services"`
}

// ImportReport counts what an import did.
type ImportReport struct {
	Created, Updated int
	// Closed lists the offices the file gives no hours: closed until they
	// get some.
	Closed []string
}

// ImportOffices provisions offices from a file, all or nothing: every bad
// entry is reported by its path ("offices[0].hours.mon[1]") and then
// nothing is written; otherwise one transaction creates or updates each
// office (by code), its services (by code) and counters (by number).
// Importing the same file twice changes nothing. Running instances read
// offices from the store on every request, so they see it at once.
//
// Only an administrator of every unit the file names (and of the unit each
// existing office belongs to) may import it.
func (m *Manager) ImportOffices(ctx context.Context, a actor.Actor, f OfficesFile) (ImportReport, error) {
	defer m.ForgetPlaces()
	if !a.Is(actor.RoleAdmin) {
		return ImportReport{}, a.Deny()
	}
	for _, e := range f.Offices {
		if !MayAdminister(a, strings.TrimSpace(e.Unit)) {
			return ImportReport{}, a.Deny()
		}
		if o, err := m.store.Office(ctx, strings.TrimSpace(e.Code)); err == nil && !MayAdminister(a, o.UnitCode) {
			return ImportReport{}, a.Deny()
		}
	}
	var bad fieldErrs
	var layouts []Layout
	var rep ImportReport
	seen := map[string]bool{}
	for i, e := range f.Offices {
		at := fmt.Sprintf("offices[%d]", i)
		l, errs := m.officeOf(ctx, at, e)
		bad = append(bad, errs...)
		if seen[l.Office.Code] {
			bad.add(at+".code", "queue.error.office_twice", nil)
		}
		seen[l.Office.Code] = true
		if l.Office.Hours.IsZero() {
			rep.Closed = append(rep.Closed, l.Office.Code)
		}
		layouts = append(layouts, l)
	}
	if len(f.Offices) == 0 {
		bad.add("offices", "queue.error.offices_none", nil)
	}
	if err := bad.err(); err != nil {
		return ImportReport{}, err
	}
	created, updated, err := m.store.SaveOffices(ctx, layouts)
	if err != nil {
		return ImportReport{}, err
	}
	rep.Created, rep.Updated = created, updated
	return rep, nil
}

// officeOf checks one entry against its own rules, the catalog and what the
// store holds, with every error at its path.
func (m *Manager) officeOf(ctx context.Context, at string, e OfficeEntry) (Layout, fieldErrs) {
	var bad fieldErrs
	prefixed := func(err error, path string) {
		for _, fe := range apperr.As(err).Fields {
			bad.add(path+"."+fe.Field, fe.MessageID, fe.Params)
		}
	}
	o := Office{Code: strings.TrimSpace(e.Code), Name: strings.TrimSpace(e.Name), UnitCode: strings.TrimSpace(e.Unit),
		Address: strings.TrimSpace(e.Address), Phone: strings.TrimSpace(e.Phone), LastTicketMinutes: DefaultLastTicketMinutes,
		PriorityGroups: AllPriorityKeys(), PriorityRun: DefaultPriorityRun, DefaultMinutes: DefaultMinutes, CreatedAt: m.now().UTC()}
	if e.LastTicketMinutes != nil {
		o.LastTicketMinutes = *e.LastTicketMinutes
	}
	hours, errs := ParseHours(e.Hours, at+".hours")
	for _, fe := range errs {
		bad.add(fe.Field, fe.MessageID, fe.Params)
	}
	o.Hours = hours
	existing, err := m.store.Office(ctx, o.Code)
	switch {
	case err == nil:
		// An update keeps the office's priority policy, set at the desk.
		o.PriorityGroups, o.PriorityRun, o.DefaultMinutes = existing.PriorityGroups, existing.PriorityRun, existing.DefaultMinutes
	case !apperr.IsNotFound(err):
		bad.add(at, "error.unavailable", nil)
	}
	if err := o.Validate(); err != nil {
		prefixed(err, at)
	}
	if o.UnitCode != "" {
		if _, err := m.store.Unit(ctx, o.UnitCode); err != nil {
			bad.add(at+".unit", "queue.error.unit_unknown", nil)
		}
	}
	l := Layout{Office: o}
	var old []Service
	if existing.Code != "" {
		old, _ = m.store.Services(ctx, o.Code)
	}
	known := m.fieldNames()
	codes, prefixes, fields := map[string]bool{}, map[string]string{}, map[string]string{}
	for j, se := range e.Services {
		sat := fmt.Sprintf("%s.services[%d]", at, j)
		s := Service{Code: strings.TrimSpace(se.Code), OfficeCode: o.Code, NameVi: strings.TrimSpace(se.Name),
			NameEn: strings.TrimSpace(se.NameEn), Prefix: strings.ToUpper(strings.TrimSpace(se.Prefix)), Position: j, Fields: []string{}}
		for _, fl := range se.Fields {
			if fl = strings.TrimSpace(fl); fl != "" && !slices.Contains(s.Fields, fl) {
				s.Fields = append(s.Fields, fl)
			}
		}
		if err := s.Validate(); err != nil {
			for _, fe := range apperr.As(err).Fields {
				field := fe.Field
				if field == "name_vi" {
					field = "name"
				}
				bad.add(sat+"."+field, fe.MessageID, fe.Params)
			}
		}
		if codes[s.Code] {
			bad.add(sat+".code", "queue.error.service_exists", nil)
		}
		codes[s.Code] = true
		if other, ok := prefixes[s.Prefix]; ok && s.Prefix != "" {
			bad.add(sat+".prefix", "queue.error.prefix_taken_by", map[string]any{"Service": other})
		}
		prefixes[s.Prefix] = s.NameVi
		for k, fl := range s.Fields {
			if len(known) > 0 && !slices.Contains(known, fl) {
				bad.add(fmt.Sprintf("%s.fields[%d]", sat, k), "queue.error.field_unknown", map[string]any{"Field": fl})
			}
			if other, ok := fields[fl]; ok {
				bad.add(fmt.Sprintf("%s.fields[%d]", sat, k), "queue.error.field_overlap", map[string]any{"Field": fl, "Service": other})
			}
			fields[fl] = s.NameVi
		}
		l.Services = append(l.Services, s)
	}
	// Services already there that the file leaves out keep their letters
	// and fields: a new service may not take them.
	for _, s := range old {
		if codes[s.Code] || s.RetiredAt != nil {
			continue
		}
		if j := slices.IndexFunc(l.Services, func(x Service) bool { return x.Prefix == s.Prefix }); j >= 0 {
			bad.add(fmt.Sprintf("%s.services[%d].prefix", at, j), "queue.error.prefix_taken_by", map[string]any{"Service": s.NameVi})
		}
		for _, fl := range s.Fields {
			if _, ok := fields[fl]; ok {
				bad.add(at+".services", "queue.error.field_overlap", map[string]any{"Field": fl, "Service": s.NameVi})
			}
		}
	}
	numbers := map[int]bool{}
	for k, ce := range e.Counters {
		cat := fmt.Sprintf("%s.counters[%d]", at, k)
		c := Counter{OfficeCode: o.Code, Number: ce.Number, Name: strings.TrimSpace(ce.Name), Services: slices.Compact(slices.Sorted(slices.Values(ce.Services)))}
		if err := c.Validate(); err != nil {
			prefixed(err, cat)
		}
		if numbers[c.Number] {
			bad.add(cat+".number", "queue.error.counter_exists", nil)
		}
		numbers[c.Number] = true
		for n, code := range ce.Services {
			if !codes[code] && !slices.ContainsFunc(old, func(s Service) bool { return s.Code == code && s.RetiredAt == nil }) {
				bad.add(fmt.Sprintf("%s.services[%d]", cat, n), "queue.error.service_unknown", nil)
			}
		}
		l.Counters = append(l.Counters, c)
	}
	return l, bad
}
