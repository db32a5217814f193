package router

import (
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

const testWorkspace = `
sources:
  - id: web
    write_key: wk_web
    topics: [events]
    tracking_plan: plan
  - id: app
    write_key: wk_app
    topics: [shared]
  - id: backend
    write_key: wk_backend
    topics: [shared]
tracking_plans:
  - id: plan
    events:
      Order Completed: { properties: { type: object, required: [order_id] } }
    on_violation: { unplanned_events: block }
destinations:
  - id: hooks
    type: webhook
    sources: [web, app]
    enabled: true
    filters:
      - title: drop test users
        if: "match(userId, 'test-*')"
        actions: [{ type: drop_event }]
      - title: strip email
        if: "type = 'track'"
        actions: [{ type: drop_properties, fields: { properties: [email] } }]
    mappings:
      - id: orders
        enabled: true
        action: send
        trigger: 'event = "Order Completed"'
        mapping: { url: "https://hooks.example.com/orders", method: POST, data: { order: { "@path": "$.properties.order_id" }, props: { "@path": "$.properties" } } }
      - id: everything
        enabled: true
        action: send
        trigger: 'type = "track"'
        mapping: { url: "https://hooks.example.com/all", method: POST, data: { name: { "@path": "$.event" } } }
      - id: disabled
        enabled: false
        action: send
        trigger: 'type = "track"'
        mapping: { url: "https://hooks.example.com/never", method: POST }
      - id: bad-url
        enabled: true
        action: send
        trigger: 'properties.broken = true'
        mapping: { url: "https://hooks.example.com/broken", method: POST, data: { "@path": "$.event" } }
  - id: raw
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - id: raw-orders
        enabled: true
        action: send
        trigger: 'type = "track"'
        mapping: { url: "https://raw.example.com/", method: PUT, data: { "@path": "$.properties" } }
  - id: off
    type: webhook
    sources: [web]
    enabled: false
    mappings:
      - id: x
        enabled: true
        action: send
        trigger: 'type = "track"'
        mapping: { url: "https://off.example.com/", method: POST }
`

type routed struct {
	requests    []*schemas.ActionRequest
	topics      []string
	deadLetters []*schemas.DeadLetter
	samples     []sampleRecord
	violations  []*schemas.ViolationSample
}

type sampleRecord struct {
	schemas.DiscardSample
	key string
}

func routeOne(t *testing.T, p *Pipeline, ws *workspace.Workspace, in Input) routed {
	t.Helper()
	var r routed
	p.Process(ws, &in, func(out Output) {
		out.Value = append([]byte(nil), out.Value...) // the pipeline reuses its buffers
		if out.Topic == schemas.TopicProfilesChangelog || out.Topic == schemas.TopicProfilesRepartition {
			return // profiles' records: pipeline_profiles_test.go
		}
		if out.Topic == "actuate.dlq" {
			dl, err := schemas.DecodeDeadLetter(out.Value)
			if err != nil {
				t.Fatal(err)
			}
			r.deadLetters = append(r.deadLetters, dl)
			return
		}
		if out.Topic == DefaultSamplesTopic {
			rec, err := schemas.DecodeSample(out.Value)
			if err != nil {
				t.Fatalf("sample % x: %v", out.Value, err)
			}
			switch rec := rec.(type) {
			case *schemas.DiscardSample:
				r.samples = append(r.samples, sampleRecord{DiscardSample: *rec, key: string(out.Key)})
			case *schemas.ViolationSample:
				if string(out.Key) != rec.Plan {
					t.Fatalf("violation sample keyed %q, plan %q", out.Key, rec.Plan)
				}
				r.violations = append(r.violations, rec)
			}
			return
		}
		ar, err := schemas.DecodeActionRequest(out.Value)
		if err != nil {
			t.Fatal(err)
		}
		r.requests = append(r.requests, ar)
		r.topics = append(r.topics, out.Topic)
	})
	return r
}

func TestPipelineRoutesThroughProtocolsFiltersAndTriggers(t *testing.T) {
	ws := testws.Compile(t, testWorkspace)
	tally := NewTally()
	p := NewPipeline("actuate.dlq", event.Limits{}, tally)
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

	order := `{"type":"track","event":"Order Completed","userId":"u1","messageId":"m1","properties":{"order_id":"o-1","email":"a@b.c","total":5}}`
	r := routeOne(t, p, ws, Input{Topic: "events", Partition: 2, Offset: 10, Key: []byte("u1"), Value: []byte(order), Timestamp: at})
	if len(r.deadLetters) != 0 {
		t.Fatalf("unexpected dead letters: %+v", r.deadLetters[0])
	}
	want := []struct{ topic, mapping, payload string }{
		{"actuate.delivery.hooks", "orders", `{"url":"https://hooks.example.com/orders","method":"POST","data":{"order":"o-1","props":{"order_id":"o-1","total":5}}}`},
		{"actuate.delivery.hooks", "everything", `{"url":"https://hooks.example.com/all","method":"POST","data":{"name":"Order Completed"}}`},
		{"actuate.delivery.raw", "raw-orders", `{"url":"https://raw.example.com/","method":"PUT","data":{"order_id":"o-1","email":"a@b.c","total":5}}`},
	}
	if len(r.requests) != len(want) {
		t.Fatalf("got %d requests, want %d", len(r.requests), len(want))
	}
	for i, w := range want {
		got := r.requests[i]
		if r.topics[i] != w.topic || got.Mapping != w.mapping || string(got.Payload) != w.payload {
			t.Errorf("request %d: topic %s mapping %s payload %s\nwant topic %s mapping %s payload %s", i, r.topics[i], got.Mapping, got.Payload, w.topic, w.mapping, w.payload)
		}
		if got.MessageID != "m1" || got.Action != "send" || !got.ReceivedAt.Equal(at) || got.ConfigVersion != ws.Version {
			t.Errorf("request %d metadata: %+v", i, got)
		}
	}
	assertOutcomes(t, tally, map[[4]string]int{
		{"hooks", metrics.OutcomeRouted, "", ""}: 1,
		{"raw", metrics.OutcomeRouted, "", ""}:   1,
	})
}

// An event without a messageId is known by its record's position, also after an event
// with one (the pipeline keeps the id in a buffer it reuses).
func TestPipelineMessageIDOfRecordPosition(t *testing.T) {
	ws := testws.Compile(t, testWorkspace)
	p := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
	for _, c := range []struct{ event, want string }{
		{`{"type":"track","event":"Order Completed","properties":{"order_id":"o-1"},"userId":"u1","messageId":"a-longer-message-id"}`, "a-longer-message-id"},
		{`{"type":"track","event":"Order Completed","properties":{"order_id":"o-1"},"userId":"u1"}`, "kafka:events/2/11"},
		{`{"type":"track","event":"Order Completed","properties":{"order_id":"o-1"},"userId":"u1","messageId":"m3"}`, "m3"},
	} {
		r := routeOne(t, p, ws, Input{Topic: "events", Partition: 2, Offset: 11, Key: []byte("u1"), Value: []byte(c.event)})
		if len(r.requests) == 0 {
			t.Fatalf("%s: no request", c.event)
		}
		for _, req := range r.requests {
			if req.MessageID != c.want {
				t.Errorf("%s: message id %q, want %q", c.event, req.MessageID, c.want)
			}
		}
	}
}

func TestPipelineOutcomes(t *testing.T) {
	ws := testws.Compile(t, testWorkspace)
	cases := []struct {
		name        string
		in          Input
		outcomes    map[[4]string]int
		requests    int
		deadLetters []string // stage: reason prefix
	}{
		{
			name: "blocked by the tracking plan",
			in:   Input{Topic: "events", Value: []byte(`{"type":"track","event":"Unplanned","userId":"u1"}`)},
			outcomes: map[[4]string]int{
				{"hooks", metrics.OutcomeFiltered, "protocols", ""}: 1,
				{"raw", metrics.OutcomeFiltered, "protocols", ""}:   1,
			},
		},
		{
			name: "dropped by a destination filter",
			in:   Input{Topic: "events", Value: []byte(`{"type":"track","event":"Order Completed","userId":"test-7","properties":{"order_id":"x"}}`)},
			outcomes: map[[4]string]int{
				{"hooks", metrics.OutcomeFiltered, "filter", "drop test users"}: 1,
				{"raw", metrics.OutcomeRouted, "", ""}:                          1,
			},
			requests: 1,
		},
		{
			name: "no matching mapping",
			in:   Input{Topic: "events", Value: []byte(`{"type":"identify","userId":"u1","traits":{}}`)},
			outcomes: map[[4]string]int{
				{"hooks", metrics.OutcomeNoMatchingMapping, "trigger", ""}: 1,
				{"raw", metrics.OutcomeNoMatchingMapping, "trigger", ""}:   1,
			},
		},
		{
			name: "payload validation fails for one mapping only",
			in:   Input{Topic: "shared", WriteKey: "wk_app", Value: []byte(`{"type":"track","event":"Broken","userId":"u1","properties":{"broken":true}}`)},
			outcomes: map[[4]string]int{
				{"hooks", metrics.OutcomeRouted, "", ""}: 1,
			},
			requests:    1,
			deadLetters: []string{"validate: payload validation failed"},
		},
		{
			name:        "malformed JSON",
			in:          Input{Topic: "events", Value: []byte(`{"type":"track",`)},
			deadLetters: []string{"decode: malformed JSON"},
		},
		{
			name:        "invalid UTF-8",
			in:          Input{Topic: "events", Value: []byte("{\"type\":\"track\",\"event\":\"\xff\"}")},
			deadLetters: []string{"decode: invalid UTF-8"},
		},
		{
			name:        "wrong types",
			in:          Input{Topic: "events", Value: []byte(`{"type":"track","event":"x","properties":[1]}`)},
			deadLetters: []string{"decode: invalid field properties"},
		},
		{
			name:        "deep nesting",
			in:          Input{Topic: "events", Value: []byte(`{"type":"track","event":"x","properties":{"a":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}}`)},
			deadLetters: []string{"decode: nesting too deep"},
		},
		{
			name:        "oversize",
			in:          Input{Topic: "events", Value: []byte(`{"type":"track","event":"x","properties":{"a":"` + strings.Repeat("x", 1<<20) + `"}}`)},
			deadLetters: []string{"decode: event too large"},
		},
		{
			name:        "unknown source",
			in:          Input{Topic: "events", WriteKey: "wk_nobody", Value: []byte(`{"type":"track","event":"x"}`)},
			deadLetters: []string{"source: unknown write key"},
		},
		{
			name:        "shared topic without a write key",
			in:          Input{Topic: "shared", Value: []byte(`{"type":"track","event":"x"}`)},
			deadLetters: []string{"source: several sources read this topic"},
		},
		{
			name: "source without connected instances counts only its reception",
			in:   Input{Topic: "shared", WriteKey: "wk_backend", Value: []byte(`{"type":"track","event":"x"}`)},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tally := NewTally()
			p := NewPipeline("actuate.dlq", event.Limits{}, tally)
			r := routeOne(t, p, ws, tc.in)
			if len(r.requests) != tc.requests {
				t.Errorf("got %d requests, want %d", len(r.requests), tc.requests)
			}
			if len(r.deadLetters) != len(tc.deadLetters) {
				t.Fatalf("got %d dead letters, want %d: %+v", len(r.deadLetters), len(tc.deadLetters), r.deadLetters)
			}
			for i, want := range tc.deadLetters {
				dl := r.deadLetters[i]
				got := string(dl.Stage) + ": " + dl.Reason
				original := tc.in.Value
				if len(original) > MaxDeadLetterOriginal {
					original = original[:MaxDeadLetterOriginal]
				}
				if !strings.HasPrefix(got, want) || dl.Error == "" || string(dl.Original) != string(original) {
					t.Errorf("dead letter %d: %q (error %q), want prefix %q and the original bytes", i, got, dl.Error, want)
				}
			}
			assertOutcomes(t, tally, tc.outcomes)
		})
	}
}

