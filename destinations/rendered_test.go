package destinations

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/actuate/actuate/bench/workload"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/actuate/actuate/processor/mapping"
)

// renderedEvents are events whose JSON is not in canonical form (spaces, escapes
// JSON.stringify would not write, surrogate pairs, line separators), so a rendered payload
// differs from the event's bytes wherever the engine re-encodes.
var renderedEvents = []string{
	`{ "type" : "track", "event" : "Order \u0043ompleted", "userId": "u\/1", "messageId": "m1",
	   "properties": { "a" : [ 1 , 2.50, -0.0, 1e3, {"b" : "\ud83d\ude00 \u2028 \t"} ], "empty": "", "nul": null, "obj": {} },
	   "context": { "ip": "1.2.3.4", "traits": { "email": "A@Example.com " } }, "traits": { "name": "x\u0000y" } }`,
	`{"type":"identify","userId":"u2","messageId":"m2","traits":{"email":"a@b.co","plan":"pro","nested":{"deep":[[],[{}]]}},"properties":{"revenue":"12.5","currency":"usd"}}`,
	`{"type":"page","anonymousId":"anon","messageId":"m3","name":"Home","properties":{"url":"https://x.test/?q=\"1\"","title":"\u00e9t\u00e9"}}`,
}

// TestValidatedRenderedMatchesValidated holds AppendValidatedMembers, which copies
// top-level free-form objects instead of re-encoding them, to AppendValidated's output byte
// for byte, for every action's default mapping and a mapping that feeds every object field
// the event's properties, over hand-made and generated events.
func TestValidatedRenderedMatchesValidated(t *testing.T) {
	events := append([]string(nil), renderedEvents...)
	for _, ev := range workload.Events(50, 7) {
		events = append(events, string(ev))
	}
	dec := event.NewSpecDecoder(event.Limits{})
	compared := 0
	for _, d := range All() {
		for _, a := range d.Actions {
			mappings := [][]byte{a.DefaultMapping(), objectFieldsMapping(a)}
			for mi, raw := range mappings {
				m, err := mapping.Compile(raw)
				if err != nil {
					t.Fatalf("%s/%s mapping %d: %v", d.Slug, a.Key, mi, err)
				}
				for ei, evJSON := range events {
					ev, err := dec.Decode([]byte(evJSON))
					if err != nil {
						t.Fatalf("event %d: %v", ei, err)
					}
					payload, members, err := m.AppendJSONMembers(nil, ev, nil)
					if err != nil {
						continue
					}
					compared++
					checkRenderedValidation(t, fmt.Sprintf("%s/%s mapping %d event %d", d.Slug, a.Key, mi, ei), a, payload, members)
				}
			}
		}
	}
	if compared < 1000 {
		t.Fatalf("only %d payloads compared", compared)
	}
}

// checkRenderedValidation holds the fast path to AppendValidated.
func checkRenderedValidation(t *testing.T, what string, a *destkit.Action, payload []byte, members []jsvalue.Member) {
	t.Helper()
	want, wantErr := a.AppendValidated(nil, payload)
	got, gotErr := a.AppendValidatedMembers([]byte("prefix"), payload, members)
	if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
		t.Fatalf("%s: errors differ:\n%v\n%v", what, wantErr, gotErr)
	}
	if wantErr == nil && !bytes.Equal(append([]byte("prefix"), want...), got) {
		t.Fatalf("%s: outputs differ for %s:\n%s\n%s", what, payload, want, got[len("prefix"):])
	}
}

// objectFieldsMapping maps $.properties into every top-level object field and $.traits
// into the rest of the default mapping.
func objectFieldsMapping(a *destkit.Action) []byte {
	var b bytes.Buffer
	b.WriteString(`{`)
	for i, f := range a.Fields {
		if i > 0 {
			b.WriteString(",")
		}
		path := "$.traits"
		if f.Type == destkit.Object {
			path = "$.properties"
		}
		fmt.Fprintf(&b, `%q:{"@path":%q}`, f.Key, path)
	}
	b.WriteString(`}`)
	return b.Bytes()
}

// FuzzValidatedRendered feeds arbitrary valid events through the webhook's mapping of the
// whole properties object.
func FuzzValidatedRendered(f *testing.F) {
	for _, ev := range renderedEvents {
		f.Add([]byte(ev))
	}
	hook, ok := Get("webhook")
	if !ok {
		f.Fatal("no webhook destination")
	}
	a := hook.Actions[0]
	m, err := mapping.Compile([]byte(`{"url":"https://x.test","method":"POST","data":{"@path":"$.properties"}}`))
	if err != nil {
		f.Fatal(err)
	}
	dec := event.NewSpecDecoder(event.Limits{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := dec.Decode(data)
		if err != nil {
			return
		}
		payload, members, err := m.AppendJSONMembers(nil, ev, nil)
		if err != nil {
			return
		}
		checkRenderedValidation(t, "webhook", a, payload, members)
	})
}
