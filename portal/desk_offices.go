package main

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/unit"
)

// The administrators' set-up of queue offices: /desk/offices lists them and
// adds one; /desk/offices/{office} edits it with its services and counters.
// Every form posts back with the session's CSRF token, then redirects, so a
// reload never posts twice.

// deskMessage is one error shown above the forms.
type deskMessage struct {
	Field   string // "" for the whole form
	Message string
}

type deskOfficesData struct {
	Offices []queue.Layout
	Units   []unit.Unit
	New     queue.Office
	Errors  []deskMessage
}

type groupOption struct {
	Key, Label string
	Checked    bool
}

type deskOfficeData struct {
	Layout queue.Layout
	Units  []unit.Unit
	Days   []dayHoursField
	// FieldOptions are, per service code ("" for the new service), the
	// catalog's fields it may cover, with the service that already has each.
	FieldOptions map[string][]fieldOption
	Groups       []groupOption
	NewService   queue.Service
	NewCounter   queue.Counter
	Errors       []deskMessage
	Saved        bool
	// Kiosks are the office's enrolled kiosks, nil when the member may not
	// manage them; KioskName is the enrolment form's draft.
	Kiosks    []queue.Kiosk
	KioskName string
}

// deskErrors turns a service error into messages for the page; it returns
// false for errors that are not the form's fault.
func (s *server) deskErrors(c *fiber.Ctx, err error) ([]deskMessage, bool) {
	ae := apperr.As(err)
	if ae.Code != apperr.Invalid && ae.Code != apperr.Conflict {
		return nil, false
	}
	msg, fields := translateError(s.tr(c), ae)
	if len(fields) == 0 {
		return []deskMessage{{Message: msg}}, true
	}
	out := make([]deskMessage, 0, len(fields))
	for _, f := range fields {
		field := f.Field
		if day, ok := strings.CutPrefix(field, "hours."); ok {
			// "hours.mon[1]": the form has one line per day.
			field = "hours_" + strings.SplitN(day, "[", 2)[0]
		}
		out = append(out, deskMessage{Field: field, Message: f.Message})
	}
	return out, true
}

// deskOffices is GET /desk/offices.
func (s *server) deskOffices(c *fiber.Ctx) error {
	return s.renderOffices(c, queue.Office{}, nil)
}

func (s *server) renderOffices(c *fiber.Ctx, draft queue.Office, errs []deskMessage) error {
	ls, err := s.queue.Offices(c.UserContext())
	if err != nil {
		return err
	}
	us, err := s.units.List(c.UserContext())
	if err != nil {
		return err
	}
	if errs != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.deskPage(c, "desk_offices", s.tr(c).T("queue.desk.offices.title"), deskOfficesData{Offices: ls, Units: us, New: draft, Errors: errs})
}

// deskCreateOffice is POST /desk/offices.
func (s *server) deskCreateOffice(c *fiber.Ctx) error {
	o := officeForm(c)
	o.Code = strings.TrimSpace(c.FormValue("code"))
	o.PriorityGroups = nil // a new office starts with every group
	created, err := s.queue.CreateOffice(c.UserContext(), actorOf(c), o)
	if err != nil {
		if errs, ok := s.deskErrors(c, err); ok {
			return s.renderOffices(c, o, errs)
		}
		return err
	}
	return c.Redirect("/desk/offices/"+url.PathEscape(created.Code)+"?saved=1", fiber.StatusSeeOther)
}

// officeForm reads the office fields every office form has.
func officeForm(c *fiber.Ctx) queue.Office {
	o := queue.Office{Name: c.FormValue("name"), UnitCode: c.FormValue("unit")}
	o.PriorityRun, _ = strconv.Atoi(c.FormValue("priority_run", "0"))
	o.DefaultMinutes, _ = strconv.Atoi(c.FormValue("default_minutes", "0"))
	o.PriorityGroups = formValues(c, "priority_groups")
	return o
}

// dayHoursField is one weekday's line of the hours form.
type dayHoursField struct{ Key, Label, Value string }

