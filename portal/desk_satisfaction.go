package main

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/actor"
	"motcua/internal/apperr"
	"motcua/internal/feedback"
	"motcua/internal/rating"
)

// deskSatisfaction is what the top of the desk flags: follow-ups and
// feedback past their deadline, and how many are open.
type deskSatisfaction struct {
	LateFollowUps []rating.FollowUp
	LateFeedback  []feedback.Feedback
	OpenFeedback  int
	OpenFollowUps int
	Head          bool
}

// deskSatisfactionOf is the desk's satisfaction flags for the member.
func (s *server) deskSatisfactionOf(c *fiber.Ctx, a actor.Actor) (*deskSatisfaction, error) {
	ctx := c.UserContext()
	d := &deskSatisfaction{Head: a.Is(actor.RoleHead, actor.RoleAdmin)}
	var err error
	if d.LateFollowUps, err = s.ratings.OverdueFollowUps(ctx, a); err != nil {
		return nil, err
	}
	if d.LateFeedback, err = s.feedback.Overdue(ctx, a); err != nil {
		return nil, err
	}
	open, err := s.feedback.List(ctx, a, true)
	if err != nil {
		return nil, err
	}
	d.OpenFeedback = len(open)
	if d.Head {
		fu, err := s.ratings.FollowUps(ctx, a, true)
		if err != nil {
			return nil, err
		}
		d.OpenFollowUps = len(fu)
	}
	return d, nil
}

type deskFeedbackListData struct {
	Items      []feedback.Feedback
	All        bool
	Now        time.Time
	Head       bool
	Unit       string
	AnswerDays int
	Flags      *deskSatisfaction
}

// deskFeedbackList is GET /desk/feedback: open feedback first, by deadline
// (?all=1 adds the answered), with the unit's deadline setting for heads.
func (s *server) deskFeedbackList(c *fiber.Ctx) error {
	a := staffOf(c).Actor()
	all := c.Query("all") == "1"
	items, err := s.feedback.List(c.UserContext(), a, !all)
	if err != nil {
		return err
	}
	data := deskFeedbackListData{Items: items, All: all, Now: s.now(), Head: a.Is(actor.RoleHead, actor.RoleAdmin) && a.Unit != "", Unit: a.Unit}
	if data.Head {
		if data.AnswerDays, err = s.feedback.AnswerDays(c.UserContext(), a.Unit); err != nil {
			return err
		}
	}
	return s.deskPage(c, "desk_feedback", s.tr(c).T("desk.feedback.title"), data)
}

// deskFeedbackSettings is POST /desk/feedback/settings: the unit's
// deadline for new feedback, in working days (its head).
func (s *server) deskFeedbackSettings(c *fiber.Ctx) error {
	a := staffOf(c).Actor()
	days, err := strconv.Atoi(c.FormValue("answer_days"))
	if err != nil {
		days = 0
	}
	if err := s.feedback.SetAnswerDays(c.UserContext(), a, a.Unit, days); err != nil {
		return err
	}
	return c.Redirect("/desk/feedback?saved=1", fiber.StatusSeeOther)
}

type deskFeedbackData struct {
	F      feedback.Feedback
	Head   bool
	Mine   bool // assigned to the member
	Now    time.Time
	Error  string
	Fields map[string]string
	Draft  string
}

// deskFeedback is GET /desk/feedback/{code}.
func (s *server) deskFeedback(c *fiber.Ctx) error {
	return s.deskFeedbackPage(c, "", nil, fiber.StatusOK)
}

func (s *server) deskFeedbackPage(c *fiber.Ctx, msg string, fields []apperr.FieldError, status int) error {
	a := staffOf(c).Actor()
	f, err := s.feedback.Desk(c.UserContext(), a, c.Params("code"))
	if err != nil {
		return err
	}
	data := deskFeedbackData{F: f, Head: a.StaffIn(f.UnitCode, actor.RoleHead), Mine: f.AssignedTo == a.Name,
		Now: s.now(), Error: msg, Fields: map[string]string{}, Draft: f.Draft}
	for _, fe := range fields {
		data.Fields[fe.Field] = fe.Message
	}
	c.Status(status)
	return s.deskPage(c, "desk_feedback_item", s.tr(c).T("desk.feedback.item_title", "Code", f.Code), data)
}

