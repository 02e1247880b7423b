// Package apperr is the one error type that crosses layers: a stable code for
// machines, a message ID for people, and the wrapped cause for the log.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error; the edges map it to an HTTP status or a bot reply.
type Code string

const (
	Invalid      Code = "invalid"          // 422: well-formed but breaks a rule
	Malformed    Code = "bad_request"      // 400: cannot be parsed
	NotFound     Code = "not_found"        // 404
	Conflict     Code = "conflict"         // 409
	Unauthorized Code = "unauthorized"     // 401
	Forbidden    Code = "forbidden"        // 403
	RateLimited  Code = "rate_limited"     // 429
	TooLarge     Code = "too_large"        // 413: a body over the limit
	HeaderTooBig Code = "header_too_large" // 431: a request line or header over the read buffer
	Unavailable  Code = "unavailable"      // 503: the store does not answer
	Internal     Code = "internal"         // 500: a bug or an unexpected failure
)

// FieldError names one bad field of a request or of an imported record.
type FieldError struct {
	Field     string         `json:"field"`
	MessageID string         `json:"-"`
	Params    map[string]any `json:"-"`
	Message   string         `json:"message,omitempty"`
}

// Error is returned by the service layer. MessageID is a key of locales/.
type Error struct {
	Code      Code
	MessageID string
	Params    map[string]any
	Fields    []FieldError
	Err       error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s (%s): %v", e.Code, e.MessageID, e.Err)
	}
	return fmt.Sprintf("%s (%s)", e.Code, e.MessageID)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a message ID.
func New(code Code, messageID string) *Error {
	return &Error{Code: code, MessageID: messageID}
}

// With returns a copy of e carrying template parameters for its message.
func (e *Error) With(params map[string]any) *Error {
	c := *e
	c.Params = params
	return &c
}

// Wrap attaches a cause that is logged but never shown.
func Wrap(code Code, messageID string, err error) *Error {
	return &Error{Code: code, MessageID: messageID, Err: err}
}

// Fields builds an Invalid error that lists every bad field.
func Fields(fields []FieldError) *Error {
	return &Error{Code: Invalid, MessageID: "error.invalid_fields", Fields: fields}
}

// ErrNotFound is the generic "no such thing" error.
var ErrNotFound = New(NotFound, "error.not_found")

// As returns the *Error in err's chain, or an Internal error that wraps err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, MessageID: "error.internal", Err: err}
}

// CodeOf returns the code of err, Internal for an error of unknown kind.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return As(err).Code
}

// IsNotFound reports whether err means "no such thing".
func IsNotFound(err error) bool { return CodeOf(err) == NotFound }
