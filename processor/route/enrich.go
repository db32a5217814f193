package route

import (
	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/workspace"
)

// Rows looks data model rows up; processor/datamodel's tables implement it. Row returns
// the row of model whose key is key, or nil. A returned row is never changed afterwards
// (a new version of the row is a new value) and every string and key in it has been
// unescaped already, so reading it from several routers at once is safe.
type Rows interface {
	Row(model string, key []byte) *fastjson.Value
}

// Enrichment is one data model's lookup for the current event.
type Enrichment struct {
	Model *workspace.DataModel
	// Key is the event's value at the model's key (a string or a number's JSON text);
	// empty when the event has none.
	Key string
	// Row is the row found, nil when none has the key. Read only.
	Row *fastjson.Value
}

type enrichment struct {
	rows Rows
	// models and values are the current event's lookups: the model, and the event's
	// value at its key (nil when absent) and the row found (nil when none).
	models []*workspace.DataModel
	keys   []*fastjson.Value
	found  []*fastjson.Value
	key    []byte
}

// SetRows gives the router the data model rows to enrich events with; without rows an
// event of a workspace with data models gets an empty enrichments object.
func (r *Router) SetRows(rows Rows) { r.enrich.rows = rows }

// Enrichments returns the lookups made for the current event, one per data model of its
// source, in config order; empty without data models.
func (r *Router) Enrichments() []Enrichment {
	out := make([]Enrichment, len(r.enrich.models))
	for i, m := range r.enrich.models {
		out[i] = Enrichment{Model: m, Row: r.enrich.found[i]}
		if k := r.enrich.keys[i]; k != nil {
			out[i].Key = string(keyBytes(k, nil))
		}
	}
	return out
}

// enrichEvent sets ev's enrichments object to {<model>: <row>, ...} for the rows found;
// a model without a row is absent. Whatever enrichments the event came with are replaced:
// only rows reach mappings through it. Without data models ev is left as it is.
func (r *Router) enrichEvent(src *workspace.Source, ev *fastjson.Value) {
	e := &r.enrich
	e.models, e.keys, e.found = e.models[:0], e.keys[:0], e.found[:0]
	if len(src.DataModels) == 0 {
		return
	}
	obj := r.arena.NewObject()
	for _, m := range src.DataModels {
		k := ev.Get(m.Path...)
		var row *fastjson.Value
		if k != nil {
			e.key = keyBytes(k, e.key[:0])
			if len(e.key) == 0 {
				k = nil
			} else if e.rows != nil {
				row = e.rows.Row(m.ID, e.key)
			}
		}
		if row != nil {
			obj.Set(m.ID, row)
		}
		e.models, e.keys, e.found = append(e.models, m), append(e.keys, k), append(e.found, row)
	}
	ev.Set("enrichments", obj)
}

// keyBytes appends the row key an event value gives: a string's text, a number's JSON
// text; nothing for other types.
func keyBytes(v *fastjson.Value, dst []byte) []byte {
	switch v.Type() {
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return append(dst, b...)
	case fastjson.TypeNumber:
		return v.MarshalTo(dst)
	}
	return dst
}
