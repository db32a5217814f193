package control

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/fql"
	"github.com/valyala/fastjson"
)

func itoa(i int) string { return strconv.Itoa(i) }

// mappingBody is the body of mapping writes. The trigger is FQL text or builder
// conditions; Enabled is refused on create: a new mapping starts disabled, as on
// Segment, so it can be tested before it sends anything.
type mappingBody struct {
	ID         string          `json:"id"`
	Name       *string         `json:"name"`
	Enabled    *bool           `json:"enabled"`
	Action     string          `json:"action"`
	Trigger    string          `json:"trigger"`
	Conditions *fql.Group      `json:"conditions"`
	Mapping    json.RawMessage `json:"mapping"`
	// Position is where a new mapping goes (0-based); default last.
	Position *int `json:"position"`
}

// A mapping's secret literals (an SFTP password given in it) are shown as destkit.Redacted,
// like secret settings; a write that gives the placeholder back keeps the stored value
// (keepSecretLiterals).
func mappingView(def *destkit.Definition, m *config.Mapping, position int) map[string]any {
	mapping := []byte(m.Mapping)
	if def != nil {
		mapping, _ = destkit.TransformSecretLiterals(def.Action(m.Action), mapping, redactLiteral)
	}
	return map[string]any{"id": m.ID, "name": m.Name, "enabled": m.Enabled, "action": m.Action,
		"trigger": m.Trigger, "mapping": json.RawMessage(mapping), "position": position}
}

func redactLiteral(string, string) (string, error) { return destkit.Redacted, nil }

// keepSecretLiterals puts back, in the mappings of d, the stored secret literals that a
// client sent back as destkit.Redacted (it read them from a view), matched by mapping id.
func keepSecretLiterals(def *destkit.Definition, stored, d *destination) {
	if def == nil || stored == nil {
		return
	}
	for i := range d.Mappings {
		m := &d.Mappings[i]
		j := mappingIndex(stored, m.ID)
		if j < 0 || stored.Mappings[j].Action != m.Action {
			continue
		}
		var old *fastjson.Value // the stored mapping, parsed at the first placeholder
		kept, err := destkit.TransformSecretLiterals(def.Action(m.Action), m.Mapping, func(field, v string) (string, error) {
			if v != destkit.Redacted {
				return v, nil
			}
			if old == nil {
				old, _ = fastjson.ParseBytes(stored.Mappings[j].Mapping)
			}
			if s := old.Get(field); s != nil && s.Type() == fastjson.TypeString && len(s.GetStringBytes()) > 0 {
				return string(s.GetStringBytes()), nil
			}
			return v, nil
		})
		if err == nil {
			m.Mapping = config.JSONText(kept)
		}
	}
}

// trigger returns the FQL text of a body's trigger, applying the plan's condition limit.
func (a *API) trigger(b *mappingBody, path string) (string, error) {
	if b.Conditions != nil {
		if b.Trigger != "" {
			return "", badField(path+".trigger", "give trigger or conditions, not both")
		}
		var opts []fql.BuildOption
		if a.opts.MaxConditions > 0 {
			opts = append(opts, fql.MaxConditions(a.opts.MaxConditions))
		}
		text, err := fql.BuildTrigger(*b.Conditions, opts...)
		if err != nil {
			return "", badField(path+".conditions", "%v", err)
		}
		return text, nil
	}
	if b.Trigger != "" && a.opts.MaxConditions > 0 {
		g, err := fql.ParseTrigger(b.Trigger)
		if err != nil {
			return "", badField(path+".trigger", "this plan allows only triggers a condition builder can show: %v", err)
		}
		if len(g.Conditions) > a.opts.MaxConditions {
			return "", badField(path+".trigger", "%d conditions; this plan allows at most %d per trigger", len(g.Conditions), a.opts.MaxConditions)
		}
	}
	return b.Trigger, nil
}

func (a *API) newMapping(b *mappingBody, path string) (config.Mapping, error) {
	if b.Enabled != nil && *b.Enabled {
		return config.Mapping{}, badField(path+".enabled", "a new mapping is created disabled; test it, then enable it with PATCH")
	}
	trigger, err := a.trigger(b, path)
	if err != nil {
		return config.Mapping{}, err
	}
	m := config.Mapping{ID: b.ID, Action: b.Action, Trigger: trigger, Mapping: config.JSONText(b.Mapping)}
	if b.Name != nil {
		m.Name = *b.Name
	}
	if m.ID == "" {
		m.ID = newID("m-")
	}
	return m, nil
}

