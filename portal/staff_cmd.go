package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"motcua/internal/config"
	"motcua/internal/staff"
)

// userCommand manages staff accounts: add, disable, enable, password. A
// password is the first line of standard input, so that it never shows in
// the process list or the shell history:
// echo "$PW" | portal user add -username an -role officer -unit TB.
func userCommand(ctx context.Context, args []string, getenv config.Getenv, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("user: want 'user add|disable|enable|password'\n%s", usage)
	}
	switch args[0] {
	case "add":
		return userAddCommand(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "disable", "enable":
		return userDisableCommand(ctx, args[0], args[1:], getenv, stdout, stderr)
	case "password":
		return userPasswordCommand(ctx, args[1:], getenv, stdin, stdout, stderr)
	}
	return usagef("user: unknown action %q, want add, disable, enable or password\n%s", args[0], usage)
}

func userAddCommand(ctx context.Context, args []string, getenv config.Getenv, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var u staff.User
	var role string
	fs.StringVar(&u.Username, "username", "", "username")
	fs.StringVar(&role, "role", "", "admin, head, officer or clerk")
	fs.StringVar(&u.UnitCode, "unit", "", "unit code (required but for an administrator)")
	fs.StringVar(&u.FullName, "name", "", "full name, printed on papers")
	fs.StringVar(&u.Title, "title", "", "title, printed on papers")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || u.Username == "" || role == "" {
		return usagef("user add: want -username U -role admin|head|officer|clerk [-unit C] [-name \"Full name\"] [-title T]\n%s", usage)
	}
	u.Role = staff.Role(role)
	if !u.Role.Valid() {
		return usagef("user add: -role must be admin, head, officer or clerk")
	}
	password, err := readPassword(stdin, "user add")
	if err != nil {
		return err
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	added, err := e.Staff.AddUser(ctx, u, password)
	if err != nil {
		return errors.New(describe(e.Text.For("en"), err))
	}
	where := "all units"
	if added.UnitCode != "" {
		where = "unit " + added.UnitCode
	}
	fmt.Fprintf(stdout, "user %s added (%s, %s)\n", added.Username, added.Role, where)
	return nil
}

// usernameFlag parses "-username U" and nothing else.
func usernameFlag(name string, args []string) (string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	username := fs.String("username", "", "username")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *username == "" {
		return "", usagef("%s: want -username U\n%s", name, usage)
	}
	return *username, nil
}

// userDisableCommand disables or enables an account. A disabled account
// cannot sign in, and its sessions end at once, on every instance.
func userDisableCommand(ctx context.Context, action string, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	username, err := usernameFlag("user "+action, args)
	if err != nil {
		return err
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	u, err := e.Staff.SetDisabled(ctx, staff.Operator(), username, action == "disable")
	if err != nil {
		return fmt.Errorf("user %s: %s", username, describe(e.Text.For("en"), err))
	}
	fmt.Fprintf(stdout, "user %s %sd\n", u.Username, action)
	return nil
}

// userPasswordCommand sets a new password, read from standard input, and
// ends the account's sessions.
func userPasswordCommand(ctx context.Context, args []string, getenv config.Getenv, stdin io.Reader, stdout, stderr io.Writer) error {
	username, err := usernameFlag("user password", args)
	if err != nil {
		return err
	}
	password, err := readPassword(stdin, "user password")
	if err != nil {
		return err
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	u, err := e.Staff.SetPassword(ctx, staff.Operator(), username, password)
	if err != nil {
		return fmt.Errorf("user %s: %s", username, describe(e.Text.For("en"), err))
	}
	fmt.Fprintf(stdout, "password of %s changed; its sessions are ended\n", u.Username)
	return nil
}

// readPassword reads one line from r, without its line ending.
func readPassword(r io.Reader, cmd string) (string, error) {
	line, err := bufio.NewReaderSize(io.LimitReader(r, 4096), 4096).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("no password on standard input (give it as one line: echo \"$PW\" | portal %s …)", cmd)
	}
	return line, nil
}

// tokenCommand manages machine tokens: create, list, revoke.
func tokenCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("token: want 'token create|list|revoke'\n%s", usage)
	}
	switch args[0] {
	case "create":
		return tokenCreateCommand(ctx, args[1:], getenv, stdout, stderr)
	case "list":
		return tokenListCommand(ctx, args[1:], getenv, stdout, stderr)
	case "revoke":
		return tokenRevokeCommand(ctx, args[1:], getenv, stdout, stderr)
	}
	return usagef("token: unknown action %q, want create, list or revoke\n%s", args[0], usage)
}

// tokenCreateCommand creates a machine token for one unit and prints it
// alone on standard output, so that a script can capture it; it is never
// shown again.
func tokenCreateCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	unitCode := fs.String("unit", "", "unit code")
	scope := fs.String("scope", "", "sync, counter or sync,counter")
	name := fs.String("name", "", "what the token is for")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *unitCode == "" || *scope == "" {
		return usagef("token create: want -unit C -scope sync,counter [-name N]\n%s", usage)
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	_, secret, err := e.Staff.CreateToken(ctx, *unitCode, staff.ParseScopes(*scope), *name)
	if err != nil {
		return errors.New(describe(e.Text.For("en"), err))
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// tokenListCommand prints the tokens, revoked ones too, one a line: ID,
// unit, scopes, creation, state and name. Secrets are never stored, so
// never shown.
func tokenListCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	unitCode := fs.String("unit", "", "only this unit's tokens")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usagef("token list: want [-unit C]\n%s", usage)
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	tokens, err := e.Staff.Tokens(ctx, staff.Operator(), *unitCode)
	if err != nil {
		return errors.New(describe(e.Text.For("en"), err))
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tUNIT\tSCOPES\tCREATED\tSTATE\tNAME")
	for _, t := range tokens {
		state := "active"
		if t.Revoked() {
			state = "revoked " + t.RevokedAt.Format("2006-01-02T15:04Z")
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UnitCode, strings.Join(t.Scopes, ","),
			t.CreatedAt.Format("2006-01-02T15:04Z"), state, oneLineText(t.Name))
	}
	return w.Flush()
}

// oneLineText keeps a stored name on its line of a listing.
func oneLineText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// tokenRevokeCommand revokes a token: it stops working at once, on every
// instance.
func tokenRevokeCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return usagef("token revoke: want one token ID\n%s", usage)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return usagef("token revoke: %q is not a token ID (see 'portal token list')", args[0])
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	t, err := e.Staff.RevokeToken(ctx, staff.Operator(), id)
	if err != nil {
		return fmt.Errorf("token %d: %s", id, describe(e.Text.For("en"), err))
	}
	fmt.Fprintf(stdout, "token %d (%s, unit %s) revoked\n", t.ID, oneLineText(t.Name), t.UnitCode)
	return nil
}
