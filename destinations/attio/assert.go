package attio

import (
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// assertion is one create-or-update of a record, possibly with nested
// assertions as attribute values (a user's person, a workspace's company).
type assertion struct {
	object, matching string
	// values writes the attribute values (without the enclosing braces).
	values func(w *destkit.JSONWriter)
}

// simpleRequest asserts one record through the single-record endpoint.
// Multi-select values are appended, never replaced, as in Segment.
func simpleRequest(a assertion) destkit.Request {
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("values")
	w.ObjectStart()
	a.values(w)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	u := apiBase + "/objects/" + url.PathEscape(a.object) + "/records/simple?matching_attribute=" +
		url.QueryEscape(a.matching) + "&append_to_existing_values=true"
	return destkit.NewJSONRequest("PUT", u, w.Bytes())
}

// writeBatchAssertion writes one assertion of the batch endpoint.
func writeBatchAssertion(w *destkit.JSONWriter, a assertion, receivedAt string) {
	w.ObjectStart()
	w.Key("object")
	w.String(a.object)
	w.Key("mode")
	w.String("create-or-update")
	w.Key("matching_attribute")
	w.String(a.matching)
	w.Key("multiselect_values")
	w.String("append")
	w.Key("values")
	w.ObjectStart()
	a.values(w)
	w.ObjectEnd()
	w.Key("received_at")
	w.String(receivedAt)
	w.ObjectEnd()
}

// batchRequest sends one top-level assertion per payload.
func batchRequest(in *destkit.BatchInput, build func(p *fastjson.Value) assertion) []destkit.Request {
	w := destkit.NewJSONWriter(make([]byte, 0, 384*len(in.Payloads)))
	w.ObjectStart()
	w.Key("assertions")
	w.ArrayStart()
	for _, p := range in.Payloads {
		writeBatchAssertion(w, build(p), receivedAt(p))
	}
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("PUT", apiBase+"/batch/records", w.Bytes())}
}

// now is replaced in tests.
var now = time.Now

// receivedAt orders updates in Attio; events without one are stamped now.
func receivedAt(p *fastjson.Value) string {
	if s := p.GetStringBytes("received_at"); len(s) > 0 {
		return string(s)
	}
	return now().UTC().Format("2006-01-02T15:04:05.000Z")
}

// spread writes the members of an attributes object, skipping keys that
// the action sets itself.
func spread(w *destkit.JSONWriter, o *fastjson.Object, reserved ...string) {
	if o == nil {
		return
	}
	o.Visit(func(k []byte, v *fastjson.Value) {
		for _, r := range reserved {
			if r == string(k) {
				return
			}
		}
		w.Key(string(k))
		w.Value(v)
	})
}
