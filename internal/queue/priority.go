package queue

import (
	"slices"
	"time"

	"motcua/internal/workday"
)

// PriorityGroup is a group of visitors served first (docs/domain.md, "Priority
// at the counter"). Its label is a locale key, so kiosks show it in the
// visitor's language.
type PriorityGroup struct {
	Key     string `json:"key"`
	LabelID string `json:"-"`
}

// PriorityGroups are the groups an office may choose from, in kiosk order.
// No national rule exists; these are what provincial centres commonly use.
var PriorityGroups = []PriorityGroup{
	{Key: "elderly", LabelID: "queue.priority.elderly"},
	{Key: "disabled", LabelID: "queue.priority.disabled"},
	{Key: "pregnant", LabelID: "queue.priority.pregnant"},
	{Key: "meritorious", LabelID: "queue.priority.meritorious"},
	{Key: "small_children", LabelID: "queue.priority.small_children"},
}

// DefaultPriorityRun is how many priority calls in a row a counter makes
// before an ordinary ticket's turn.
const DefaultPriorityRun = 3

// DefaultMinutes is one visit's length before today has measured any.
const DefaultMinutes = 8

func priorityGroup(key string) (PriorityGroup, bool) {
	for _, g := range PriorityGroups {
		if g.Key == key {
			return g, true
		}
	}
	return PriorityGroup{}, false
}

// Groups returns the office's priority groups with their labels, in the
// kiosk's order.
func (o Office) Groups() []PriorityGroup {
	out := make([]PriorityGroup, 0, len(o.PriorityGroups))
	for _, g := range PriorityGroups {
		if slices.Contains(o.PriorityGroups, g.Key) {
			out = append(out, g)
		}
	}
	return out
}

// AllPriorityKeys lists every known group key; a new office starts with all.
func AllPriorityKeys() []string {
	keys := make([]string, len(PriorityGroups))
	for i, g := range PriorityGroups {
		keys[i] = g.Key
	}
	return keys
}

// Zone is where the day of a queue begins and ends: Vietnam, as for the
// working-day calendar.
func Zone() *time.Location { return workday.Location() }

// Day is the queue day of t: numbers restart at midnight in Vietnam.
func Day(t time.Time) string { return t.In(Zone()).Format(time.DateOnly) }

// DayStart is midnight at the start of day (YYYY-MM-DD) in Vietnam, in UTC.
func DayStart(day string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, day, Zone())
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
