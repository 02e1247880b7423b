package catalog

import (
	"context"
	"sort"
)

// ImportReport says what an import did.
type ImportReport struct {
	SaveResult
	Records int           // records read from the file
	Skipped []RecordError // invalid records left out (only with SkipInvalid)
}

// ImportOptions tune an import.
type ImportOptions struct {
	// SkipInvalid imports the valid records when some are invalid; without
	// it one invalid record stops the whole import before anything is written.
	SkipInvalid bool
	// Progress, if set, is told how many of the valid records are saved.
	Progress func(done, total int)
}

// InvalidFileError lists every bad record of a file that was not imported.
type InvalidFileError struct{ Records []RecordError }

func (e *InvalidFileError) Error() string {
	return "the file has invalid records; nothing was imported"
}

// Import validates parsed records and saves them in one transaction: all of
// them, or none when any is invalid (unless opts.SkipInvalid). Saving is
// idempotent: a record already in the catalog as it is stays untouched.
func (s *Service) Import(ctx context.Context, procs []Procedure, bad []RecordError, opts ImportOptions) (ImportReport, error) {
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Position < bad[j].Position })
	rep := ImportReport{Records: len(procs)}
	if len(bad) > 0 && !opts.SkipInvalid {
		return rep, &InvalidFileError{Records: bad}
	}
	skip := map[string]bool{}
	for _, b := range bad {
		skip[b.Code] = true
	}
	valid := make([]Procedure, 0, len(procs))
	seen := map[string]bool{}
	for _, p := range procs {
		if skip[p.Code] || seen[p.Code] || len(p.Validate()) > 0 {
			continue
		}
		seen[p.Code] = true
		valid = append(valid, p)
	}
	rep.Skipped = bad
	var progress func(int)
	if opts.Progress != nil {
		progress = func(done int) { opts.Progress(done, len(valid)) }
	}
	res, err := s.store.SaveProcedures(ctx, valid, s.now(), progress)
	if err != nil {
		return rep, err
	}
	rep.SaveResult = res
	return rep, s.Refresh(ctx)
}
