package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"motcua/internal/config"
	"motcua/internal/staff"
)

// userCommand creates a staff account. The password is the first line of
// standard input, so that it never shows in the process list or the shell
// history: echo "$PW" | portal user add -username an -role officer -unit TB.
func userCommand(ctx context.Context, args []string, getenv config.Getenv, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("user: want 'user add'\n%s", usage)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var u staff.User
	var role string
	fs.StringVar(&u.Username, "username", "", "username")
	fs.StringVar(&role, "role", "", "admin, officer or clerk")
	fs.StringVar(&u.UnitCode, "unit", "", "unit code (required for officer and clerk)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || u.Username == "" || role == "" {
		return usagef("user add: want -username U -role admin|officer|clerk [-unit C]\n%s", usage)
	}
	u.Role = staff.Role(role)
	if !u.Role.Valid() {
		return usagef("user add: -role must be admin, officer or clerk")
	}
	password, err := readPassword(stdin)
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

// readPassword reads one line from r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReaderSize(io.LimitReader(r, 4096), 4096).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input (give it as one line: echo \"$PW\" | portal user add …)")
	}
	return line, nil
}

// tokenCommand creates a machine token for one unit and prints it alone on
// standard output, so that a script can capture it; it is never shown
// again.
func tokenCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usagef("token: want 'token create'\n%s", usage)
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	unitCode := fs.String("unit", "", "unit code")
	scope := fs.String("scope", "", "sync, counter or sync,counter")
	name := fs.String("name", "", "what the token is for")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *unitCode == "" || *scope == "" {
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
