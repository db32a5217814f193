package control

import (
	"net/http"
	"slices"

	"github.com/actuate/actuate/processor/config"
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
