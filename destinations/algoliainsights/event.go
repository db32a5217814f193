package algoliainsights

import (
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// insightEvent is one Algolia event being built: the extra properties,
// then Algolia's fields set over them in the order Segment's integration
// sets them.
type insightEvent struct {
	p *fastjson.Value
	o destkit.JSObject
}

func newEvent(p *fastjson.Value) *insightEvent {
	e := &insightEvent{p: p}
	e.o.Assign(p.Get("extraProperties"), nil)
	return e
}

// field sets key to the payload's field of the same name (undefined when
// unmapped).
func (e *insightEvent) field(keys ...string) {
	for _, k := range keys {
		e.o.SetValue(k, e.p.Get(k))
	}
}

// orDefault sets key to the payload's field, or def when it is unmapped.
func (e *insightEvent) orDefault(key, def string) {
	if v := e.p.Get(key); v != nil && v.Type() != fastjson.TypeNull {
		e.o.SetValue(key, v)
		return
	}
	e.o.SetString(key, def)
}

// timestamp sets the time as epoch milliseconds; a value JavaScript's Date
// cannot read is null, as in Segment.
func (e *insightEvent) timestamp() {
	ts := e.p.Get("timestamp")
	if !destkit.Truthy(ts) {
		e.o.Set("timestamp", nil)
		return
	}
	t, ok := destkit.ParseJSDate(ts)
	if !ok {
		e.o.Set("timestamp", []byte("null"))
		return
	}
	e.o.Set("timestamp", strconv.AppendInt(nil, t.UnixMilli(), 10))
}

// request wraps the event in the events call.
func (e *insightEvent) request() []destkit.Request {
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("events")
	w.ArrayStart()
	e.o.Write(w)
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", eventsURL, w.Bytes())}
}

// required returns a validation error when one of keys is missing, for
// payloads that skipped validation.
func required(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if v := p.Get(k); v == nil || v.Type() == fastjson.TypeNull {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}

// listOf is a list of the one value v (a record id, a position).
func listOf(v *fastjson.Value) []byte {
	return append(destkit.AppendValue([]byte{'['}, v), ']')
}
