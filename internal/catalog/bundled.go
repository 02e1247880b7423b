package catalog

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
)

// bundled is the catalog the portal ships: real procedures from the national
// database, so a new installation has something true to show.
//
//go:embed data/procedures.json
var bundled []byte

// SeedIfEmpty imports the bundled catalog into an empty catalog, so a
// newcomer sees real procedures. It reports how many it added.
func (s *Service) SeedIfEmpty(ctx context.Context) (int, error) {
	if err := s.Refresh(ctx); err != nil {
		return 0, err
	}
	if s.Count() > 0 {
		return 0, nil
	}
	procs, bad, err := ParseJSON(bytes.NewReader(bundled))
	if err != nil || len(bad) > 0 {
		return 0, fmt.Errorf("catalog: the bundled catalog is broken: %v %v", err, bad)
	}
	rep, err := s.Import(ctx, procs, nil, ImportOptions{})
	if err != nil {
		return 0, err
	}
	return rep.Created, nil
}
