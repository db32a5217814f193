package router

import (
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/schemas"
)

func samplingPipeline(perMinute int, at *time.Time) *Pipeline {
	p := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
	p.EnableSamples(DefaultSamplesTopic, perMinute)
	p.now = func() time.Time { return *at }
	return p
}

func TestPipelineSamplesDiscards(t *testing.T) {
	ws := testws.Compile(t, testWorkspace)
	at := time.Date(2024, 5, 1, 12, 0, 30, 0, time.UTC)
	p := samplingPipeline(10, &at)

	for _, tc := range []struct {
		name, value string
		want        []string // instance: reason
	}{
		{"protocols", `{"type":"track","event":"Unplanned","userId":"u1"}`, []string{"hooks: filtered by protocols", "raw: filtered by protocols"}},
		{"no match", `{"type":"identify","userId":"u2","traits":{"plan":"pro"}}`, []string{"hooks: no matching mapping", "raw: no matching mapping"}},
		{"routed", `{"type":"track","event":"Order Completed","userId":"u3","properties":{"order_id":"o"}}`, nil},
	} {
		r := routeOne(t, p, ws, Input{Topic: "events", Value: []byte(tc.value)})
		var got []string
		for _, s := range r.samples {
			got = append(got, s.Instance+": "+s.Reason)
			if s.Event != tc.value || s.key != s.Instance || !s.Time.Equal(at) || s.Truncated {
				t.Errorf("%s: sample %+v", tc.name, s)
			}
		}
		if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
			t.Errorf("%s: samples %q, want %q", tc.name, got, tc.want)
		}
	}

	// The protocols discard also samples the plan's violation, for the plan's page.
	r := routeOne(t, p, ws, Input{Topic: "events", Value: []byte(`{"type":"track","event":"Unplanned","userId":"u9"}`)})
	if len(r.violations) != 1 {
		t.Fatalf("violation samples %+v", r.violations)
	}
	v := r.violations[0]
	if v.Plan != "plan" || v.Source != "web" || !v.Blocked || v.Reason != "unplanned event" || !v.Time.Equal(at) ||
		len(v.Violations) != 1 || v.Violations[0].Rule != "unplanned event" || v.Violations[0].Path != "event" ||
		v.Event != `{"type":"track","event":"Unplanned","userId":"u9"}` {
		t.Errorf("violation sample %+v", v)
	}
	if n := p.tally.violations[[2]string{"plan", "unplanned event"}]; n != 2 {
		t.Errorf("violations counted for the plan's unplanned-event rule: %d, want 2 (this event and the first)", n)
	}

	// A destination filter, on a source without a tracking plan; by the filter's name.
	r = routeOne(t, p, ws, Input{Topic: "shared", WriteKey: "wk_app", Value: []byte(`{"type":"track","event":"x","userId":"test-9"}`)})
	if len(r.samples) != 1 || r.samples[0].Reason != "filtered by drop test users" || r.samples[0].Instance != "hooks" {
		t.Errorf("filter samples %+v", r.samples)
	}

	// Dead letters are samples already: a validation failure emits none.
	r = routeOne(t, p, ws, Input{Topic: "shared", WriteKey: "wk_app", Value: []byte(`{"type":"track","event":"x","userId":"u","properties":{"broken":true}}`)})
	if len(r.deadLetters) != 1 || len(r.samples) != 0 {
		t.Errorf("dead letters %d, samples %+v", len(r.deadLetters), r.samples)
	}

	// Samples of an Avro event hold its JSON, and a large event is cut on a character.
	big := `{"type":"identify","userId":"u","traits":{"bio":"` + strings.Repeat("é", MaxSampleEvent) + `"}}`
	value, err := schemas.AppendEventEnvelope(nil, &schemas.EventEnvelope{WriteKey: "wk_app", Event: []byte(big)})
	if err != nil {
		t.Fatal(err)
	}
	r = routeOne(t, p, ws, Input{Topic: "shared", Value: value})
	if len(r.samples) != 1 || !r.samples[0].Truncated || len(r.samples[0].Event) > MaxSampleEvent || len(r.samples[0].Event) < MaxSampleEvent-1 ||
		!strings.HasPrefix(big, r.samples[0].Event) {
		t.Fatalf("big event: %d samples", len(r.samples))
	}
}

func TestPipelineSampleBudget(t *testing.T) {
	ws := testws.Compile(t, testWorkspace)
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	p := samplingPipeline(3, &at)
	count := func(value string) map[string]int {
		n := map[string]int{}
		for range 10 {
			for _, s := range routeOne(t, p, ws, Input{Topic: "shared", WriteKey: "wk_app", Value: []byte(value)}).samples {
				n[s.Instance+": "+s.Reason]++
			}
		}
		return n
	}
	dropped := `{"type":"track","event":"x","userId":"test-1"}`
	if n := count(dropped); len(n) != 1 || n["hooks: filtered by drop test users"] != 3 {
		t.Fatalf("first minute: %v", n)
	}
	// Another reason of the same instance has a budget of its own.
	if n := count(`{"type":"identify","userId":"u"}`); n["hooks: no matching mapping"] != 3 {
		t.Fatalf("no match: %v", n)
	}
	at = at.Add(59 * time.Second)
	if n := count(dropped); len(n) != 0 {
		t.Fatalf("same minute: %v", n)
	}
	at = at.Add(time.Second)
	if n := count(dropped); n["hooks: filtered by drop test users"] != 3 {
		t.Fatalf("next minute: %v", n)
	}

	off := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
	if r := routeOne(t, off, ws, Input{Topic: "shared", WriteKey: "wk_app", Value: []byte(dropped)}); len(r.samples) != 0 {
		t.Fatalf("samples while disabled: %+v", r.samples)
	}
}

// Once a budget is spent, sampling must cost the hot path nothing but a map lookup.
func TestPipelineSpentSampleBudgetDoesNotAllocate(t *testing.T) {
	ws := testws.Compile(t, testWorkspace)
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	p := samplingPipeline(2, &at)
	emitted := 0
	emit := func(Output) { emitted++ }
	p.cur.eventJSON = []byte(`{"type":"track"}`)
	name := strings.Repeat("filter ", 3)
	for range 2 {
		p.sample(emit, "hooks", sampleFilter, name)
	}
	if emitted != 2 {
		t.Fatalf("emitted %d", emitted)
	}
	if n := testing.AllocsPerRun(1000, func() { p.sample(emit, "hooks", sampleFilter, name) }); n != 0 || emitted != 2 {
		t.Fatalf("%v allocations per spent sample (emitted %d)", n, emitted)
	}

	// The whole pipeline: a filtered event allocates no more with a spent budget than
	// with sampling off.
	in := Input{Topic: "shared", WriteKey: "wk_app", Value: []byte(`{"type":"track","event":"x","userId":"test-1"}`)}
	run := func(p *Pipeline) float64 {
		for range 5 {
			p.Process(ws, &in, emit)
		}
		return testing.AllocsPerRun(1000, func() { p.Process(ws, &in, emit) })
	}
	off := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
	off.now = p.now
	spent, base := run(p), run(off)
	t.Logf("allocations per filtered event: %v with a spent budget, %v without sampling", spent, base)
	if spent > base {
		t.Fatalf("%v allocations per filtered event with a spent budget, %v without sampling", spent, base)
	}
}
