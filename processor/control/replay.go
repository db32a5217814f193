package control

import (
	"context"
	"errors"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/replay"
)

// ReplayFunc replays a destination's dead letters (processor/replay.Run with the
// process's brokers and workspace).
type ReplayFunc func(ctx context.Context, req replay.Request) (*replay.Result, error)

// replayBody is the body of POST /v1/destinations/{id}/replay.
type replayBody struct {
	ID      string    `json:"id"`
	Mapping string    `json:"mapping"`
	Reason  string    `json:"reason"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Mode    string    `json:"mode"`
	DryRun  bool      `json:"dry_run"`
}

// replayDestination re-sends the destination's dead letters, once each, and answers the
// counts; with dry_run it only counts.
func (a *API) replayDestination(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if a.opts.Store.Workspace().Instance(id) == nil {
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
		return
	}
	var body replayBody
	if err := decode(r, &body); err != nil {
		a.fail(w, err)
		return
	}
	switch replay.Mode(body.Mode) {
	case "", replay.ModeAuto, replay.ModeRoute, replay.ModeStored:
	default:
		a.fail(w, badField("mode", "%q is not auto, route or stored", body.Mode))
		return
	}
	if !body.From.IsZero() && !body.To.IsZero() && !body.To.After(body.From) {
		a.fail(w, badField("to", "must be after from"))
		return
	}
	if a.opts.Replay == nil {
		writeError(w, http.StatusNotImplemented, "replay is not available on this server", nil)
		return
	}
	res, err := a.opts.Replay(r.Context(), replay.Request{ID: body.ID, Destination: id, Mode: replay.Mode(body.Mode), DryRun: body.DryRun,
		Filter: replay.Filter{Mapping: body.Mapping, Reason: body.Reason, Since: body.From, Until: body.To}})
	switch {
	case errors.Is(err, replay.ErrUnknownDestination):
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
	case errors.Is(err, replay.ErrInvalid):
		writeError(w, http.StatusBadRequest, err.Error(), nil)
	case err != nil:
		a.log.Error("replay", zap.String("destination", id), zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "the replay stopped: "+err.Error()+"; what it committed stays replayed, run it again to finish", nil)
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

// BackfillFunc sends a time range of a source's events through one destination's current
// mappings (processor/replay.Backfill with the process's brokers and workspace).
type BackfillFunc func(ctx context.Context, req replay.BackfillRequest) (*replay.Result, error)

// backfillBody is the body of POST /v1/destinations/{id}/backfill.
type backfillBody struct {
	ID     string    `json:"id"`
	Source string    `json:"source"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Rate   *float64  `json:"rate"`
	DryRun bool      `json:"dry_run"`
}

// backfillDestination answers the backfill's counts; with dry_run it only counts.
func (a *API) backfillDestination(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if a.opts.Store.Workspace().Instance(id) == nil {
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
		return
	}
	var body backfillBody
	if err := decode(r, &body); err != nil {
		a.fail(w, err)
		return
	}
	if body.Source == "" {
		a.fail(w, badField("source", "is required"))
		return
	}
	rate := 1000.0
	if body.Rate != nil {
		if rate = *body.Rate; rate < 0 {
			a.fail(w, badField("rate", "must not be negative"))
			return
		}
	}
	if a.opts.Backfill == nil {
		writeError(w, http.StatusNotImplemented, "backfill is not available on this server", nil)
		return
	}
	res, err := a.opts.Backfill(r.Context(), replay.BackfillRequest{ID: body.ID, Source: body.Source, Destination: id,
		Since: body.From, Until: body.To, Rate: rate, DryRun: body.DryRun})
	switch {
	case errors.Is(err, replay.ErrUnknownDestination):
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
	case errors.Is(err, replay.ErrInvalid):
		writeError(w, http.StatusBadRequest, err.Error(), nil)
	case err != nil:
		a.log.Error("backfill", zap.String("destination", id), zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "the backfill stopped: "+err.Error()+"; what it committed stays done, run it again to finish", nil)
	default:
		writeJSON(w, http.StatusOK, res)
	}
}
