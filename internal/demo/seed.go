// Package demo fills a fresh portal with demonstration data, once: a unit
// tree, staff accounts of every role, a queue office, 300 dossiers over the
// last 90 days, ratings, feedback and a year of scorecard figures. It works
// through the services of internal/app, as any other front door would, so
// the demo data pass the same rules as real data.
package demo

import (
	"context"
	"fmt"
	"io"

	"motcua/internal/app"
	"motcua/internal/apperr"
	"motcua/internal/catalog"
	"motcua/internal/unit"
)

// Seed adds a small unit tree, once; running with -demo again leaves the
// data as it is.
func Seed(ctx context.Context, e *app.App, stdout io.Writer) error {
	units := []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42",
			Address: "Trung tâm Hành chính huyện, thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam", Phone: "0235 3874 000"},
		{Code: "TB-HA", Name: "Thị trấn Hà Lam", Level: catalog.LevelCommune, ParentCode: "TB", AgencyCode: "000.31.31.H42",
			Address: "Trung tâm Phục vụ hành chính công thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam", Phone: "0235 3874 101"},
		{Code: "TB-BA", Name: "Xã Bình An", Level: catalog.LevelCommune, ParentCode: "TB", AgencyCode: "000.32.31.H42",
			Address: "Trụ sở UBND xã Bình An, huyện Thăng Bình, tỉnh Quảng Nam", Phone: "0235 3874 102"},
	}
	added := 0
	for _, u := range units {
		if _, err := e.Units.Add(ctx, u); err != nil {
			if apperr.CodeOf(err) == apperr.Conflict {
				continue
			}
			return err
		}
		added++
	}
	if added > 0 {
		fmt.Fprintf(stdout, "demo: %d units added\n", added)
	}
	if err := Staff(ctx, e, stdout); err != nil {
		return err
	}
	if err := Dossiers(ctx, e, stdout); err != nil {
		return err
	}
	if err := Queue(ctx, e, stdout); err != nil {
		return err
	}
	if err := Satisfaction(ctx, e, stdout); err != nil {
		return err
	}
	if err := Scorecard(ctx, e, stdout); err != nil {
		return err
	}
	return nil
}
