package control

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// testEvent returns the event a test request names: given in the body, or the latest
// event of a source. The Event Tester and draft mappings read it the same way.
func (a *API) testEvent(ctx context.Context, event json.RawMessage, fromSource string) ([]byte, error) {
	switch {
	case len(event) > 0 && fromSource != "":
		return nil, badField("from_source", "give event or from_source, not both")
	case fromSource != "":
		events, err := a.latest(ctx, fromSource, 1)
		if err != nil {
			return nil, err
		}
		if len(events) == 0 {
			return nil, badField("from_source", "source %s has no events yet", fromSource)
		}
		return events[0], nil
	case len(event) == 0:
		return nil, badField("event", "is required (or from_source)")
	}
	return event, nil
}

// overviewRequest reads the destination and time range of a Delivery Overview request,
// answering itself (and returning ok false) when the destination is unknown, the range
// invalid or the overview off.
func (a *API) overviewRequest(w http.ResponseWriter, r *http.Request) (id string, from, to time.Time, ok bool) {
	id = r.PathValue("id")
	if _, ok := a.opts.Store.Snapshot().Object("destination/" + id); !ok && a.opts.Store.Workspace().Instance(id) == nil {
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
		return id, from, to, false
	}
	from, to, err := timeRange(r)
	if err != nil {
		a.fail(w, err)
		return id, from, to, false
	}
	if a.opts.Overview == nil {
		writeError(w, http.StatusNotImplemented, "the Delivery Overview is not available on this server", nil)
		return id, from, to, false
	}
	return id, from, to, true
}

// timeRange reads a Delivery Overview request's from and to (RFC 3339); by default the
// last 24 hours.
func timeRange(r *http.Request) (from, to time.Time, err error) {
	to = time.Now().UTC()
	from = to.Add(-24 * time.Hour)
	if s := r.URL.Query().Get("from"); s != "" {
		if from, err = time.Parse(time.RFC3339, s); err != nil {
			return from, to, badField("from", "%q is not an RFC 3339 time such as 2024-05-01T00:00:00Z", s)
		}
	}
	if s := r.URL.Query().Get("to"); s != "" {
		if to, err = time.Parse(time.RFC3339, s); err != nil {
			return from, to, badField("to", "%q is not an RFC 3339 time such as 2024-05-01T00:00:00Z", s)
		}
	}
	if !to.After(from) {
		return from, to, badField("to", "must be after from")
	}
	return from, to, nil
}
