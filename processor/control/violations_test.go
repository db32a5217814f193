package control

import (
	"fmt"
	"testing"
	"time"
)

// Violation samples on the samples topic are served per plan, newest first, at most
// ViolationsPerPlan of them.
func TestTrackingPlanViolationsFromSamples(t *testing.T) {
	agg := &Aggregator{}
	c, _ := newAPI(t, Options{Overview: agg})
	c.must(201, "POST", "/v1/tracking-plans", `{"id":"plan","events":{"Order Completed":{"properties":{"type":"object","required":["order_id"]}}}}`)
	c.must(404, "GET", "/v1/tracking-plans/nope/violations", "")
	if items := c.must(200, "GET", "/v1/tracking-plans/plan/violations", "").json(t)["items"].([]any); len(items) != 0 {
		t.Fatalf("violations before any sample: %v", items)
	}

	start := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i := range ViolationsPerPlan + 5 {
		at := start.Add(time.Duration(i) * time.Second)
		agg.addSampleRecord([]byte(fmt.Sprintf(`{"time":%q,"plan":"plan","source":"web","blocked":true,"reason":"invalid properties",`+
			`"violations":[{"rule":"events.Order Completed.properties","path":"properties","message":"missing property 'order_id'"}],"event":"{\"n\":%d}"}`,
			at.Format(time.RFC3339Nano), i)))
	}
	agg.addSampleRecord([]byte(`{"time":"2024-05-01T13:00:00Z","plan":"other","source":"web","violations":[],"event":"{}"}`))
	// An instance's discard sample is not a violation.
	agg.addSampleRecord(sampleJSON(t, start, "hook", "no matching mapping", `{}`))

	items := c.must(200, "GET", "/v1/tracking-plans/plan/violations", "").json(t)["items"].([]any)
	if len(items) != ViolationsPerPlan {
		t.Fatalf("%d violations, want the latest %d", len(items), ViolationsPerPlan)
	}
	first := items[0].(map[string]any)
	v := first["violations"].([]any)[0].(map[string]any)
	if first["event"] != fmt.Sprintf(`{"n":%d}`, ViolationsPerPlan+4) || first["blocked"] != true || first["reason"] != "invalid properties" ||
		v["rule"] != "events.Order Completed.properties" || v["path"] != "properties" {
		t.Errorf("newest violation %v", first)
	}
	if last := items[len(items)-1].(map[string]any); last["event"] != `{"n":5}` {
		t.Errorf("oldest kept violation %v", last)
	}
}
