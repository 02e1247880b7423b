package main

import (
	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/apperr"
	"motcua/internal/dossier"
)

// initSatisfaction gives the server the rating and feedback services
// (docs/domain.md, "Satisfaction and feedback").
func (s *server) initSatisfaction(e *app.App) {
	s.ratings = e.Ratings
	s.feedback = e.Feedback
}

// citizenOf is the actor of someone who gives a dossier's phone: a
// citizen who proves it by knowing it with the code. An empty or malformed
// phone is a bad field, checked before anything is read.
func citizenOf(phone string) (actor.Actor, error) {
	p, ok := dossier.NormalizePhone(phone)
	if !ok {
		id := "dossier.error.phone"
		if phone == "" {
			id = "error.field.required"
		}
		return actor.Anon(), apperr.Fields([]apperr.FieldError{{Field: "phone", MessageID: id}})
	}
	return actor.Actor{Kind: actor.Citizen, Phone: p}, nil
}
