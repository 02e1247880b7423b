package main

import (
	"encoding/base64"
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/rating"
)

// deskPrintData is a printable paper about one dossier.
type deskPrintData struct {
	D             dossier.Dossier
	ProcedureName string
	UnitName      string
	AgencyCode    string
	// The papers are signed with a full name and title, never a login
	// name: empty when the account has none recorded.
	ReceivedBy, ReceivedByTitle string
	ApologyBy, ApologyByTitle   string
	TrackURL                    string
	QR                          template.URL // a data: URI (the CSP allows img data:)
	// Provisional: the due date was counted across days whose schedule the
	// government has not confirmed yet, so it may still move.
	Provisional bool
}

// printData loads a dossier of the staff member's units for printing.
func (s *server) printData(c *fiber.Ctx) (deskPrintData, error) {
	d, err := s.dossiers.Get(c.UserContext(), actorOf(c), c.Params("code"))
	if err != nil {
		return deskPrintData{}, err
	}
	p := deskPrintData{D: d, TrackURL: s.cfg.PublicURL + "/track?code=" + url.QueryEscape(d.Code)}
	if pr, err := s.catalog.Get(d.ProcedureCode); err == nil {
		p.ProcedureName = pr.Name // the papers are official, in Vietnamese
	}
	u := s.unitOf(c, d.UnitCode)
	p.UnitName, p.AgencyCode = u.Name, u.AgencyCode
	p.Provisional = s.dossiers.Calendar().Provisional(d.ReceivedAt, d.DueAt)
	if e, ok := d.LastEvent(dossier.Received); ok {
		if p.ReceivedBy, p.ReceivedByTitle, err = s.staff.Signer(c.UserContext(), e.Actor); err != nil {
			return deskPrintData{}, err
		}
	}
	if d.Apology != nil {
		if p.ApologyBy, p.ApologyByTitle, err = s.staff.Signer(c.UserContext(), d.Apology.By); err != nil {
			return deskPrintData{}, err
		}
	}
	return p, nil
}

// deskReceipt is the receipt and appointment slip (Giấy tiếp nhận hồ sơ và
// hẹn trả kết quả), with a QR code that opens the tracking page with the
// code filled in.
func (s *server) deskReceipt(c *fiber.Ctx) error {
	p, err := s.printData(c)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(p.TrackURL, qrcode.Medium, 256)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "error.internal", err)
	}
	p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	return s.deskPage(c, "desk_receipt", s.tr(c).T("desk.receipt.title", "Code", p.D.Code), p)
}

// deskApologyLetter is the apology letter with the new date (Phiếu xin lỗi
// và hẹn lại ngày trả kết quả), once issued.
func (s *server) deskApologyLetter(c *fiber.Ctx) error {
	p, err := s.printData(c)
	if err != nil {
		return err
	}
	if p.D.Apology == nil {
		return apperr.ErrNotFound
	}
	return s.deskPage(c, "desk_apology", s.tr(c).T("desk.apology.title", "Code", p.D.Code), p)
}

// deskResultSlip is the slip handed over with the result (Phiếu trả kết
// quả): its QR code is a signed link that rates the dossier without a
// phone (docs/domain.md, "Satisfaction and feedback"). Only once the
// dossier is done or returned.
func (s *server) deskResultSlip(c *fiber.Ctx) error {
	p, err := s.printData(c)
	if err != nil {
		return err
	}
	if !p.D.Status.Finished() {
		return rating.ErrDossierNotDone
	}
	path, err := s.ratings.Links().Path(c.UserContext(), p.D.Code, rating.LinkTTL)
	if err != nil {
		return err
	}
	p.TrackURL = s.cfg.PublicURL + path
	png, err := qrcode.Encode(p.TrackURL, qrcode.Medium, 256)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "error.internal", err)
	}
	p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	return s.deskPage(c, "desk_result_slip", s.tr(c).T("desk.slip.title", "Code", p.D.Code), p)
}
