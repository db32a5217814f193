package control

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/configstore"
)

// sourceBody and planBody are the request bodies of sources and tracking plans: the
// config file's object plus the version the client read.
type sourceBody struct {
	config.Source
	Version int64 `json:"version,omitempty"`
}

type planBody struct {
	config.TrackingPlan
	Version int64 `json:"version,omitempty"`
}

// decodeSimple reads a source or tracking plan body and returns its canonical JSON, id
// and version.
func decodeSimple(kind string, r *http.Request) (json.RawMessage, string, int64, error) {
	switch kind {
	case configstore.KindSource:
		var b sourceBody
		if err := decode(r, &b); err != nil {
			return nil, "", 0, err
		}
		v, _ := json.Marshal(b.Source)
		return v, b.ID, b.Version, nil
	default:
		var b planBody
		if err := decode(r, &b); err != nil {
			return nil, "", 0, err
		}
		v, _ := json.Marshal(b.TrackingPlan)
		return v, b.ID, b.Version, nil
	}
}

var kindNames = map[string]string{
	configstore.KindSource: "source", configstore.KindTrackingPlan: "tracking plan", configstore.KindDestination: "destination",
}

// view is an object as the API shows it: secrets of destinations reduced to set/unset.
func (a *API) view(o configstore.Object) map[string]any {
	kind, _, _ := configstore.SplitKey(o.Key)
	var out map[string]any
	if kind == configstore.KindDestination {
		d, _ := parseDestination(o.Value)
		out = a.destinationView(d)
	} else {
		json.Unmarshal(o.Value, &out)
	}
	out["version"] = o.Version
	if o.FromFile {
		out["managed_by_file"] = true
	}
	return out
}

func (a *API) list(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		objs := a.opts.Store.Snapshot().Objects(kind)
		items := make([]map[string]any, 0, len(objs))
		for _, o := range objs {
			items = append(items, a.view(o))
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": items})
	}
}

func (a *API) get(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := configstore.Key(kind, r.PathValue("id"))
		o, ok := a.opts.Store.Snapshot().Object(key)
		if !ok {
			writeError(w, http.StatusNotFound, "no "+kindNames[kind]+" has the id "+r.PathValue("id"), nil)
			return
		}
		w.Header().Set("ETag", etag(o.Version))
		writeJSON(w, http.StatusOK, a.view(o))
	}
}

// written answers a write with the object as it is now.
func (a *API) written(w http.ResponseWriter, snap *configstore.Snapshot, key string, status int) {
	o, ok := snap.Object(key)
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("ETag", etag(o.Version))
	writeJSON(w, status, a.view(o))
}

func (a *API) createSimple(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		value, id, _, err := decodeSimple(kind, r)
		if err != nil {
			a.fail(w, err)
			return
		}
		if id == "" {
			a.fail(w, badField("id", "is required"))
			return
		}
		key := configstore.Key(kind, id)
		snap, err := a.update(r, "create", func(snap *configstore.Snapshot) ([]configstore.Change, error) {
			if _, exists := snap.Object(key); exists {
				return nil, errorf(http.StatusConflict, "a %s with the id %s exists; use PUT to change it", kindNames[kind], id)
			}
			return []configstore.Change{{Key: key, Value: value}}, nil
		})
		if err != nil {
			a.fail(w, err)
			return
		}
		a.written(w, snap, key, http.StatusCreated)
	}
}

func (a *API) replaceSimple(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		value, id, bodyVersion, err := decodeSimple(kind, r)
		if err != nil {
			a.fail(w, err)
			return
		}
		pathID := r.PathValue("id")
		if id != "" && id != pathID {
			a.fail(w, badField("id", "%q differs from the id in the path %q; ids cannot be changed", id, pathID))
			return
		}
		if id == "" {
			// the path names the object; the stored value must too
			var m map[string]any
			json.Unmarshal(value, &m)
			m["id"] = pathID
			value, _ = json.Marshal(m)
		}
		want, err := version(r, bodyVersion)
		if err != nil {
			a.fail(w, err)
			return
		}
		key := configstore.Key(kind, pathID)
		snap, err := a.update(r, "replace", func(snap *configstore.Snapshot) ([]configstore.Change, error) {
			cur, exists := snap.Object(key)
			if !exists {
				return nil, errorf(http.StatusNotFound, "no %s has the id %s; create it with POST", kindNames[kind], pathID)
			}
			if err := checkVersion(key, cur, want, true); err != nil {
				return nil, err
			}
			return []configstore.Change{{Key: key, Value: value}}, nil
		})
		if err != nil {
			a.fail(w, err)
			return
		}
		a.written(w, snap, key, http.StatusOK)
	}
}

