package demo

import (
	"context"
	"fmt"
	"io"

	"motcua/internal/app"
	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/staff"
)

// Office is the demo's reception hall of unit TB.
const Office = "TB-MC"

// Queue adds the demo office with three services and four
// counters. Anything already there (from an earlier start, or another
// instance that was quicker) is left as it is.
func Queue(ctx context.Context, e *app.App, stdout io.Writer) error {
	added := 0
	exists := func(err error) (bool, error) {
		if apperr.CodeOf(err) == apperr.Conflict {
			return true, nil
		}
		return false, err
	}
	// The default opening hours (Monday to Friday): outside them the demo
	// kiosk says when it opens next, as a real one does.
	_, err := e.Queue.CreateOffice(ctx, staff.Operator(), queue.Office{Code: Office, Name: "Bộ phận Một cửa huyện Thăng Bình", UnitCode: "TB",
		Address: "Trung tâm Hành chính huyện, thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam", Phone: "0235 3874 000"})
	if dup, err := exists(err); err != nil {
		return fmt.Errorf("demo office: %w", err)
	} else if !dup {
		added++
	}
	services := []queue.Service{
		{Code: "hotich", NameVi: "Hộ tịch – Chứng thực", NameEn: "Civil status – Certification", Prefix: "A",
			Fields: []string{"Hộ tịch", "Chứng thực", "Nuôi con nuôi", "Đăng ký, quản lý cư trú"}},
		{Code: "datdai", NameVi: "Đất đai – Xây dựng", NameEn: "Land – Construction", Prefix: "B",
			Fields: []string{"Đất đai", "Xây dựng", "Tài nguyên và Môi trường", "Hạ tầng kỹ thuật"}},
		{Code: "kinhdoanh", NameVi: "Kinh doanh – Lĩnh vực khác", NameEn: "Business – Other matters", Prefix: "C",
			Fields: []string{"Thành lập và hoạt động của hộ kinh doanh", "Bảo trợ xã hội", "Người có công", "Giáo dục và Đào tạo"}},
	}
	for i, s := range services {
		s.OfficeCode, s.Position = Office, i
		_, err := e.Queue.CreateService(ctx, staff.Operator(), s)
		if dup, err := exists(err); err != nil {
			return fmt.Errorf("demo service %s: %w", s.Code, err)
		} else if !dup {
			added++
		}
	}
	counters := []queue.Counter{
		{Number: 1, Name: "Quầy 1", Services: []string{"hotich"}},
		{Number: 2, Name: "Quầy 2", Services: []string{"hotich", "kinhdoanh"}},
		{Number: 3, Name: "Quầy 3", Services: []string{"datdai"}},
		{Number: 4, Name: "Quầy 4", Services: []string{"datdai", "kinhdoanh"}},
	}
	for _, c := range counters {
		c.OfficeCode = Office
		_, err := e.Queue.CreateCounter(ctx, staff.Operator(), c)
		if dup, err := exists(err); err != nil {
			return fmt.Errorf("demo counter %d: %w", c.Number, err)
		} else if !dup {
			added++
		}
	}
	if added > 0 {
		fmt.Fprintf(stdout, "demo: queue office %s set up (/kiosk/%s, /display/%s)\n", Office, Office, Office)
	}
	return nil
}
