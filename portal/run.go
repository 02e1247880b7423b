package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"motcua/internal/app"
	"motcua/internal/catalog"
	"motcua/internal/config"
	"motcua/internal/i18n"
	"motcua/internal/unit"
	"motcua/internal/web"
)

// usageError means the command line was wrong: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `usage:
  portal [-demo]                      serve the portal
  portal migrate                      apply migrations and exit
  portal import [-skip-invalid] FILE… import procedures (JSON or CSV), units or offices (JSON)
  portal unit add -code C -name N -level province|district|commune [-parent P] [-agency A]
                  [-address ADDR] [-phone P]
  portal user add -username U -role admin|head|officer|clerk [-unit C] [-name "Full name"] [-title T]
                                      password on stdin
  portal user disable|enable -username U
  portal user password -username U    new password on stdin; ends the account's sessions
  portal token create -unit C -scope sync,counter [-name N]         prints the token alone
  portal token list [-unit C]         tokens with their ID and state (never their secret)
  portal token revoke ID              the token stops working at once
  portal backup FILE                  a consistent copy of the SQLite database
  portal healthcheck                  exit 0 when the local portal answers /readyz (for containers)`

// exitCode prints a one-line reason and maps err to the exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		// One line, as for every failure; the commands are one "portal help" away.
		reason, _, _ := strings.Cut(ue.msg, "\n")
		fmt.Fprintf(stderr, "portal: %s (see 'portal help')\n", reason)
		return 2
	}
	fmt.Fprintln(stderr, "portal:", oneLine(err))
	return 1
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

// run is the whole program, so that tests start it exactly as a user does.
func run(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	return runWithInput(ctx, args, getenv, os.Stdin, stdout, stderr)
}

// runWithInput is run with its standard input named, for the commands that
// read a secret from it (user add); tests pass their own.
func runWithInput(ctx context.Context, args []string, getenv config.Getenv, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		return serveCommand(ctx, args, getenv, stdout, stderr)
	case "migrate":
		if len(args) > 0 {
			return usagef("migrate takes no arguments\n%s", usage)
		}
		env, err := open(ctx, getenv, stderr)
		if err != nil {
			return err
		}
		defer env.Close()
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "import":
		return importCommand(ctx, args, getenv, stdout, stderr)
	case "unit":
		return unitCommand(ctx, args, getenv, stdout, stderr)
	case "user":
		return userCommand(ctx, args, getenv, stdin, stdout, stderr)
	case "token":
		return tokenCommand(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backupCommand(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return healthcheckCommand(ctx, getenv)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usagef("unknown command %q\n%s", cmd, usage)
}

// open builds the configuration from the environment, then the store and
// every service over it (internal/app).
func open(ctx context.Context, getenv config.Getenv, stderr io.Writer, opts ...app.Option) (*app.App, error) {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return nil, err
	}
	opts = append(appOptionsFrom(ctx), opts...)
	return app.Open(ctx, cfg, slog.New(slog.NewJSONHandler(stderr, nil)), opts...)
}

func unitCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("unit: want 'unit add'\n%s", usage)
	}
	fs := flag.NewFlagSet("unit add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var u unit.Unit
	var level string
	fs.StringVar(&u.Code, "code", "", "unit code")
	fs.StringVar(&u.Name, "name", "", "unit name")
	fs.StringVar(&level, "level", "", "province, district or commune")
	fs.StringVar(&u.ParentCode, "parent", "", "parent unit code")
	fs.StringVar(&u.AgencyCode, "agency", "", "agency e-ID code that starts dossier codes")
	fs.StringVar(&u.Address, "address", "", "address of the unit's one-stop department")
	fs.StringVar(&u.Phone, "phone", "", "phone of the unit's one-stop department")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return usagef("unit add: bad arguments\n%s", usage)
	}
	u.Level = catalog.Level(level)
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	if _, err := e.Units.Add(ctx, u); err != nil {
		return errors.New(describe(e.Text.For("en"), err))
	}
	fmt.Fprintf(stdout, "unit %s added\n", u.Code)
	return nil
}

// describe renders a service error for an operator's terminal, in English;
// an internal one with its cause, since the operator holds the logs anyway.
func describe(t *i18n.Translator, err error) string {
	d := web.Describe(t, err)
	if d.Internal {
		return err.Error()
	}
	msg := d.Message
	for _, f := range d.Fields {
		msg += "; " + f.Field + ": " + f.Message
	}
	return msg
}

func backupCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return usagef("backup: want one FILE\n%s", usage)
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	if err := e.DB.Backup(ctx, args[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", args[0])
	return nil
}
