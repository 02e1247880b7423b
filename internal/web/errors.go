package web

import (
	"net/http"
	"strings"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
)

// Described is an error as a front door shows it: its code, the HTTP
// status, the message and each bad field in the reader's language.
type Described struct {
	Code    apperr.Code
	Status  int
	Message string
	// Fields have their Message translated.
	Fields []apperr.FieldError
	// Internal: a bug or a store that does not answer; the message is the
	// translated apology, and the caller logs the error once.
	Internal bool
}

// Describe is the one place an error becomes a status, a translated message
// and its field list, for pages, the JSON API, the kiosk and the bot. An
// error of unknown kind is an internal one: its text is never shown.
func Describe(t *i18n.Translator, err error) Described {
	ae := apperr.As(err)
	d := Described{Code: ae.Code, Status: Status(ae.Code), Message: t.Map(ae.MessageID, ae.Params)}
	d.Internal = d.Status >= 500
	for _, f := range ae.Fields {
		f.Message = t.Map(f.MessageID, f.Params)
		d.Fields = append(d.Fields, f)
	}
	return d
}

// Line is the message with its bad fields on one line, for a console
// notice, a chat reply or a terminal.
func (d Described) Line() string {
	var b strings.Builder
	b.WriteString(d.Message)
	for _, f := range d.Fields {
		b.WriteString(" ")
		b.WriteString(f.Message)
	}
	return b.String()
}

// Status maps an error code to its HTTP status.
func Status(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.Malformed:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.HeaderTooBig:
		return http.StatusRequestHeaderFieldsTooLarge
	}
	return http.StatusInternalServerError
}
