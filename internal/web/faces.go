package web

import "html/template"

// Face draws the face of a rating level (2 very satisfied, 1 satisfied, 0
// not satisfied) as inline SVG: the same on every device, with no emoji
// font to depend on. It is decoration: the level's word is always beside it.
func Face(level int) template.HTML {
	mouth := map[int]string{
		2: `<path d="M14 27 Q24 38 34 27" fill="#fff" stroke="currentColor" stroke-width="3" stroke-linejoin="round"/>`,
		1: `<path d="M15 29 Q24 34 33 29" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"/>`,
		0: `<path d="M15 34 Q24 26 33 34" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"/>`,
	}[level]
	fill := map[int]string{2: "#cce8d4", 1: "#fff7bf", 0: "#f8d3ce"}[level]
	return template.HTML(`<svg class="face" viewBox="0 0 48 48" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="21" fill="` +
		fill + `" stroke="currentColor" stroke-width="3"/><circle cx="17" cy="19" r="3" fill="currentColor"/><circle cx="31" cy="19" r="3" fill="currentColor"/>` +
		mouth + `</svg>`)
}
