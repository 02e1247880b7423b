package store

// TrackQuery is tracking's statement, for the test of its plan.
var TrackQuery = trackQuery
