package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
)

func TestDescribe(t *testing.T) {
	cat, err := i18n.New(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	en := cat.For("en")
	cases := []struct {
		name     string
		err      error
		status   int
		internal bool
	}{
		{"invalid fields are 422 with each field translated",
			apperr.Fields([]apperr.FieldError{{Field: "phone", MessageID: "dossier.error.phone"}}), http.StatusUnprocessableEntity, false},
		{"not found is 404", apperr.ErrNotFound, http.StatusNotFound, false},
		{"a refusal is 403", apperr.New(apperr.Forbidden, "error.forbidden"), http.StatusForbidden, false},
		{"a store that does not answer is 503", apperr.New(apperr.Unavailable, "error.unavailable"), http.StatusServiceUnavailable, true},
		{"an error of unknown kind is 500 and its text is never shown", errors.New("pq: secret detail"), http.StatusInternalServerError, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Describe(en, tc.err)
			if d.Status != tc.status || d.Internal != tc.internal {
				t.Errorf("status %d internal %v, want %d %v", d.Status, d.Internal, tc.status, tc.internal)
			}
			if d.Message == "" || strings.Contains(d.Line(), "secret") || strings.Contains(d.Line(), "error.") {
				t.Errorf("message %q", d.Line())
			}
			for _, f := range d.Fields {
				if f.Message == "" || f.Message == f.MessageID {
					t.Errorf("field %s untranslated: %q", f.Field, f.Message)
				}
			}
		})
	}
}