// deskFeedbackAction is POST /desk/feedback/{code}/{action}: assign, draft,
// answer, publish or unpublish. A refused action shows the page again with
// why, nothing changed.
func (s *server) deskFeedbackAction(c *fiber.Ctx) error {
	a := staffOf(c).Actor()
	code, ctx := c.Params("code"), c.UserContext()
	var err error
	switch c.Params("action") {
	case "assign":
		_, err = s.feedback.Assign(ctx, a, code, c.FormValue("officer"))
	case "draft":
		_, err = s.feedback.SaveDraft(ctx, a, code, c.FormValue("draft"))
	case "answer":
		_, err = s.feedback.Answer(ctx, a, code, c.FormValue("answer"), c.FormValue("publish") == "1")
	case "publish", "unpublish":
		_, err = s.feedback.SetPublished(ctx, a, code, c.Params("action") == "publish")
	default:
		return apperr.ErrNotFound
	}
	if err != nil {
		ae := apperr.As(err)
		if ae.Code == apperr.Invalid || ae.Code == apperr.Conflict {
			msg, fields := translateError(s.tr(c), ae)
			return s.deskFeedbackPage(c, msg, fields, statusOf(ae.Code))
		}
		return err
	}
	return c.Redirect("/desk/feedback/"+url.PathEscape(code)+"?done="+c.Params("action"), fiber.StatusSeeOther)
}

type deskFollowUpsData struct {
	Items []rating.FollowUp
	All   bool
	Now   time.Time
}

// deskFollowUps is GET /desk/follow-ups: the low ratings to follow up,
// open ones first by deadline (heads and administrators).
func (s *server) deskFollowUps(c *fiber.Ctx) error {
	all := c.Query("all") == "1"
	items, err := s.ratings.FollowUps(c.UserContext(), staffOf(c).Actor(), !all)
	if err != nil {
		return err
	}
	return s.deskPage(c, "desk_followups", s.tr(c).T("desk.followups.title"), deskFollowUpsData{Items: items, All: all, Now: s.now()})
}

type deskFollowUpData struct {
	F             rating.FollowUp
	Now           time.Time
	Questions     []questionView
	Action, Reply string
	Error         string
	Fields        map[string]string
	CounterName   string
	ProcedureName string
}

func followUpID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// deskFollowUp is GET /desk/follow-ups/{id}: the low rating, the dossier or
// visit behind it and its officer, and the form to close it.
func (s *server) deskFollowUp(c *fiber.Ctx) error {
	return s.deskFollowUpPage(c, deskFollowUpData{}, fiber.StatusOK)
}

func (s *server) deskFollowUpPage(c *fiber.Ctx, data deskFollowUpData, status int) error {
	id, err := followUpID(c)
	if err != nil {
		return err
	}
	f, err := s.ratings.FollowUp(c.UserContext(), staffOf(c).Actor(), id)
	if err != nil {
		return err
	}
	t := s.tr(c)
	data.F, data.Now, data.Questions = f, s.now(), questionsOf(t, f.Rating.Answers)
	names := s.figureNames(c.UserContext(), langOf(c))
	if f.Rating.CounterID != 0 {
		data.CounterName = names.counter(strconv.FormatInt(f.Rating.CounterID, 10))
	}
	if f.Rating.ServiceCode != "" {
		data.ProcedureName = names.service(rating.Stat{Kind: f.Rating.Kind, Key: f.Rating.ServiceCode})
	}
	c.Status(status)
	return s.deskPage(c, "desk_followup", t.T("desk.followup.title", "ID", f.ID), data)
}

// deskCloseFollowUp is POST /desk/follow-ups/{id}: what was done and the
// reply to the citizen (queued in the outbox); the follow-up is closed.
func (s *server) deskCloseFollowUp(c *fiber.Ctx) error {
	id, err := followUpID(c)
	if err != nil {
		return err
	}
	action, reply := c.FormValue("action"), c.FormValue("reply")
	_, err = s.ratings.CloseFollowUp(c.UserContext(), staffOf(c).Actor(), id, action, reply)
	if err != nil {
		ae := apperr.As(err)
		if ae.Code == apperr.Invalid || ae.Code == apperr.Conflict {
			data := deskFollowUpData{Action: action, Reply: reply, Fields: map[string]string{}}
			var fields []apperr.FieldError
			data.Error, fields = translateError(s.tr(c), ae)
			for _, fe := range fields {
				data.Fields[fe.Field] = fe.Message
			}
			return s.deskFollowUpPage(c, data, statusOf(ae.Code))
		}
		return err
	}
	return c.Redirect("/desk/follow-ups/"+strconv.FormatInt(id, 10)+"?closed=1", fiber.StatusSeeOther)
}