// officeHoursForm reads the office page's address, phone, last ticket and
// hours (one line per weekday, "07:00-11:30, 13:30-17:00"; empty: closed).
func officeHoursForm(c *fiber.Ctx, o *queue.Office) []apperr.FieldError {
	o.Address, o.Phone = c.FormValue("address"), c.FormValue("phone")
	var errs []apperr.FieldError
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("last_ticket_minutes", "0")))
	if err != nil {
		errs = append(errs, apperr.FieldError{Field: "last_ticket_minutes", MessageID: "error.field.number"})
	}
	o.LastTicketMinutes = n
	days := map[string][]string{}
	for _, k := range queue.DayKeys {
		for _, p := range strings.Split(c.FormValue("hours_"+k), ",") {
			if p = strings.TrimSpace(p); p != "" {
				days[k] = append(days[k], p)
			}
		}
	}
	h, bad := queue.ParseHours(days, "hours")
	o.Hours = h
	return append(errs, bad...)
}

// formValues reads every value of a repeated form field (checkboxes).
func formValues(c *fiber.Ctx, name string) []string {
	out := []string{}
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// deskOffice is GET /desk/offices/{office}.
func (s *server) deskOffice(c *fiber.Ctx) error {
	return s.renderOffice(c, c.Params("office"), deskOfficeData{Saved: c.Query("saved") == "1"})
}

func (s *server) renderOffice(c *fiber.Ctx, code string, d deskOfficeData) error {
	l, err := s.queue.Layout(c.UserContext(), code)
	if err != nil {
		return err
	}
	us, err := s.units.List(c.UserContext())
	if err != nil {
		return err
	}
	d.Layout, d.Units = l, us
	t := s.tr(c)
	for _, k := range queue.DayKeys {
		day, _ := queue.DayIndex(k)
		d.Days = append(d.Days, dayHoursField{Key: k, Label: t.T("weekday." + strconv.Itoa(int(day))), Value: l.Office.Hours.Text(k)})
	}
	d.FieldOptions = fieldOptions(l, d.NewService, s.catalog.FieldNames())
	switch ks, err := s.queue.Kiosks(c.UserContext(), staffActor(c), code); apperr.CodeOf(err) {
	case "":
		d.Kiosks = ks
	case apperr.Forbidden, apperr.Unauthorized:
	default:
		return err
	}
	if d.NewService.Code == "" {
		d.NewService.Position = len(l.Services) // a new service goes last on the kiosk
	}
	for _, g := range queue.PriorityGroups {
		checked := false
		for _, k := range l.Office.PriorityGroups {
			checked = checked || k == g.Key
		}
		d.Groups = append(d.Groups, groupOption{Key: g.Key, Label: t.T(g.LabelID), Checked: checked})
	}
	if d.Errors != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.deskPage(c, "desk_office", t.T("queue.desk.office.title", "Name", l.Office.Name), d)
}

// deskOfficeSave answers every POST under /desk/offices/{office}: the
// office itself, a new or changed service, a new or changed counter.
func (s *server) deskOfficeSave(c *fiber.Ctx) error {
	ctx, code := c.UserContext(), c.Params("office")
	var d deskOfficeData
	var err error
	switch kind, key := c.Params("kind"), c.Params("key"); {
	case kind == "":
		o := officeForm(c)
		o.Code = code
		if bad := officeHoursForm(c, &o); len(bad) > 0 {
			err = apperr.Fields(bad)
		} else {
			_, err = s.queue.UpdateOffice(ctx, actorOf(c), o)
		}
	case kind == "services":
		sv := serviceForm(c, code)
		if key == "" {
			sv.Code = c.FormValue("code")
			d.NewService = sv
			_, err = s.queue.CreateService(ctx, actorOf(c), sv)
		} else {
			sv.Code = key
			_, err = s.queue.UpdateService(ctx, actorOf(c), sv)
		}
	case kind == "counters":
		ct := counterForm(c, code)
		if key == "" {
			d.NewCounter = ct
			_, err = s.queue.CreateCounter(ctx, actorOf(c), ct)
		} else {
			if ct.ID, err = strconv.ParseInt(key, 10, 64); err != nil {
				return apperr.ErrNotFound
			}
			_, err = s.queue.UpdateCounter(ctx, actorOf(c), ct)
		}
	default:
		return apperr.ErrNotFound
	}
	if err != nil {
		errs, ok := s.deskErrors(c, err)
		if !ok {
			return err
		}
		d.Errors = errs
		return s.renderOffice(c, code, d)
	}
	return c.Redirect("/desk/offices/"+url.PathEscape(code)+"?saved=1", fiber.StatusSeeOther)
}

func serviceForm(c *fiber.Ctx, office string) queue.Service {
	sv := queue.Service{OfficeCode: office, NameVi: c.FormValue("name_vi"), NameEn: c.FormValue("name_en"), Prefix: c.FormValue("prefix")}
	sv.Position, _ = strconv.Atoi(c.FormValue("position", "0"))
	// Chosen from the catalog's fields (checkboxes); one per line is read
	// too, for a form posted by a script.
	for _, v := range formValues(c, "fields") {
		for _, line := range strings.Split(v, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				sv.Fields = append(sv.Fields, line)
			}
		}
	}
	return sv
}