func TestPipelineAvroEnvelope(t *testing.T) {
	ws := testws.Compile(t, testWorkspace)
	value, err := schemas.AppendEventEnvelope(nil, &schemas.EventEnvelope{WriteKey: "wk_app", Event: []byte(`{"type":"track","event":"Hi","userId":"u9"}`)})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
	r := routeOne(t, p, ws, Input{Topic: "shared", Value: value})
	if len(r.requests) != 1 || string(r.requests[0].Payload) != `{"url":"https://hooks.example.com/all","method":"POST","data":{"name":"Hi"}}` {
		t.Fatalf("got %+v, dead letters %+v", r.requests, r.deadLetters)
	}
}

func TestPipelineSamplingByPathIsConsistent(t *testing.T) {
	ws := testws.Compile(t, `
sources: [{ id: web, topics: [events] }]
destinations:
  - id: sampled
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ if: "type = 'track'", actions: [{ type: sample, percent: 0.5, path: userId }] }]
    mappings: [{ id: m, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://x.example.com/", method: POST } }]
`)
	p := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
	kept := 0
	for i := range 200 {
		user := "user-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		first := len(routeOne(t, p, ws, Input{Topic: "events", Value: []byte(`{"type":"track","event":"e","userId":"` + user + `"}`)}).requests)
		second := len(routeOne(t, p, ws, Input{Topic: "events", Value: []byte(`{"type":"track","event":"f","userId":"` + user + `"}`)}).requests)
		if first != second {
			t.Fatalf("user %s kept once and dropped once", user)
		}
		kept += first
	}
	if kept < 60 || kept > 140 {
		t.Fatalf("kept %d of 200 users at 50%%", kept)
	}
}

