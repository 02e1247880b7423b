package store

// TrackQuery is tracking's statement, for the test of its plan.
var TrackQuery = trackQuery

// UnfoldedQuery is the look for names still to fold, for the test of its
// plan.
const UnfoldedQuery = unfoldedQuery
