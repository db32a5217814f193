package control

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/tester"
	"github.com/actuate/actuate/processor/workspace"
)

// filterBody is a destination filter in the shape of Segment's Public API filter
// objects, so filters exported from Segment (and its migration recipes) apply as written.
type filterBody struct {
	ID            string                `json:"id"`
	SourceID      string                `json:"sourceId"`
	DestinationID string                `json:"destinationId"`
	Title         *string               `json:"title"`
	Description   *string               `json:"description"`
	If            *string               `json:"if"`
	Actions       []config.FilterAction `json:"actions"`
	Enabled       *bool                 `json:"enabled"`
}

func filterView(d *destination, f *config.Filter) map[string]any {
	out := map[string]any{"id": f.ID, "destinationId": d.ID, "title": f.Title, "description": f.Description,
		"if": f.If, "actions": f.Actions, "enabled": f.IsEnabled()}
	switch {
	case f.SourceID != "":
		out["sourceId"] = f.SourceID
	case len(d.Sources) == 1:
		out["sourceId"] = d.Sources[0]
	}
	return out
}

// checkScope accepts sourceId and destinationId when they name this instance and one of
// its sources; a filter with a sourceId applies to that source's events only.
func checkScope(d *destination, b *filterBody, path string) error {
	if b.DestinationID != "" && b.DestinationID != d.ID {
		return badField(path+".destinationId", "%q is not the destination of this path (%s)", b.DestinationID, d.ID)
	}
	if b.SourceID != "" {
		if !slices.Contains(d.Sources, b.SourceID) {
			return badField(path+".sourceId", "%q is not connected to destination %s", b.SourceID, d.ID)
		}
	}
	return nil
}

func newFilter(d *destination, b *filterBody, path string) (config.Filter, error) {
	if err := checkScope(d, b, path); err != nil {
		return config.Filter{}, err
	}
	f := config.Filter{ID: b.ID, SourceID: b.SourceID, Actions: b.Actions, Enabled: b.Enabled}
	if f.ID == "" {
		f.ID = newID("f-")
	}
	if b.Title != nil {
		f.Title = *b.Title
	}
	if b.Description != nil {
		f.Description = *b.Description
	}
	if b.If != nil {
		f.If = *b.If
	}
	if f.Enabled == nil {
		on := true
		f.Enabled = &on
	}
	return f, nil
}

func filterIndex(d *destination, id string) int {
	return slices.IndexFunc(d.Filters, func(f config.Filter) bool { return f.ID == id })
}

func (a *API) listFilters(w http.ResponseWriter, r *http.Request) {
	d, _, ok := a.readDestination(w, r)
	if !ok {
		return
	}
	items := make([]map[string]any, 0, len(d.Filters))
	for i := range d.Filters {
		items = append(items, filterView(d, &d.Filters[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (a *API) getFilter(w http.ResponseWriter, r *http.Request) {
	d, _, ok := a.readDestination(w, r)
	if !ok {
		return
	}
	i := filterIndex(d, r.PathValue("filter"))
	if i < 0 {
		writeError(w, http.StatusNotFound, "destination "+d.ID+" has no filter "+r.PathValue("filter"), nil)
		return
	}
	writeJSON(w, http.StatusOK, filterView(d, &d.Filters[i]))
}

func (a *API) createFilter(w http.ResponseWriter, r *http.Request) {
	var b filterBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	var view map[string]any
	_, ok := a.withDestination(w, r, "create filter", func(d *destination) error {
		f, err := newFilter(d, &b, "body")
		if err != nil {
			return err
		}
		if filterIndex(d, f.ID) >= 0 {
			return errorf(http.StatusConflict, "destination %s already has a filter %s", d.ID, f.ID)
		}
		d.Filters = append(d.Filters, f)
		view = filterView(d, &f)
		return nil
	})
	if ok {
		writeJSON(w, http.StatusCreated, view)
	}
}

func (a *API) patchFilter(w http.ResponseWriter, r *http.Request) {
	var b filterBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	var view map[string]any
	_, ok := a.withDestination(w, r, "change filter "+r.PathValue("filter"), func(d *destination) error {
		if err := checkScope(d, &b, "body"); err != nil {
			return err
		}
		i := filterIndex(d, r.PathValue("filter"))
		if i < 0 {
			return errorf(http.StatusNotFound, "destination %s has no filter %s", d.ID, r.PathValue("filter"))
		}
		f := &d.Filters[i]
		if b.Title != nil {
			f.Title = *b.Title
		}
		if b.Description != nil {
			f.Description = *b.Description
		}
		if b.If != nil {
			f.If = *b.If
		}
		if b.Actions != nil {
			f.Actions = b.Actions
		}
		if b.Enabled != nil {
			f.Enabled = b.Enabled
		}
		view = filterView(d, f)
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, view)
	}
}

func (a *API) deleteFilter(w http.ResponseWriter, r *http.Request) {
	_, ok := a.withDestination(w, r, "delete filter "+r.PathValue("filter"), func(d *destination) error {
		i := filterIndex(d, r.PathValue("filter"))
		if i < 0 {
			return errorf(http.StatusNotFound, "destination %s has no filter %s", d.ID, r.PathValue("filter"))
		}
		d.Filters = slices.Delete(d.Filters, i, i+1)
		return nil
	})
	if ok {
		w.WriteHeader(http.StatusNoContent)
	}
}

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
	event := []byte(b.Event)
	switch {
	case len(event) > 0 && b.FromSource != "":
		a.fail(w, badField("from_source", "give event or from_source, not both"))
		return
	case b.FromSource != "":
		events, err := a.latest(ctx, b.FromSource, 1)
		if err != nil {
			a.fail(w, err)
			return
		}
		if len(events) == 0 {
			a.fail(w, badField("from_source", "source %s has no events yet", b.FromSource))
			return
		}
		event = events[0]
	case len(event) == 0:
		a.fail(w, badField("event", "is required (or from_source)"))
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
	out = maskerOf(ws.Instance(id)).MaskBytes(out)
	writeJSON(w, http.StatusOK, json.RawMessage(out))
}

// maskerOf is the masker of an instance's secrets (settings and OAuth credentials).
func maskerOf(inst *workspace.Instance) *destkit.Masker {
	if inst == nil {
		return nil
	}
	return destkit.NewMasker(destkit.InstanceSecrets(inst.Dest)...)
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