func counterForm(c *fiber.Ctx, office string) queue.Counter {
	ct := queue.Counter{OfficeCode: office, Name: c.FormValue("name"), Services: formValues(c, "services")}
	ct.Number, _ = strconv.Atoi(c.FormValue("number", "0"))
	return ct
}

// deskOfficeRetire is POST /desk/offices/{office}/{services|counters}/{key}/
// {retire|restore}: a retired service or counter leaves the kiosk and the
// consoles; its history stays, and it can be brought back.
func (s *server) deskOfficeRetire(c *fiber.Ctx) error {
	ctx, code := c.UserContext(), c.Params("office")
	retire := c.Params("action") == "retire"
	if !retire && c.Params("action") != "restore" {
		return apperr.ErrNotFound
	}
	var err error
	switch c.Params("kind") {
	case "services":
		err = s.queue.RetireService(ctx, actorOf(c), code, c.Params("key"), retire)
	case "counters":
		id, perr := strconv.ParseInt(c.Params("key"), 10, 64)
		if perr != nil {
			return apperr.ErrNotFound
		}
		err = s.queue.RetireCounter(ctx, actorOf(c), code, id, retire)
	default:
		return apperr.ErrNotFound
	}
	if err != nil {
		errs, ok := s.deskErrors(c, err)
		if !ok {
			return err
		}
		return s.renderOffice(c, code, deskOfficeData{Errors: errs})
	}
	return c.Redirect("/desk/offices/"+url.PathEscape(code)+"?saved=1", fiber.StatusSeeOther)
}

// deskOfficeAfterPost is GET on the addresses the office page's forms post
// to: a reload after a refused form shows the office page, never a 404.
func (s *server) deskOfficeAfterPost(c *fiber.Ctx) error {
	return c.Redirect("/desk/offices/"+url.PathEscape(c.Params("office")), fiber.StatusSeeOther)
}

// fieldOption is one field of the catalog as a service's checkbox.
type fieldOption struct {
	Name    string
	Checked bool
	TakenBy string // the other service of the office that covers it
	Unknown bool   // kept from before, not in the catalog
}

func fieldOptions(l queue.Layout, draft queue.Service, catalogFields []string) map[string][]fieldOption {
	owner := map[string]string{}
	for _, s := range l.Services {
		for _, f := range s.Fields {
			owner[f] = s.Code
		}
	}
	names := map[string]string{}
	for _, s := range l.Services {
		names[s.Code] = s.Prefix + " – " + s.NameVi
	}
	optionsOf := func(s queue.Service, self string) []fieldOption {
		var opts []fieldOption
		for _, f := range catalogFields {
			o := fieldOption{Name: f, Checked: slices.Contains(s.Fields, f)}
			if other := owner[f]; other != "" && other != self {
				o.TakenBy = names[other]
			}
			opts = append(opts, o)
		}
		for _, f := range s.Fields {
			if !slices.Contains(catalogFields, f) {
				opts = append(opts, fieldOption{Name: f, Checked: true, Unknown: true})
			}
		}
		return opts
	}
	out := map[string][]fieldOption{"": optionsOf(draft, "")} // the new service's form
	for _, s := range l.Services {
		out[s.Code] = optionsOf(s, s.Code)
	}
	return out
}