func assertOutcomes(t *testing.T, tally *Tally, want map[[4]string]int) {
	t.Helper()
	if len(tally.outcomes) != len(want) {
		t.Errorf("outcomes %v, want %v", tally.outcomes, want)
		return
	}
	for k, n := range want {
		if tally.outcomes[k] != n {
			t.Errorf("outcome %v = %d, want %d (all: %v)", k, tally.outcomes[k], n, tally.outcomes)
		}
	}
}

func FuzzPipeline(f *testing.F) {
	for _, s := range []string{`{"type":"track","event":"Order Completed","userId":"u1","properties":{"order_id":"o"}}`, `{}`, `[`, `{"type":"track","event":"x","properties":{"broken":true}}`} {
		f.Add([]byte(s), "")
	}
	ws := testws.Compile(f, testWorkspace)
	f.Fuzz(func(t *testing.T, value []byte, writeKey string) {
		tally := NewTally()
		p := NewPipeline("actuate.dlq", event.Limits{MaxBytes: 1 << 16}, tally)
		p.Process(ws, &Input{Topic: "events", Value: value, WriteKey: writeKey}, func(Output) {})
		if tally.err != nil {
			t.Fatalf("internal error: %v", tally.err)
		}
	})
}

func TestPipelineFilterScopedToOneSource(t *testing.T) {
	ws := testws.Compile(t, `
sources: [{ id: web, write_key: wk_web, topics: [shared] }, { id: app, write_key: wk_app, topics: [shared] }]
destinations:
  - id: hooks
    type: webhook
    sources: [web, app]
    enabled: true
    filters: [{ title: no app tracks, source_id: app, if: "type = 'track'", actions: [{ type: drop }] }]
    mappings: [{ id: m, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://x.example.com/", method: POST } }]
`)
	for _, tc := range []struct {
		writeKey string
		requests int
	}{{"wk_web", 1}, {"wk_app", 0}} {
		p := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
		r := routeOne(t, p, ws, Input{Topic: "shared", WriteKey: tc.writeKey, Value: []byte(`{"type":"track","event":"e","userId":"u"}`)})
		if len(r.requests) != tc.requests {
			t.Errorf("%s: %d requests, want %d", tc.writeKey, len(r.requests), tc.requests)
		}
	}
	cfg, _ := config.Parse([]byte(`
sources: [{ id: web, topics: [events] }]
destinations: [{ id: h, type: webhook, sources: [web], filters: [{ source_id: elsewhere, if: "type = 'x'", actions: [{ type: drop }] }] }]
`))
	if _, err := workspace.Compile(cfg, destinations.Get); err == nil || !strings.Contains(err.Error(), `filters[0].source_id: "elsewhere" is not one of this instance's sources`) {
		t.Fatalf("got %v", err)
	}
}
