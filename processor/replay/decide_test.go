package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

func testWorkspace(t *testing.T) *workspace.Workspace {
	t.Helper()
	cfg, err := config.Parse([]byte(`
sources: [{ id: web, write_key: wk_web, topics: [events] }]
destinations:
  - id: hook
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ title: no testers, if: "userId = 'tester'", actions: [{ type: drop_event }] }]
    mappings:
      - { id: orders, enabled: true, action: send, trigger: 'event = "Order Completed"', mapping: { url: "https://h.example.com/o", method: POST, data: { user: { "@path": "$.userId" } } } }
      - { id: off, enabled: false, action: send, trigger: 'type = "track"', mapping: { url: "https://h.example.com/t", method: POST } }
      - { id: broken, enabled: true, action: send, trigger: 'event = "Broken"', mapping: { url: { "@path": "$.properties.nothing" }, method: POST } }
`))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// TestDecide: what each kind of dead letter comes to under today's workspace.
func TestDecide(t *testing.T) {
	ws := testWorkspace(t)
	d := NewDecider("dlq", event.Limits{})
	order := []byte(`{"type":"track","event":"Order Completed","userId":"ada","messageId":"m1"}`)
	avro, _ := schemas.AppendEventEnvelope(nil, &schemas.EventEnvelope{WriteKey: "wk_web", Event: order})
	dl := func(stage schemas.Stage, mapping string, original []byte) *schemas.DeadLetter {
		return &schemas.DeadLetter{Stage: stage, Reason: "x", Original: original, Topic: "events", Partition: 1, Offset: 7,
			Instance: "hook", Mapping: mapping, Action: "send", OccurredAt: time.Now()}
	}
	for _, c := range []struct {
		name    string
		mode    Mode
		dl      *schemas.DeadLetter
		outcome string
		reason  string
		want    string // in the first output's value
	}{
		{"routed again", ModeAuto, dl(schemas.StageValidate, "orders", order), OutcomeReplayed, "", `{"user":"ada"}`},
		{"an Avro event", ModeRoute, dl(schemas.StageRender, "orders", avro), OutcomeReplayed, "", `{"user":"ada"}`},
		{"instance-level", ModeAuto, dl(schemas.StageFilter, "", order), OutcomeReplayed, "", `{"user":"ada"}`},
		{"still broken", ModeAuto, dl(schemas.StageValidate, "broken", []byte(`{"type":"track","event":"Broken","userId":"u"}`)), OutcomeDeadLettered, "", "payload validation failed"},
		{"filtered now", ModeAuto, dl(schemas.StageValidate, "orders", []byte(`{"type":"track","event":"Order Completed","userId":"tester"}`)), OutcomeSkipped, "filtered by no testers", ""},
		{"trigger no longer matches", ModeAuto, dl(schemas.StageValidate, "orders", []byte(`{"type":"track","event":"Other","userId":"u"}`)), OutcomeSkipped, "no matching mapping", ""},
		{"mapping disabled", ModeAuto, dl(schemas.StageRender, "off", order), OutcomeSkipped, "the mapping is disabled", ""},
		{"mapping gone", ModeAuto, dl(schemas.StageRender, "gone", order), OutcomeSkipped, "the mapping no longer exists", ""},
		{"bad event", ModeAuto, dl(schemas.StageRender, "orders", []byte(`{"type":`)), OutcomeSkipped, "the event does not decode", ""},
		{"stored", ModeAuto, dl(schemas.StageDeliver, "orders", []byte(`{"user":"bob"}`)), OutcomeReplayed, "", `{"user":"bob"}`},
		{"stored, expired", ModeStored, dl(schemas.StageExpire, "orders", []byte(`{"user":"bob"}`)), OutcomeReplayed, "", `{"user":"bob"}`},
		{"stored in route mode", ModeRoute, dl(schemas.StageDeliver, "orders", []byte(`{}`)), OutcomeSkipped, "holds a stored request, not an event", ""},
		{"event in stored mode", ModeStored, dl(schemas.StageValidate, "orders", order), OutcomeSkipped, "holds an event, not a stored request", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := d.Decide(ws, "hook", c.mode, c.dl, []byte("k"))
			if got.Outcome != c.outcome || got.Reason != c.reason {
				t.Fatalf("outcome %q (%q), want %q (%q)", got.Outcome, got.Reason, c.outcome, c.reason)
			}
			if c.want == "" {
				if len(got.Outputs) != 0 {
					t.Errorf("outputs %d", len(got.Outputs))
				}
				return
			}
			if len(got.Outputs) != 1 || !strings.Contains(string(got.Outputs[0].Value), c.want) || string(got.Outputs[0].Key) != "k" {
				t.Fatalf("outputs %+v", got.Outputs)
			}
			if got.Outcome == OutcomeReplayed {
				req, err := schemas.DecodeActionRequest(got.Outputs[0].Value)
				if err != nil || got.Outputs[0].Topic != workspace.DeliveryTopic("hook") || req.Mapping != "orders" || req.Instance != "hook" {
					t.Fatalf("request %+v on %s: %v", req, got.Outputs[0].Topic, err)
				}
				if c.dl.Stage == schemas.StageValidate && req.MessageID != "m1" {
					t.Errorf("messageId %q", req.MessageID)
				}
			} else if got.Outputs[0].Topic != "dlq" {
				t.Errorf("dead letter on %s", got.Outputs[0].Topic)
			}
		})
	}
	if got := d.Decide(ws, "nope", ModeAuto, dl(schemas.StageRender, "orders", order), nil); got.Outcome != OutcomeSkipped {
		t.Errorf("unknown destination: %+v", got)
	}
}

func TestFilterMatches(t *testing.T) {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	dl := &schemas.DeadLetter{Instance: "hook", Mapping: "m", Reason: "HTTP 400", OccurredAt: at}
	for _, c := range []struct {
		f    Filter
		inst string
		want bool
	}{
		{Filter{}, "hook", true},
		{Filter{}, "other", false},
		{Filter{Mapping: "m", Reason: "HTTP 400"}, "hook", true},
		{Filter{Mapping: "n"}, "hook", false},
		{Filter{Reason: "timeout"}, "hook", false},
		{Filter{Since: at, Until: at.Add(time.Second)}, "hook", true},
		{Filter{Since: at.Add(time.Second)}, "hook", false},
		{Filter{Until: at}, "hook", false},
	} {
		if got := c.f.Matches(c.inst, dl); got != c.want {
			t.Errorf("%+v on %s: %v", c.f, c.inst, got)
		}
	}
}
