package control

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/configstore"
)

// batchBody is the body of POST /v1/batch: new objects in the workspace file's shape,
// created in one write. Mappings keep their enabled state, as in a --config file: a batch
// carries objects that already ran elsewhere (`actuate import segment --apply`).
type batchBody struct {
	Sources       []config.Source       `json:"sources"`
	TrackingPlans []config.TrackingPlan `json:"tracking_plans"`
	Destinations  []destination         `json:"destinations"`
	// Message is recorded in the history entry of the write.
	Message string `json:"message"`
}

// batch creates several objects all or none: every id must be new, the whole would-be
// workspace must compile, and the objects are written in one compare-and-set write of
// the config store (one Kafka transaction), so no process ever sees part of them.
func (a *API) batch(w http.ResponseWriter, r *http.Request) {
	var b batchBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	var changes []configstore.Change
	seen := map[string]bool{}
	add := func(kind, section string, i int, id string, v any) error {
		if id == "" {
			return badField(fmt.Sprintf("%s[%d].id", section, i), "is required")
		}
		key := configstore.Key(kind, id)
		if seen[key] {
			return badField(fmt.Sprintf("%s[%d].id", section, i), "%q is given twice", id)
		}
		seen[key] = true
		value, _ := json.Marshal(v)
		changes = append(changes, configstore.Change{Key: key, Value: value})
		return nil
	}
	var err error
	for i, s := range b.Sources {
		if err == nil {
			err = add(configstore.KindSource, "sources", i, s.ID, s)
		}
	}
	for i, p := range b.TrackingPlans {
		if err == nil {
			err = add(configstore.KindTrackingPlan, "tracking_plans", i, p.ID, p)
		}
	}
	for i := range b.Destinations {
		d := &b.Destinations[i]
		for j := range d.Filters {
			if d.Filters[j].Enabled == nil {
				on := true
				d.Filters[j].Enabled = &on
			}
		}
		if err == nil {
			err = add(configstore.KindDestination, "destinations", i, d.ID, d)
		}
	}
	if err == nil && len(changes) == 0 {
		err = badField("body", "names no objects; give sources, tracking_plans or destinations")
	}
	if err != nil {
		a.fail(w, err)
		return
	}
	what := fmt.Sprintf("create %d objects", len(changes))
	if b.Message != "" {
		what += " (" + b.Message + ")"
	}
	snap, err := a.update(r, what, func(snap *configstore.Snapshot) ([]configstore.Change, error) {
		var exist []string
		for _, c := range changes {
			if _, ok := snap.Object(c.Key); ok {
				exist = append(exist, c.Key)
			}
		}
		if len(exist) > 0 {
			return nil, errorf(http.StatusConflict, "%s already exist; nothing was written (give other ids, or delete them first)", strings.Join(exist, ", "))
		}
		return changes, nil
	})
	if err != nil {
		a.fail(w, err)
		return
	}
	created := make([]string, len(changes))
	for i, c := range changes {
		created[i] = c.Key
	}
	writeJSON(w, http.StatusCreated, map[string]any{"revision": snap.Revision, "created": created})
}
