package main

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/web"
)

// statusOf maps an error code to its HTTP status (web.Status).
func statusOf(code apperr.Code) int { return web.Status(code) }

// fromFiber turns Fiber's own errors (no route, body too large, …) into ours.
func fromFiber(err error) *apperr.Error {
	var fe *fiber.Error
	if !errors.As(err, &fe) {
		return apperr.As(err)
	}
	switch fe.Code {
	case http.StatusNotFound:
		return apperr.ErrNotFound
	case http.StatusMethodNotAllowed:
		return apperr.New(apperr.Malformed, "error.method")
	case http.StatusRequestEntityTooLarge:
		return apperr.New(apperr.TooLarge, "error.too_large")
	case http.StatusRequestHeaderFieldsTooLarge:
		return apperr.New(apperr.HeaderTooBig, "error.header_too_large")
	case http.StatusTooManyRequests:
		return apperr.New(apperr.RateLimited, "error.rate_limited")
	case http.StatusForbidden:
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return apperr.New(apperr.Malformed, "error.bad_request")
	}
	return apperr.Wrap(apperr.Internal, "error.internal", err)
}

type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    apperr.Code         `json:"code"`
	Message string              `json:"message"`
	Fields  []apperr.FieldError `json:"fields,omitempty"`
}

// handleError answers with the error in the reader's language: JSON under
// /api, a page elsewhere. Internal errors are logged here, once, with the
// request ID, and never shown. fasthttp calls it too, through Fiber, for the
// requests it refuses before any middleware runs (a body over the limit, a
// URL or header over the read buffer), so it sets the security headers
// itself.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	s.setSecurityHeaders(c)
	ae := fromFiber(err)
	status := statusOf(ae.Code)
	if status >= 500 {
		s.log.Error("request failed", "request_id", requestIDOf(c), "method", c.Method(), "path", c.Path(), "code", ae.Code, "err", err)
	}
	body := apiErrorBody{Code: ae.Code}
	body.Message, body.Fields = translateError(s.tr(c), ae)
	if ae.Code == apperr.RateLimited && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
		retry := "60"
		if n, ok := ae.Params["RetryAfter"].(int); ok && n > 0 {
			retry = strconv.Itoa(n)
		}
		c.Set(fiber.HeaderRetryAfter, retry)
	}
	c.Status(status)
	if strings.HasPrefix(c.Path(), "/api/") || !s.pages.Has("error") {
		return c.JSON(apiError{Error: body})
	}
	return s.render(c, "error", body.Message, body)
}

// translateError is an error's message and its bad fields (each with its
// Message set) in the reader's language, for an API body or a form.
func translateError(t *i18n.Translator, ae *apperr.Error) (string, []apperr.FieldError) {
	d := web.Describe(t, ae)
	return d.Message, d.Fields
}

// apiNotFound answers an unknown API path in JSON.
func (s *server) apiNotFound(c *fiber.Ctx) error { return apperr.ErrNotFound }

// pageNotFound answers an unknown page.
func (s *server) pageNotFound(c *fiber.Ctx) error { return apperr.ErrNotFound }

// pageDescriptions names the meta description of each public page; a page
// not listed gets the site's own (meta.description). Title is the page's
// title, so that a procedure's page describes that procedure.
var pageDescriptions = map[string]string{
	"home": "meta.description.home", "procedures": "meta.description.procedures",
	"procedure": "meta.description.procedure", "track": "meta.description.track",
	"feedback": "meta.description.feedback", "feedback_item": "meta.description.feedback",
	"satisfaction": "meta.description.satisfaction", "rate": "meta.description.rate",
}

// render writes a page in the reader's language.
func (s *server) render(c *fiber.Ctx, name, title string, data any) error {
	c.Type("html", "utf-8")
	t := s.tr(c)
	p := web.Page{T: t, Lang: langOf(c), Title: title, Path: c.Path(), Query: queryWithoutLang(c), Data: data}
	if id, ok := pageDescriptions[name]; ok {
		p.Description = t.T(id, "Title", title)
	}
	return s.pages.Render(c, name, p)
}