func (a *API) delete(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		want, err := version(r, 0)
		if err != nil {
			a.fail(w, err)
			return
		}
		key := configstore.Key(kind, r.PathValue("id"))
		_, err = a.update(r, "delete", func(snap *configstore.Snapshot) ([]configstore.Change, error) {
			cur, exists := snap.Object(key)
			if !exists {
				return nil, errorf(http.StatusNotFound, "no %s has the id %s", kindNames[kind], r.PathValue("id"))
			}
			if err := checkVersion(key, cur, want, false); err != nil {
				return nil, err
			}
			return []configstore.Change{{Key: key}}, nil
		})
		if err != nil {
			a.fail(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// destination is a destination object as stored: the config file's fields with settings.
type destination struct {
	ID       string           `json:"id"`
	Type     string           `json:"type"`
	Sources  []string         `json:"sources"`
	Enabled  bool             `json:"enabled"`
	Settings map[string]any   `json:"settings,omitempty"`
	Filters  []config.Filter  `json:"filters,omitempty"`
	Mappings []config.Mapping `json:"mappings,omitempty"`
	Delivery config.Delivery  `json:"delivery"`
	// ConsentCategories: see config.Destination.
	ConsentCategories []string `json:"consent_categories,omitempty"`
}

func parseDestination(v json.RawMessage) (*destination, error) {
	var d destination
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (d *destination) value() json.RawMessage {
	v, _ := json.Marshal(d)
	return v
}

// destinationView shows settings with each secret as "set" or "unset", never its value.
func (a *API) destinationView(d *destination) map[string]any {
	if d == nil {
		return map[string]any{}
	}
	def, _ := a.opts.Lookup(d.Type)
	secret := secretKeys(def)
	settings := map[string]any{}
	secrets := map[string]string{}
	for k, v := range d.Settings {
		if secret[k] {
			continue
		}
		settings[k] = v
	}
	for k := range secret {
		if v, ok := d.Settings[k]; ok && v != nil && v != "" {
			secrets[k] = "set"
		} else if k != "oauth" || def != nil && def.Auth.IsOAuth() {
			secrets[k] = "unset"
		}
	}
	if def == nil {
		// Nothing says which settings are secret: show none of the values.
		settings = map[string]any{}
		for k := range d.Settings {
			secrets[k] = "set"
		}
	}
	filters := make([]map[string]any, 0, len(d.Filters))
	for i := range d.Filters {
		filters = append(filters, filterView(d, &d.Filters[i]))
	}
	mappings := make([]map[string]any, 0, len(d.Mappings))
	for i := range d.Mappings {
		mappings = append(mappings, mappingView(def, &d.Mappings[i], i))
	}
	return map[string]any{
		"id": d.ID, "type": d.Type, "sources": nonNil(d.Sources), "enabled": d.Enabled,
		"settings": settings, "secrets": secrets, "filters": filters, "mappings": mappings, "delivery": d.Delivery,
		"consent_categories": nonNil(d.ConsentCategories),
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// destinationBody is the body of POST and PUT /v1/destinations. Settings merge into the
// current ones: a secret the client never saw is kept unless set to null.
type destinationBody struct {
	ID       string           `json:"id"`
	Type     string           `json:"type"`
	Sources  []string         `json:"sources"`
	Enabled  *bool            `json:"enabled"`
	Settings map[string]any   `json:"settings"`
	Filters  []filterBody     `json:"filters"`
	Mappings []mappingBody    `json:"mappings"`
	Delivery *config.Delivery `json:"delivery"`
	Version  int64            `json:"version"`
	// ConsentCategories replaces the instance's categories when given.
	ConsentCategories []string `json:"consent_categories"`
}

func mergeSettings(cur, change map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range cur {
		out[k] = v
	}
	for k, v := range change {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func (a *API) createDestination(w http.ResponseWriter, r *http.Request) {
	var b destinationBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	if b.ID == "" {
		a.fail(w, badField("id", "is required"))
		return
	}
	key := configstore.Key(configstore.KindDestination, b.ID)
	d := &destination{ID: b.ID, Type: b.Type, Sources: b.Sources, Enabled: b.Enabled != nil && *b.Enabled,
		Settings: mergeSettings(nil, b.Settings), ConsentCategories: b.ConsentCategories}
	if b.Delivery != nil {
		d.Delivery = *b.Delivery
	}
	for i := range b.Mappings {
		m, err := a.newMapping(&b.Mappings[i], "mappings["+itoa(i)+"]")
		if err != nil {
			a.fail(w, err)
			return
		}
		d.Mappings = append(d.Mappings, m)
	}
	for i := range b.Filters {
		f, err := newFilter(d, &b.Filters[i], "filters["+itoa(i)+"]")
		if err != nil {
			a.fail(w, err)
			return
		}
		d.Filters = append(d.Filters, f)
	}
	snap, err := a.update(r, "create", func(snap *configstore.Snapshot) ([]configstore.Change, error) {
		if _, exists := snap.Object(key); exists {
			return nil, errorf(http.StatusConflict, "a destination with the id %s exists; use PUT or PATCH to change it", b.ID)
		}
		return []configstore.Change{{Key: key, Value: d.value()}}, nil
	})
	if err != nil {
		a.fail(w, err)
		return
	}
	a.written(w, snap, key, http.StatusCreated)
}

// replaceDestination replaces type, sources, enabled, settings (merged) and delivery;
// mappings and filters are kept (they have their own routes) unless given.
func (a *API) replaceDestination(w http.ResponseWriter, r *http.Request) {
	a.writeDestination(w, r, true)
}

// patchDestination changes only the fields given; If-Match is optional.
func (a *API) patchDestination(w http.ResponseWriter, r *http.Request) {
	a.writeDestination(w, r, false)
}

func (a *API) writeDestination(w http.ResponseWriter, r *http.Request, replace bool) {
	var b destinationBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	id := r.PathValue("id")
	if b.ID != "" && b.ID != id {
		a.fail(w, badField("id", "%q differs from the id in the path %q; ids cannot be changed", b.ID, id))
		return
	}
	if b.Filters != nil || b.Mappings != nil {
		a.fail(w, badField("mappings", "mappings and filters are changed through /v1/destinations/%s/mappings and /filters", id))
		return
	}
	want, err := version(r, b.Version)
	if err != nil {
		a.fail(w, err)
		return
	}
	key := configstore.Key(configstore.KindDestination, id)
	snap, err := a.update(r, map[bool]string{true: "replace", false: "patch"}[replace], func(snap *configstore.Snapshot) ([]configstore.Change, error) {
		cur, exists := snap.Object(key)
		if !exists {
			return nil, errorf(http.StatusNotFound, "no destination has the id %s", id)
		}
		if err := checkVersion(key, cur, want, replace); err != nil {
			return nil, err
		}
		d, err := parseDestination(cur.Value)
		if err != nil {
			return nil, err
		}
		if replace {
			d.Type, d.Sources, d.Enabled = b.Type, b.Sources, b.Enabled != nil && *b.Enabled
			d.Delivery = config.Delivery{}
			d.ConsentCategories = b.ConsentCategories
		} else {
			if b.ConsentCategories != nil {
				d.ConsentCategories = b.ConsentCategories
			}
			if b.Type != "" {
				d.Type = b.Type
			}
			if b.Sources != nil {
				d.Sources = b.Sources
			}
			if b.Enabled != nil {
				d.Enabled = *b.Enabled
			}
		}
		if b.Delivery != nil {
			d.Delivery = *b.Delivery
		}
		d.Settings = mergeSettings(d.Settings, b.Settings)
		return []configstore.Change{{Key: key, Value: d.value()}}, nil
	})
	if err != nil {
		a.fail(w, err)
		return
	}
	a.written(w, snap, key, http.StatusOK)
}

// withDestination runs a change to one destination object: mappings and filters live in
// it, so each of their changes is one atomic write of the instance.
func (a *API) withDestination(w http.ResponseWriter, r *http.Request, what string, fn func(d *destination) error) (*configstore.Snapshot, bool) {
	id := r.PathValue("id")
	want, err := version(r, 0)
	if err != nil {
		a.fail(w, err)
		return nil, false
	}
	key := configstore.Key(configstore.KindDestination, id)
	snap, err := a.update(r, what, func(snap *configstore.Snapshot) ([]configstore.Change, error) {
		cur, exists := snap.Object(key)
		if !exists {
			return nil, errorf(http.StatusNotFound, "no destination has the id %s", id)
		}
		if err := checkVersion(key, cur, want, false); err != nil {
			return nil, err
		}
		d, err := parseDestination(cur.Value)
		if err != nil {
			return nil, err
		}
		stored, _ := parseDestination(cur.Value)
		if err := fn(d); err != nil {
			return nil, err
		}
		def, _ := a.opts.Lookup(d.Type)
		keepSecretLiterals(def, stored, d)
		return []configstore.Change{{Key: key, Value: d.value()}}, nil
	})
	if err != nil {
		a.fail(w, err)
		return nil, false
	}
	if o, ok := snap.Object(key); ok {
		w.Header().Set("ETag", etag(o.Version))
	}
	return snap, true
}

// readDestination returns the destination of the path, answering 404 itself.
func (a *API) readDestination(w http.ResponseWriter, r *http.Request) (*destination, configstore.Object, bool) {
	id := r.PathValue("id")
	o, ok := a.opts.Store.Snapshot().Object(configstore.Key(configstore.KindDestination, id))
	if !ok {
		writeError(w, http.StatusNotFound, "no destination has the id "+id, nil)
		return nil, o, false
	}
	d, err := parseDestination(o.Value)
	if err != nil {
		a.fail(w, err)
		return nil, o, false
	}
	w.Header().Set("ETag", etag(o.Version))
	return d, o, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
