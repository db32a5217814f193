package route

import (
	"slices"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/filter"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

const testConfig = `
sources: [{ id: web, topics: [events] }]
destinations:
  - id: hook
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ title: no bots, if: "userId = 'bot'", actions: [{ type: drop }] }]
    mappings:
      - id: tracks
        enabled: true
        action: send
        trigger: 'type = "track"'
        mapping: { url: "https://hooks.example.com/t", method: POST, data: { e: { "@path": "$.event" } } }
      - id: broken
        enabled: true
        action: send
        trigger: 'event = "Broken"'
        mapping: { url: { "@path": "$.properties.url" }, method: POST }
      - id: draft
        enabled: false
        action: send
        trigger: 'type = "identify"'
        mapping: { url: "https://hooks.example.com/i", method: POST }
`

// recorder is an Observer that writes every step down and can refuse requests.
type recorder struct {
	steps  []string
	refuse bool
}

func (r *recorder) FilterApplied(f *filter.Filter, _ *filter.Action, _, kept bool) {
	r.steps = append(r.steps, "filter "+f.Name)
}
func (r *recorder) Triggered(m *workspace.Mapping, matched bool) {
	if matched {
		r.steps = append(r.steps, "matched "+m.ID)
	}
}
func (r *recorder) Request(m *workspace.Mapping, payload []byte) *Failure {
	if r.refuse {
		return &Failure{Stage: schemas.StageRender, Reason: "refused", Detail: "test"}
	}
	r.steps = append(r.steps, "request "+m.ID+" "+string(payload))
	return nil
}
func (r *recorder) Failed(m *workspace.Mapping, f *Failure) {
	r.steps = append(r.steps, "failed "+m.ID+" "+string(f.Stage)+": "+f.Reason)
}

func TestInstanceOutcomes(t *testing.T) {
	ws := testws.Compile(t, testConfig)
	src, inst := ws.Sources[0], ws.Instance("hook")
	for _, tc := range []struct {
		name, event string
		all, refuse bool // all: the Event Tester's mappings, disabled ones too
		want        Outcome
		steps       []string
	}{
		{"routed", `{"type":"track","event":"Signed Up"}`, false, false, Outcome{Kind: metrics.OutcomeRouted},
			[]string{"matched tracks", `request tracks {"url":"https://hooks.example.com/t","method":"POST","data":{"e":"Signed Up"}}`}},
		{"filtered", `{"type":"track","event":"x","userId":"bot"}`, false, false, Outcome{Kind: metrics.OutcomeFiltered, Stage: schemas.StageFilter, Filter: "no bots"},
			[]string{"filter no bots"}},
		{"no match", `{"type":"page"}`, false, false, Outcome{Kind: metrics.OutcomeNoMatchingMapping, Stage: schemas.StageTrigger}, nil},
		{"one of two fails", `{"type":"track","event":"Broken","properties":{"url":"not a url"}}`, false, false, Outcome{Kind: metrics.OutcomeRouted},
			[]string{"matched tracks", `request tracks {"url":"https://hooks.example.com/t","method":"POST","data":{"e":"Broken"}}`, "matched broken", "failed broken validate: payload validation failed"}},
		{"every match fails", `{"type":"track","event":"Broken"}`, false, true, Outcome{Kind: metrics.OutcomeDeadLettered, Stage: schemas.StageMapping},
			[]string{"matched tracks", "failed tracks render: refused", "matched broken", "failed broken validate: payload validation failed"}},
		{"a disabled mapping does not count", `{"type":"identify","userId":"u"}`, true, false, Outcome{Kind: metrics.OutcomeNoMatchingMapping, Stage: schemas.StageTrigger},
			[]string{"matched draft", `request draft {"url":"https://hooks.example.com/i","method":"POST"}`}},
	} {
		ev := fastjson.MustParse(tc.event)
		r := New(nil)
		if out := r.Protocols(src, ev); out.Blocked {
			t.Fatalf("%s: blocked without a plan", tc.name)
		}
		mappings := inst.Mappings
		if tc.all {
			mappings = inst.AllMappings
		}
		rec := &recorder{refuse: tc.refuse}
		got := r.Instance(src, inst, mappings, ev, rec)
		if got != tc.want || !slices.Equal(rec.steps, tc.steps) {
			t.Errorf("%s: outcome %+v, steps %q\nwant %+v, %q", tc.name, got, rec.steps, tc.want, tc.steps)
		}
	}
}

const editedCopyConfig = `
sources: [{ id: web, topics: [events] }]
destinations:
  - id: plain
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: with-plan, enabled: true, action: send, trigger: 'properties.plan exists', mapping: { url: "https://hooks.example.com/p", method: POST, data: { "@path": "$.properties" } } }
  - id: trimmed
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ title: no plan, if: "true", actions: [{ type: drop_properties, fields: { properties: [plan] } }] }]
    mappings:
      - { id: with-plan, enabled: true, action: send, trigger: 'properties.plan exists', mapping: { url: "https://hooks.example.com/p", method: POST } }
      - { id: without-plan, enabled: true, action: send, trigger: 'type = "track" and !(properties.plan exists)', mapping: { url: "https://hooks.example.com/n", method: POST, data: { "@path": "$.properties" } } }
  - id: plain-again
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: without-plan, enabled: true, action: send, trigger: 'type = "track" and !(properties.plan exists)', mapping: { url: "https://hooks.example.com/n", method: POST } }
`

// TestTriggersOnAnEditedCopy checks that the triggers and mappings of an instance whose
// filter edits a copy of the event read the copy, not what the other instances' triggers
// and mappings read of the event (the lookups, results and JSON one event's share).
func TestTriggersOnAnEditedCopy(t *testing.T) {
	ws := testws.Compile(t, editedCopyConfig)
	src := ws.Sources[0]
	r := New(nil)
	for round := 0; round < 2; round++ {
		ev := fastjson.MustParse(`{"type":"track","event":"x","properties":{"plan":"pro"}}`)
		r.Protocols(src, ev)
		for _, tc := range []struct{ inst, want, data string }{
			{"plain", "with-plan", `{"plan":"pro"}`}, {"trimmed", "without-plan", `{}`}, {"plain-again", "", ""},
		} {
			inst := ws.Instance(tc.inst)
			rec := &recorder{}
			r.Instance(src, inst, inst.Mappings, ev, rec)
			var matched []string
			for _, s := range rec.steps {
				if m, ok := strings.CutPrefix(s, "matched "); ok {
					matched = append(matched, m)
				}
			}
			if got := strings.Join(matched, ","); got != tc.want {
				t.Errorf("round %d, %s: matched %q, want %q", round, tc.inst, got, tc.want)
			}
			if tc.data != "" && !strings.HasSuffix(rec.steps[len(rec.steps)-1], `"data":`+tc.data+`}`) {
				t.Errorf("round %d, %s: steps %q, want data %s", round, tc.inst, rec.steps, tc.data)
			}
		}
	}
}
