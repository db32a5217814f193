package ingest

// Suppression says whether a user's events are suppressed by a privacy regulation
// (processor/regulation's Store implements it).
type Suppression interface {
	Suppressed(userID []byte) bool
}

// SetSuppression makes the handler accept and drop the events of suppressed users, as
// Segment does: the sender gets its usual answer and nothing is stored. Call it before
// serving.
func (h *Handler) SetSuppression(s Suppression) { h.suppression = s }

// suppressedUser reports whether userID (the event's userId) is suppressed.
func (h *Handler) suppressedUser(userID []byte) bool {
	return h.suppression != nil && len(userID) > 0 && h.suppression.Suppressed(userID)
}
