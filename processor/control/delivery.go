package control

import (
	"context"
	"net/http"
	"time"

	"github.com/actuate/actuate/processor/overview"
)

// OverviewSource aggregates the Delivery Overview of an instance over a time range,
// across every process.
type OverviewSource interface {
	Overview(ctx context.Context, instance string, from, to time.Time) (*overview.Overview, error)
}

func (a *API) delivery(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := a.opts.Store.Snapshot().Object("destination/" + id); !ok && a.opts.Store.Workspace().Instance(id) == nil {
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
		return
	}
	to := time.Now().UTC()
	from := to.Add(-24 * time.Hour)
	var err error
	if s := r.URL.Query().Get("from"); s != "" {
		if from, err = time.Parse(time.RFC3339, s); err != nil {
			a.fail(w, badField("from", "%q is not an RFC 3339 time such as 2024-05-01T00:00:00Z", s))
			return
		}
	}
	if s := r.URL.Query().Get("to"); s != "" {
		if to, err = time.Parse(time.RFC3339, s); err != nil {
			a.fail(w, badField("to", "%q is not an RFC 3339 time such as 2024-05-01T00:00:00Z", s))
			return
		}
	}
	if !to.After(from) {
		a.fail(w, badField("to", "must be after from"))
		return
	}
	if a.opts.Overview == nil {
		writeError(w, http.StatusNotImplemented, "the Delivery Overview is not available on this server", nil)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	ov, err := a.opts.Overview.Overview(ctx, id, from, to)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ov)
}
