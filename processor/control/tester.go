package control

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/actuate/actuate/processor/tester"
)

// testBody is the Event Tester's request: an event, or the source whose latest event to
// use.
type testBody struct {
	Event      json.RawMessage `json:"event"`
	FromSource string          `json:"from_source"`
	// Source is the source the event is tested as coming from (its tracking plan and
	// source-scoped filters apply); default from_source, else the instance's first.
	Source string `json:"source"`
	Send   bool   `json:"send"`
}

func (a *API) test(w http.ResponseWriter, r *http.Request) {
	var b testBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	ws := a.opts.Store.Workspace()
	id := r.PathValue("id")
	if ws.Instance(id) == nil {
		writeError(w, http.StatusNotFound, "no destination instance has the id "+id+" in the config in force", nil)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	event, err := a.testEvent(ctx, b.Event, b.FromSource)
	if err != nil {
		a.fail(w, err)
		return
	}
	opts := a.opts.Tester
	opts.Send = b.Send
	opts.Source = b.Source
	if opts.Source == "" {
		opts.Source = b.FromSource
	}
	res, err := tester.Run(ctx, ws, id, event, opts)
	if err != nil {
		a.fail(w, badField("event", "%v", err))
		return
	}
	out, _ := json.Marshal(map[string]any{"event": json.RawMessage(event), "result": res})
	// The tester masks requests; a mapping may also copy a secret into its payload.
	out = ws.Instance(id).Masker().MaskBytes(out)
	writeJSON(w, http.StatusOK, json.RawMessage(out))
}

func (a *API) latest(ctx context.Context, sourceID string, n int) ([][]byte, error) {
	if a.opts.LatestEvents == nil {
		return nil, errorf(http.StatusNotImplemented, "this server cannot read events topics")
	}
	var topics []string
	for _, s := range a.opts.Store.Workspace().Sources {
		if s.ID == sourceID {
			topics = s.Topics
		}
	}
	if topics == nil {
		return nil, errorf(http.StatusNotFound, "no source has the id %s in the config in force", sourceID)
	}
	var out [][]byte
	for _, t := range topics {
		events, err := a.opts.LatestEvents(ctx, t, n)
		if err != nil {
			return nil, err
		}
		out = append(out, events...)
	}
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// latestEvents lists a source's latest events, to pick one for the Event Tester.
func (a *API) latestEvents(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if n <= 0 || n > 100 {
		n = 10
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	events, err := a.latest(ctx, r.PathValue("id"), n)
	if err != nil {
		a.fail(w, err)
		return
	}
	items := make([]json.RawMessage, 0, len(events))
	for _, e := range events {
		if json.Valid(e) {
			items = append(items, e)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
