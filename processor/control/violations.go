package control

import (
	"context"
	"net/http"
	"time"

	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/schemas"
)

// ViolationSource lists the latest violations of a tracking plan, newest first, across
// every process. The Delivery Overview's aggregator is one.
type ViolationSource interface {
	Violations(ctx context.Context, plan string) ([]schemas.ViolationSample, error)
}

// hasTrackingPlan reports whether the config store or the config in force holds the plan.
func (a *API) hasTrackingPlan(id string) bool {
	if _, ok := a.opts.Store.Snapshot().Object(configstore.KindTrackingPlan + "/" + id); ok {
		return true
	}
	if ws := a.opts.Store.Workspace(); ws != nil && ws.Config != nil {
		for _, tp := range ws.Config.TrackingPlans {
			if tp.ID == id {
				return true
			}
		}
	}
	return false
}

// trackingPlanViolations serves GET /v1/tracking-plans/{id}/violations.
func (a *API) trackingPlanViolations(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !a.hasTrackingPlan(id) {
		writeError(w, http.StatusNotFound, "no tracking plan has the id "+id, nil)
		return
	}
	vs, ok := a.opts.Overview.(ViolationSource)
	if !ok {
		writeError(w, http.StatusNotImplemented, "tracking plan violations are not available on this server", nil)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	items, err := vs.Violations(ctx, id)
	if err != nil {
		a.fail(w, err)
		return
	}
	if items == nil {
		items = []schemas.ViolationSample{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tracking_plan": id, "items": items})
}
