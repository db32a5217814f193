package overview

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// A secret with characters JSON escapes (with and without HTML escaping).
const sampleSecret = `sk<live>&"q\z-0123456789`

func samplesWorkspace(t *testing.T, secret string) *workspace.Workspace {
	t.Helper()
	q, _ := json.Marshal(secret)
	cfg, err := config.Parse([]byte(fmt.Sprintf(`
sources: [{ id: web, topics: [events] }]
destinations:
  - id: hook
    type: webhook
    sources: [web]
    enabled: true
    settings: { sharedSecret: %s }
  - id: other
    type: webhook
    sources: [web]
    enabled: true
`, q)))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// secretEvent is an event that carries the secret, as a client would send it in JSON.
func secretEvent(name string) string {
	q, _ := json.Marshal(sampleSecret)
	return `{"type":"track","event":"` + name + `","properties":{"token":` + string(q) + `}}`
}

func sampleRecord(t *testing.T, at time.Time, instance, reason, event string) []byte {
	t.Helper()
	b, err := schemas.AppendDiscardSample(nil, &schemas.DiscardSample{Time: at, Instance: instance, Reason: reason, Event: event})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deadLetter(t *testing.T, dl *schemas.DeadLetter) []byte {
	t.Helper()
	b, err := schemas.AppendDeadLetter(nil, dl)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOverviewSamplesFromAnInMemoryFeed(t *testing.T) {
	ws := samplesWorkspace(t, sampleSecret)
	agg := &Aggregator{Workspace: func() *workspace.Workspace { return ws }}
	now := time.Now().UTC().Truncate(time.Second)
	from, to := now.Add(-time.Hour), now.Add(time.Minute)

	// Fifteen drops by one filter: the ten latest stay, whatever order they arrive in.
	for _, i := range []int{3, 14, 0, 7, 1, 12, 9, 2, 13, 4, 11, 5, 10, 6, 8} {
		agg.addSampleRecord(sampleRecord(t, now.Add(-time.Duration(15-i)*time.Minute), "hook", "filtered by no bots", secretEvent(fmt.Sprint("drop-", i))))
	}
	agg.addSampleRecord(sampleRecord(t, now.Add(-time.Minute), "hook", router.SampleReasonNoMatch, secretEvent("unmatched")))
	agg.addSampleRecord(sampleRecord(t, now.Add(-time.Minute), "other", router.SampleReasonNoMatch, secretEvent("other's")))
	agg.addSampleRecord(sampleRecord(t, now.Add(-2*time.Hour), "hook", router.SampleReasonProtocols, secretEvent("before the range")))

	// A processor dead letter holds the event as consumed (here an Avro envelope); a
	// sender's holds the rendered payload and an error that may echo the secret.
	env, _ := schemas.AppendEventEnvelope(nil, &schemas.EventEnvelope{Event: []byte(secretEvent("invalid"))})
	agg.addDeadLetter(deadLetter(t, &schemas.DeadLetter{Stage: schemas.StageValidate, Reason: "payload validation failed",
		Error: "url: is required", Original: env, Instance: "hook", Mapping: "orders", OccurredAt: now.Add(-3 * time.Minute)}))
	agg.addDeadLetter(deadLetter(t, &schemas.DeadLetter{Stage: schemas.StageDeliver, Reason: "HTTP 400",
		Error: "HTTP 400: bad signature key " + sampleSecret, Original: []byte(`{"url":"https://x.example.com"}`),
		Instance: "hook", Mapping: "orders", Attempts: 1, OccurredAt: now.Add(-2 * time.Minute)}))
	agg.addDeadLetter(deadLetter(t, &schemas.DeadLetter{Stage: schemas.StageDecode, Reason: "malformed JSON",
		Error: "malformed JSON", Original: []byte(`{`), Source: "web", OccurredAt: now}))

	// A cut event that ends with the first part of the secret.
	q, _ := json.Marshal(sampleSecret)
	escaped := string(q[1 : len(q)-1])
	cut := `{"type":"track","properties":{"pad":"` + strings.Repeat("x", 100) + `","token":"` + escaped[:len(escaped)-4]
	rec, _ := schemas.AppendDiscardSample(nil, &schemas.DiscardSample{Time: now.Add(-time.Minute), Instance: "hook", Reason: "filtered by big", Event: cut, Truncated: true})
	agg.addSampleRecord(rec)

	ov, err := agg.Overview(t.Context(), "hook", from, to)
	if err != nil {
		t.Fatal(err)
	}
	reasons := []string{}
	for r := range ov.Samples {
		reasons = append(reasons, r)
	}
	if len(ov.Samples) != 5 {
		t.Fatalf("reasons %q", reasons)
	}
	drops := ov.Samples["filtered by no bots"]
	if len(drops) != SamplesPerReason {
		t.Fatalf("%d drop samples", len(drops))
	}
	for i, s := range drops {
		if want := fmt.Sprint(`"event":"drop-`, 14-i, `"`); !strings.Contains(s.Payload, want) {
			t.Errorf("drop sample %d: %s, want %s (newest first)", i, s.Payload, want)
		}
	}
	if s := ov.Samples["no matching mapping"]; len(s) != 1 || !strings.Contains(s[0].Payload, "unmatched") {
		t.Errorf("no match samples %+v", s)
	}
	if s := ov.Samples["validate: payload validation failed"]; len(s) != 1 || s[0].Mapping != "orders" || s[0].Error != "url: is required" ||
		!strings.HasPrefix(s[0].Payload, `{"type":"track","event":"invalid"`) {
		t.Errorf("validation samples %+v", s)
	}
	if s := ov.Samples["deliver: HTTP 400"]; len(s) != 1 || s[0].Error != "HTTP 400: bad signature key [redacted]" || s[0].Payload != `{"url":"https://x.example.com"}` {
		t.Errorf("delivery samples %+v", s)
	}
	if s := ov.Samples["filtered by big"]; len(s) != 1 || !s[0].Truncated || !strings.HasSuffix(s[0].Payload, `"token":"[redacted]`) {
		t.Errorf("cut sample %+v", s)
	}
	out, _ := json.Marshal(ov)
	if !strings.Contains(string(out), `\"token\":\"[redacted]\"`) {
		t.Errorf("no masked token in %s", out)
	}
	var forms []string
	for _, v := range destkit.InstanceSecrets(ws.Instance("hook").Dest) {
		if len(v) >= 8 {
			q, _ := json.Marshal(v) // escaped as JSON, HTML characters too
			forms = append(forms, v, base64.StdEncoding.EncodeToString([]byte(v)), string(q[1:len(q)-1]))
		}
	}
	if len(forms) == 0 {
		t.Fatal("the instance has no secret to look for")
	}
	for _, form := range forms {
		if strings.Contains(string(out), form[:len(form)-4]) {
			t.Fatalf("the secret (as %q) is in the overview: %s", form, out)
		}
		for _, list := range ov.Samples {
			for _, s := range list {
				if strings.Contains(s.Payload+s.Error, form[:len(form)-4]) {
					t.Fatalf("the secret (as %q) is in sample %+v", form, s)
				}
			}
		}
	}

	// A range that holds only the older sample.
	ov, _ = agg.Overview(t.Context(), "hook", now.Add(-3*time.Hour), now.Add(-time.Hour))
	if len(ov.Samples) != 1 || len(ov.Samples["filtered by protocols"]) != 1 {
		t.Errorf("older range: %+v", ov.Samples)
	}

	// A secret changed after a sample was kept is masked as well.
	rotated := samplesWorkspace(t, "drop-14")
	agg.Workspace = func() *workspace.Workspace { return rotated }
	ov, _ = agg.Overview(t.Context(), "hook", from, to)
	if strings.Contains(ov.Samples["filtered by no bots"][0].Payload, "drop-14") {
		t.Errorf("the current secret is not masked: %s", ov.Samples["filtered by no bots"][0].Payload)
	}
}

func TestSampleStoreIsBounded(t *testing.T) {
	now := time.Date(2024, 5, 8, 12, 0, 0, 0, time.UTC)
	st := newSampleStore(40 << 10)
	st.now = func() time.Time { return now }
	payload := strings.Repeat("x", 1000)
	// Eight days of hourly samples, 20 an hour, of two reasons.
	for h := 8 * 24; h > 0; h-- {
		for i := range 20 {
			st.add("hook", fmt.Sprint("reason ", i%2), Sample{Time: now.Add(-time.Duration(h)*time.Hour + time.Duration(i)*time.Minute), Payload: payload})
		}
	}
	if st.bytes > st.maxBytes {
		t.Fatalf("%d bytes held, the bound is %d", st.bytes, st.maxBytes)
	}
	held := 0
	for k, set := range st.buckets {
		held += len(set.items)
		if len(set.items) > SamplesPerReason {
			t.Fatalf("%v holds %d samples", k, len(set.items))
		}
	}
	// The newest windows are the ones kept.
	got := st.latest("hook", now.Add(-2*time.Hour), now, nil)
	if len(got["reason 0"]) != SamplesPerReason || len(got["reason 1"]) != SamplesPerReason {
		t.Fatalf("latest window: %d and %d samples (%d held)", len(got["reason 0"]), len(got["reason 1"]), held)
	}
	if got := st.latest("hook", now.Add(-8*24*time.Hour), now.Add(-24*time.Hour), nil); len(got) != 0 {
		t.Fatalf("old windows kept over the bound: %d reasons", len(got))
	}

	// Nothing older than the overview's longest range is kept, whatever the bound.
	st = newSampleStore(0)
	st.now = func() time.Time { return now }
	st.add("hook", "r", Sample{Time: now.Add(-sampleHistory - time.Minute), Payload: payload})
	st.add("hook", "r", Sample{Time: now.Add(-sampleHistory + time.Minute), Payload: payload})
	now = now.Add(2 * time.Hour)
	st.add("hook", "r", Sample{Time: now, Payload: payload})
	if len(st.buckets) != 1 {
		t.Fatalf("%d buckets after the history moved on", len(st.buckets))
	}
}
