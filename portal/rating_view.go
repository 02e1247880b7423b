package main

import (
	"html/template"
	"strconv"

	"motcua/internal/i18n"
	"motcua/internal/rating"
	"motcua/internal/web"
)

// questionView is a rating question as forms show it: its wording and its
// three levels, best first, with a face for those who do not read.
type questionView struct {
	Key, Text, Hint string
	Required        bool
	Levels          []levelView
}

type levelView struct {
	Value   int
	Label   string
	Face    template.HTML
	ID      string // the radio's id: q-KEY-N
	Checked bool
}

// questionsOf lists the questions in the reader's language; answers marks
// what the citizen already chose (a form shown again after an error).
func questionsOf(t *i18n.Translator, answers ...map[string]int) []questionView {
	var chosen map[string]int
	if len(answers) > 0 {
		chosen = answers[0]
	}
	var out []questionView
	for _, q := range rating.Questions() {
		v := questionView{Key: q.Key, Required: q.Required, Text: t.T("rating.q." + q.Key), Hint: t.T("rating.q." + q.Key + ".hint")}
		for _, l := range rating.Levels {
			n := strconv.Itoa(l)
			got, ok := chosen[q.Key]
			v.Levels = append(v.Levels, levelView{Value: l, Label: t.T("rating.q." + q.Key + ".level." + n), Face: web.Face(l),
				ID: "q-" + q.Key + "-" + n, Checked: ok && got == l})
		}
		out = append(out, v)
	}
	return out
}
