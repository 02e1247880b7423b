package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"motcua/internal/app"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/config"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/unit"
)

// importCommand loads procedures (a JSON array or CSV) or units (a JSON
// object {"units": […]}) from each FILE.
func importCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	skip := fs.Bool("skip-invalid", false, "import the valid records when some are invalid")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		return usagef("import: want [-skip-invalid] FILE…\n%s", usage)
	}
	e, err := open(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	for _, path := range fs.Args() {
		if err := importFile(ctx, e, path, *skip, stdout, stderr); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

func importFile(ctx context.Context, e *app.App, path string, skip bool, stdout, stderr io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(data) > catalog.MaxImportBytes {
		return fmt.Errorf("file is larger than %d MiB", catalog.MaxImportBytes>>20)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if bytes.HasPrefix(trimmed, []byte("{")) {
		var keys map[string]json.RawMessage
		if json.Unmarshal(trimmed, &keys) == nil && keys["offices"] != nil {
			return importOffices(ctx, e, trimmed, stdout, stderr)
		}
		return importUnits(ctx, e, trimmed, stdout)
	}
	var (
		procs []catalog.Procedure
		bad   []catalog.RecordError
	)
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		procs, bad, err = catalog.ParseCSV(bytes.NewReader(data))
	} else {
		procs, bad, err = catalog.ParseJSON(bytes.NewReader(trimmed))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "read %d records\n", len(procs))
	t := e.Text.For("en")
	for _, b := range bad {
		for _, f := range b.Fields {
			fmt.Fprintf(stderr, "record %d (code %q): %s: %s\n", b.Position, b.Code, f.Field, t.Map(f.MessageID, f.Params))
		}
	}
	step := 0
	rep, err := e.Catalog.Import(ctx, procs, bad, catalog.ImportOptions{
		SkipInvalid: skip,
		Progress: func(done, total int) {
			// Every tenth is enough to show a large file is moving.
			if total >= 1000 && done*10/total > step {
				step = done * 10 / total
				fmt.Fprintf(stderr, "saved %d/%d\n", done, total)
			}
		},
	})
	var inv *catalog.InvalidFileError
	if errors.As(err, &inv) {
		return fmt.Errorf("%d invalid records; nothing imported (use -skip-invalid to import the rest)", len(inv.Records))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d created, %d updated, %d unchanged, %d skipped\n",
		filepath.Base(path), rep.Created, rep.Updated, rep.Unchanged, len(rep.Skipped))
	return nil
}

// unitFile is the units import format.
type unitFile struct {
	Units []struct {
		Code    string `json:"code"`
		Name    string `json:"name"`
		Level   string `json:"level"`
		Parent  string `json:"parent"`
		Agency  string `json:"agency_code"`
		Address string `json:"address"`
		Phone   string `json:"phone"`
	} `json:"units"`
}

// importUnits adds the units of a file (parents first), all or none; a unit
// already there as it is stays untouched, so a file can be imported twice.
func importUnits(ctx context.Context, e *app.App, data []byte, stdout io.Writer) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f unitFile
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("not a units file ({\"units\": [...]}): %w", err)
	}
	units := make([]unit.Unit, 0, len(f.Units))
	for _, u := range f.Units {
		units = append(units, unit.Unit{Code: u.Code, Name: u.Name, Level: catalog.Level(u.Level), ParentCode: u.Parent, AgencyCode: u.Agency,
			Address: u.Address, Phone: u.Phone})
	}
	added, kept, err := e.Units.AddAll(ctx, units)
	if err != nil {
		return errors.New(describe(e.Text.For("en"), err) + "; nothing imported")
	}
	fmt.Fprintf(stdout, "units: %d added, %d already present\n", added, kept)
	return nil
}

// importOffices provisions the offices of a file ({"offices": […]},
// docs/domain.md "The offices file"), all or nothing, each bad entry
// reported on stderr by its path.
func importOffices(ctx context.Context, e *app.App, data []byte, stdout, stderr io.Writer) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f queue.OfficesFile
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("not an offices file ({\"offices\": [...]}): %w", err)
	}
	rep, err := e.Queue.ImportOffices(ctx, staff.Operator(), f)
	if ae := apperr.As(err); err != nil && len(ae.Fields) > 0 {
		t := e.Text.For("en")
		for _, fe := range ae.Fields {
			fmt.Fprintf(stderr, "%s: %s\n", fe.Field, t.Map(fe.MessageID, fe.Params))
		}
		return fmt.Errorf("%d invalid entries; nothing imported", len(ae.Fields))
	}
	if err != nil {
		return errors.New(describe(e.Text.For("en"), err) + "; nothing imported")
	}
	for _, code := range rep.Closed {
		fmt.Fprintf(stderr, "office %s has no opening hours: closed until it gets some\n", code)
	}
	fmt.Fprintf(stdout, "offices: %d created, %d updated\n", rep.Created, rep.Updated)
	return nil
}
