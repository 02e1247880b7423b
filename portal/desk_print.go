package main

import (
	"encoding/base64"
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/rating"
)

// deskPrintData is a printable paper about one dossier. The papers are
// official Vietnamese documents (the forms of Circular 01/2018/TT-VPCP):
// they print in Vietnamese whatever the language of the desk, with V, and
// only the page around them (the back link, the print button, the note
// saying so) follows the reader's language.
type deskPrintData struct {
	V             *i18n.Translator
	English       bool // the desk is in English: say why the paper is not
	D             dossier.Dossier
	ProcedureName string
	// ProcedureNameEn is the procedure's English name when the desk is in
	// English: the receipt and the result slip give it beside the official
	// name, for a citizen who reads English.
	ProcedureNameEn string
	UnitName        string
	AgencyCode      string
	// The papers are signed with a full name and title, never a login
	// name: empty when the account has none recorded.
	ReceivedBy, ReceivedByTitle string
	ApologyBy, ApologyByTitle   string
	TrackURL                    string
	QR                          template.URL // a data: URI (the CSP allows img data:)
	// Provisional: the due date was counted across days whose schedule the
	// government has not confirmed yet, so it may still move.
	Provisional bool
	// Step is the move a request to supplement or a refusal slip records:
	// its time and note (what is missing, or the reason), signed by whoever
	// recorded it.
	Step                dossier.Event
	StepBy, StepByTitle string
	// Where is where the result is collected: the unit's one-stop
	// department as the tracking page names it, with its office's hours
	// when the unit has one office (docs/domain.md, "Where to go").
	Where      dossier.Contact
	WhereHours []queue.DaySpan
}

// printData loads a dossier of the staff member's units for printing.
func (s *server) printData(c *fiber.Ctx) (deskPrintData, error) {
	d, err := s.dossiers.Get(c.UserContext(), actorOf(c), c.Params("code"))
	if err != nil {
		return deskPrintData{}, err
	}
	p := deskPrintData{D: d, TrackURL: s.cfg.PublicURL + "/track?code=" + url.QueryEscape(d.Code),
		V: s.text.For("vi"), English: langOf(c) == "en"}
	if pr, err := s.catalog.Get(d.ProcedureCode); err == nil {
		p.ProcedureName = pr.Name // the papers are official, in Vietnamese
		if p.English && pr.NameEn != "" && pr.NameEn != pr.Name {
			p.ProcedureNameEn = pr.NameEn
		}
	}
	u := s.unitOf(c, d.UnitCode)
	p.UnitName, p.AgencyCode = u.Name, u.AgencyCode
	p.Provisional = s.dossiers.Calendar().Provisional(d.ReceivedAt, d.DueAt)
	if p.Where, err = s.dossiers.Contact(c.UserContext(), d.UnitCode); err != nil {
		return deskPrintData{}, err
	}
	if o, ok, err := s.queue.UnitOffice(c.UserContext(), d.UnitCode); err != nil {
		return deskPrintData{}, err
	} else if ok {
		p.WhereHours = o.Hours.Week()
		if p.Where.Address == "" && p.Where.Phone == "" {
			p.Where.Address, p.Where.Phone = o.Address, o.Phone
		}
	}
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
	return s.paperPage(c, "desk_receipt", s.tr(c).T("desk.receipt.title", "Code", p.D.Code), p)
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
	return s.paperPage(c, "desk_apology", s.tr(c).T("desk.apology.title", "Code", p.D.Code), p)
}

// deskStepPaper prints the paper of a step: the request to supplement
// (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) listing everything missing, or
// the refusal slip (Phiếu từ chối tiếp nhận hồ sơ) with the reason
// (docs/domain.md). A dossier that never made the step has no such paper.
func (s *server) deskStepPaper(st dossier.Status, page, titleID string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.printData(c)
		if err != nil {
			return err
		}
		e, ok := p.D.LastEvent(st)
		if !ok {
			return apperr.ErrNotFound
		}
		p.Step = e
		if p.StepBy, p.StepByTitle, err = s.staff.Signer(c.UserContext(), e.Actor); err != nil {
			return err
		}
		return s.paperPage(c, page, s.tr(c).T(titleID, "Code", p.D.Code), p)
	}
}

// paperPage shows a printable paper: a desk page whose print starts with
// the national heading, without the site's banner.
func (s *server) paperPage(c *fiber.Ctx, name, title string, p deskPrintData) error {
	c.Locals(localBodyClass, "desk paper-page")
	return s.deskPage(c, name, title, p)
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
	// Signed by whoever handed the result over, or, before that, by the
	// clerk printing it to hand it over.
	by := staffOf(c).Username
	if e, ok := p.D.LastEvent(dossier.Returned); ok {
		by = e.Actor
	}
	if p.StepBy, p.StepByTitle, err = s.staff.Signer(c.UserContext(), by); err != nil {
		return err
	}
	return s.paperPage(c, "desk_result_slip", s.tr(c).T("desk.slip.title", "Code", p.D.Code), p)
}
