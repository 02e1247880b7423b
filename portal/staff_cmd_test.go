package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/catalog"
	"motcua/internal/demo"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

// cmdResult is what an operator sees of one command.
type cmdResult struct {
	status         int
	stdout, stderr string
}

func runCmd(t *testing.T, vars map[string]string, stdin string, args ...string) cmdResult {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runWithInput(context.Background(), args, func(k string) string { return vars[k] }, strings.NewReader(stdin), &out, &errOut)
	var reason bytes.Buffer
	status := exitCode(err, &reason)
	return cmdResult{status: status, stdout: out.String(), stderr: reason.String()}
}

func TestStaffCommands(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	for _, args := range [][]string{
		{"unit", "add", "-code", "QNA", "-name", "Tỉnh Quảng Nam", "-level", "province"},
		{"unit", "add", "-code", "TB", "-name", "Huyện Thăng Bình", "-level", "district", "-parent", "QNA"},
	} {
		if r := runCmd(t, vars, "", args...); r.status != 0 {
			t.Fatalf("%v: %+v", args, r)
		}
	}

	t.Run("user add reads the password from standard input", func(t *testing.T) {
		r := runCmd(t, vars, "correct horse battery\n", "user", "add", "-username", "An", "-role", "officer", "-unit", "TB")
		if r.status != 0 || r.stdout != "user an added (officer, unit TB)\n" {
			t.Fatalf("got %+v", r)
		}
		r = runCmd(t, vars, "another good one", "user", "add", "-username", "root", "-role", "admin")
		if r.status != 0 || r.stdout != "user root added (admin, all units)\n" {
			t.Fatalf("admin without a trailing newline: %+v", r)
		}
	})
	t.Run("the new account signs in with that password", func(t *testing.T) {
		e, err := open(context.Background(), func(k string) string { return vars[k] }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		u, err := e.Staff.Authenticate(context.Background(), "an", "correct horse battery", "127.0.0.1")
		if err != nil || u.Role != staff.RoleOfficer || u.UnitCode != "TB" {
			t.Fatalf("got %+v, %v", u, err)
		}
		_, hash, _ := e.DB.UserByName(context.Background(), "an")
		if cost, _ := bcrypt.Cost([]byte(hash)); cost != staff.DefaultCost {
			t.Errorf("bcrypt cost = %d, want %d", cost, staff.DefaultCost)
		}
	})
	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		status int
		reason string
	}{
		{"an empty password is refused", "\n", []string{"-username", "bao", "-role", "clerk", "-unit", "TB"}, 1, "no password on standard input"},
		{"no input at all is refused", "", []string{"-username", "bao", "-role", "clerk", "-unit", "TB"}, 1, "no password on standard input"},
		{"a short password is refused", "123456789\n", []string{"-username", "bao", "-role", "clerk", "-unit", "TB"}, 1, "at least 10 characters"},
		{"an unknown unit is refused", "correct horse battery\n", []string{"-username", "bao", "-role", "clerk", "-unit", "NOPE"}, 1, "There is no unit with code NOPE."},
		{"a taken username is refused", "correct horse battery\n", []string{"-username", "AN", "-role", "clerk", "-unit", "TB"}, 1, "already taken"},
		{"a clerk without a unit is refused", "correct horse battery\n", []string{"-username", "bao", "-role", "clerk"}, 1, "must belong to a unit"},
		{"an unknown role is bad usage", "correct horse battery\n", []string{"-username", "bao", "-role", "boss"}, 2, "-role must be"},
		{"a missing username is bad usage", "correct horse battery\n", []string{"-role", "admin"}, 2, "want -username"},
		{"an unknown flag is bad usage", "correct horse battery\n", []string{"-username", "bao", "-role", "admin", "-x"}, 2, "want -username"},
	} {
		t.Run("user add: "+tc.name, func(t *testing.T) {
			r := runCmd(t, vars, tc.stdin, append([]string{"user", "add"}, tc.args...)...)
			if r.status != tc.status || !strings.Contains(r.stderr, tc.reason) || r.stdout != "" {
				t.Errorf("got %+v; want status %d and %q", r, tc.status, tc.reason)
			}
			if tc.status == 1 && strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("reason is not one line: %q", r.stderr)
			}
		})
	}
	if r := runCmd(t, vars, "", "user"); r.status != 2 {
		t.Errorf("'user' alone: %+v, want status 2", r)
	}

	t.Run("token create prints the token alone", func(t *testing.T) {
		r := runCmd(t, vars, "", "token", "create", "-unit", "TB", "-scope", "sync,counter", "-name", "một cửa cũ")
		if r.status != 0 || !regexp.MustCompile(`^[A-Za-z0-9_-]{43}\n$`).MatchString(r.stdout) {
			t.Fatalf("got %+v; want one 43-character line", r)
		}
		e, err := open(context.Background(), func(k string) string { return vars[k] }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		tok, err := e.Staff.TokenFor(context.Background(), strings.TrimSpace(r.stdout))
		if err != nil || tok.UnitCode != "TB" || !tok.HasScope("sync") || !tok.HasScope("counter") || tok.Name != "một cửa cũ" {
			t.Errorf("stored token = %+v, %v", tok, err)
		}
	})
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		reason string
	}{
		{"an unknown unit is refused", []string{"-unit", "NOPE", "-scope", "sync"}, 1, "There is no unit with code NOPE."},
		{"an unknown scope is refused", []string{"-unit", "TB", "-scope", "sync,admin"}, 1, "scope must be"},
		{"a missing scope is bad usage", []string{"-unit", "TB"}, 2, "want -unit"},
		{"a missing unit is bad usage", []string{"-scope", "sync"}, 2, "want -unit"},
		{"an extra argument is bad usage", []string{"-unit", "TB", "-scope", "sync", "extra"}, 2, "want -unit"},
	} {
		t.Run("token create: "+tc.name, func(t *testing.T) {
			r := runCmd(t, vars, "", append([]string{"token", "create"}, tc.args...)...)
			if r.status != tc.status || !strings.Contains(r.stderr, tc.reason) || r.stdout != "" {
				t.Errorf("got %+v; want status %d and %q", r, tc.status, tc.reason)
			}
		})
	}
}

func TestDemoStaff(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	e, err := open(context.Background(), func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.Staff.BcryptCost = bcrypt.MinCost
	ctx := context.Background()
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
	} {
		if _, err := e.Units.Add(ctx, u); err != nil {
			t.Fatal(err)
		}
	}

	var first bytes.Buffer
	if err := demo.Staff(ctx, e, &first); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`demo: staff account (demo\.\w+) \((\w+), (?:unit TB|every unit)\) password (\S{16})\n`)
	found := line.FindAllStringSubmatch(first.String(), -1)
	if len(found) != len(demo.Accounts) {
		t.Fatalf("first run printed %d accounts, want %d:\n%s", len(found), len(demo.Accounts), first.String())
	}
	for _, m := range found {
		u, err := e.Staff.Authenticate(ctx, m[1], m[3], "127.0.0.1")
		if err != nil || string(u.Role) != m[2] || (u.UnitCode != "TB") != (u.Role == staff.RoleAdmin) {
			t.Errorf("sign in as %s with the printed password: %+v, %v", m[1], u, err)
		}
	}

	var second bytes.Buffer
	if err := demo.Staff(ctx, e, &second); err != nil {
		t.Fatal(err)
	}
	if line.MatchString(second.String()) || strings.Count(second.String(), "exists") != len(demo.Accounts) {
		t.Errorf("second run should only say the accounts exist:\n%s", second.String())
	}
}
