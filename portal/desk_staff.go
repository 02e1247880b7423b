package main

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/staff"
	"motcua/internal/unit"
)

// The administrators' pages for staff accounts and machine tokens:
// /desk/staff lists the accounts, /desk/staff/{username} disables, enables
// or sets a password; /desk/tokens lists the tokens and revokes them. The
// staff service checks the administrator itself; every form carries the
// session's CSRF token and redirects after success, so a reload never posts
// twice.

type deskStaffData struct {
	Users []staff.User
	Units map[string]string // code → name
}

// deskStaff is GET /desk/staff.
func (s *server) deskStaff(c *fiber.Ctx) error {
	users, err := s.staff.Users(c.UserContext(), staffOf(c).Actor())
	if err != nil {
		return err
	}
	names, err := s.unitNames(c)
	if err != nil {
		return err
	}
	return s.deskPage(c, "desk_staff", s.tr(c).T("desk.staff.title"), deskStaffData{Users: users, Units: names})
}

func (s *server) unitNames(c *fiber.Ctx) (map[string]string, error) {
	us, err := s.units.List(c.UserContext())
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(us))
	for _, u := range us {
		names[u.Code] = u.Name
	}
	return names, nil
}

type deskAccountData struct {
	User     staff.User
	UnitName string
	Self     bool
	Saved    string // disabled, enabled, password
	Errors   []deskMessage
	MinLen   int
}

// deskAccount is GET /desk/staff/{username}.
func (s *server) deskAccount(c *fiber.Ctx) error {
	saved := c.Query("saved")
	switch saved {
	case "disabled", "enabled", "password":
	default:
		saved = ""
	}
	return s.renderAccount(c, strings.Clone(c.Params("username")), saved, nil)
}

func (s *server) renderAccount(c *fiber.Ctx, username, saved string, errs []deskMessage) error {
	users, err := s.staff.Users(c.UserContext(), staffOf(c).Actor())
	if err != nil {
		return err
	}
	d := deskAccountData{Saved: saved, Errors: errs, MinLen: staff.MinPasswordLen}
	found := false
	for _, u := range users {
		if u.Username == staff.NormalizeUsername(username) {
			d.User, found = u, true
		}
	}
	if !found {
		return apperr.ErrNotFound
	}
	d.Self = d.User.ID == staffOf(c).ID
	if d.User.UnitCode != "" {
		d.UnitName = s.unitOf(c, d.User.UnitCode).Name
	}
	if errs != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.deskPage(c, "desk_account", s.tr(c).T("desk.staff.account.title", "Username", d.User.Username), d)
}

// deskAccountSave is POST /desk/staff/{username}/{action}: disable, enable
// or password.
func (s *server) deskAccountSave(c *fiber.Ctx) error {
	username := strings.Clone(c.Params("username"))
	by := staffOf(c).Actor()
	var err error
	action := c.Params("action")
	switch action {
	case "disable", "enable":
		_, err = s.staff.SetDisabled(c.UserContext(), by, username, action == "disable")
		action += "d"
	case "password":
		_, err = s.staff.SetPassword(c.UserContext(), by, username, c.FormValue("password"))
	default:
		return apperr.ErrNotFound
	}
	if err != nil {
		if errs, ok := s.deskErrors(c, err); ok {
			return s.renderAccount(c, username, "", errs)
		}
		return err
	}
	s.log.Info("staff account changed", "request_id", requestIDOf(c), "by", staffOf(c).Username, "account", staff.NormalizeUsername(username), "change", action)
	return c.Redirect("/desk/staff/"+url.PathEscape(staff.NormalizeUsername(username))+"?saved="+action, fiber.StatusSeeOther)
}

type deskTokensData struct {
	Tokens  []staff.Token
	Units   []unit.Unit
	Unit    string
	Revoked int64
}

// deskTokens is GET /desk/tokens[?unit=C].
func (s *server) deskTokens(c *fiber.Ctx) error {
	d := deskTokensData{Unit: strings.Clone(c.Query("unit"))}
	d.Revoked, _ = strconv.ParseInt(c.Query("revoked"), 10, 64)
	var err error
	if d.Tokens, err = s.staff.Tokens(c.UserContext(), staffOf(c).Actor(), d.Unit); err != nil {
		return err
	}
	if d.Units, err = s.units.List(c.UserContext()); err != nil {
		return err
	}
	return s.deskPage(c, "desk_tokens", s.tr(c).T("desk.tokens.title"), d)
}

// deskRevokeToken is POST /desk/tokens/{id}/revoke.
func (s *server) deskRevokeToken(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	t, err := s.staff.RevokeToken(c.UserContext(), staffOf(c).Actor(), id)
	if err != nil {
		return err
	}
	s.log.Info("token revoked", "request_id", requestIDOf(c), "by", staffOf(c).Username, "token", t.ID, "unit", t.UnitCode)
	return c.Redirect("/desk/tokens?revoked="+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}
