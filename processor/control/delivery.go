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
	id, from, to, ok := a.overviewRequest(w, r)
	if !ok {
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