func (a *API) listMappings(w http.ResponseWriter, r *http.Request) {
	d, _, ok := a.readDestination(w, r)
	if !ok {
		return
	}
	def, _ := a.opts.Lookup(d.Type)
	items := make([]map[string]any, 0, len(d.Mappings))
	for i := range d.Mappings {
		items = append(items, mappingView(def, &d.Mappings[i], i))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func mappingIndex(d *destination, id string) int {
	return slices.IndexFunc(d.Mappings, func(m config.Mapping) bool { return m.ID == id })
}

func (a *API) getMapping(w http.ResponseWriter, r *http.Request) {
	d, _, ok := a.readDestination(w, r)
	if !ok {
		return
	}
	i := mappingIndex(d, r.PathValue("mapping"))
	if i < 0 {
		writeError(w, http.StatusNotFound, "destination "+d.ID+" has no mapping "+r.PathValue("mapping"), nil)
		return
	}
	def, _ := a.opts.Lookup(d.Type)
	writeJSON(w, http.StatusOK, mappingView(def, &d.Mappings[i], i))
}

func (a *API) createMapping(w http.ResponseWriter, r *http.Request) {
	var b mappingBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	m, err := a.newMapping(&b, "body")
	if err != nil {
		a.fail(w, err)
		return
	}
	var pos int
	var def *destkit.Definition
	_, ok := a.withDestination(w, r, "create mapping "+m.ID, func(d *destination) error {
		if len(d.Mappings) >= config.MaxMappingsPerInstance {
			return errorf(http.StatusConflict, "destination %s has %d mappings, the most an instance may have", d.ID, config.MaxMappingsPerInstance)
		}
		if mappingIndex(d, m.ID) >= 0 {
			return errorf(http.StatusConflict, "destination %s already has a mapping %s", d.ID, m.ID)
		}
		pos = len(d.Mappings)
		if b.Position != nil {
			if *b.Position < 0 || *b.Position > len(d.Mappings) {
				return badField("position", "%d is outside 0 to %d", *b.Position, len(d.Mappings))
			}
			pos = *b.Position
		}
		d.Mappings = slices.Insert(d.Mappings, pos, m)
		def, _ = a.opts.Lookup(d.Type)
		return nil
	})
	if !ok {
		return
	}
	writeJSON(w, http.StatusCreated, mappingView(def, &m, pos))
}

// patchMapping renames, enables or disables, or changes the trigger, action or mapping.
func (a *API) patchMapping(w http.ResponseWriter, r *http.Request) {
	var b mappingBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	if b.ID != "" && b.ID != r.PathValue("mapping") {
		a.fail(w, badField("id", "mapping ids cannot be changed"))
		return
	}
	if b.Position != nil {
		a.fail(w, badField("position", "reorder with PUT /v1/destinations/{id}/mappings/order"))
		return
	}
	var out config.Mapping
	var pos int
	var def *destkit.Definition
	_, ok := a.withDestination(w, r, "change mapping "+r.PathValue("mapping"), func(d *destination) error {
		i := mappingIndex(d, r.PathValue("mapping"))
		if i < 0 {
			return errorf(http.StatusNotFound, "destination %s has no mapping %s", d.ID, r.PathValue("mapping"))
		}
		m := &d.Mappings[i]
		if b.Name != nil {
			m.Name = *b.Name
		}
		if b.Enabled != nil {
			m.Enabled = *b.Enabled
		}
		if b.Action != "" {
			m.Action = b.Action
		}
		if b.Trigger != "" || b.Conditions != nil {
			t, err := a.trigger(&b, "body")
			if err != nil {
				return err
			}
			m.Trigger = t
		}
		if b.Mapping != nil {
			m.Mapping = config.JSONText(b.Mapping)
		}
		out, pos = *m, i
		def, _ = a.opts.Lookup(d.Type)
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, mappingView(def, &out, pos))
	}
}

func (a *API) deleteMapping(w http.ResponseWriter, r *http.Request) {
	_, ok := a.withDestination(w, r, "delete mapping "+r.PathValue("mapping"), func(d *destination) error {
		i := mappingIndex(d, r.PathValue("mapping"))
		if i < 0 {
			return errorf(http.StatusNotFound, "destination %s has no mapping %s", d.ID, r.PathValue("mapping"))
		}
		d.Mappings = slices.Delete(d.Mappings, i, i+1)
		return nil
	})
	if ok {
		w.WriteHeader(http.StatusNoContent)
	}
}

// orderMappings sets the order mappings are evaluated and their requests produced in.
func (a *API) orderMappings(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Order []string `json:"order"`
	}
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	var items []map[string]any
	_, ok := a.withDestination(w, r, "reorder mappings", func(d *destination) error {
		if len(b.Order) != len(d.Mappings) {
			return badField("order", "lists %d mappings; destination %s has %d, and the order must name each once", len(b.Order), d.ID, len(d.Mappings))
		}
		ordered := make([]config.Mapping, 0, len(b.Order))
		seen := map[string]bool{}
		for i, id := range b.Order {
			j := mappingIndex(d, id)
			if j < 0 || seen[id] {
				return badField("order["+itoa(i)+"]", "%q is not a mapping of %s, or is named twice", id, d.ID)
			}
			seen[id] = true
			ordered = append(ordered, d.Mappings[j])
		}
		d.Mappings = ordered
		def, _ := a.opts.Lookup(d.Type)
		for i := range ordered {
			items = append(items, mappingView(def, &ordered[i], i))
		}
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, map[string]any{"items": items})
	}
}
