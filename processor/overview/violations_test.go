package overview

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/actuate/actuate/schemas"
)

// Violation samples on the samples topic are kept per plan, newest first, at most
// ViolationsPerPlan of them; discard samples of instances are not violations.
func TestViolationsFromSamples(t *testing.T) {
	agg := &Aggregator{}
	start := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i := range ViolationsPerPlan + 5 {
		at := start.Add(time.Duration(i) * time.Second)
		agg.addSampleRecord(violationRecord(t, &schemas.ViolationSample{Time: at, Plan: "plan", Source: "web", Blocked: true, Reason: "invalid properties",
			Violations: []schemas.Violation{{Rule: "events.Order Completed.properties", Path: "properties", Message: "missing property 'order_id'"}},
			Event:      fmt.Sprintf(`{"n":%d}`, i)}))
	}
	agg.addSampleRecord(violationRecord(t, &schemas.ViolationSample{Time: start.Add(time.Hour), Plan: "other", Source: "web", Event: "{}"}))
	agg.addSampleRecord(sampleRecord(t, start, "hook", "no matching mapping", `{}`))
	agg.addSampleRecord([]byte(`{"time":"2024-05-01T13:00:00Z","plan":"json","source":"web","violations":[],"event":"{}"}`))

	items, err := agg.Violations(context.Background(), "plan")
	if err != nil || len(items) != ViolationsPerPlan {
		t.Fatalf("%d violations (%v), want the latest %d", len(items), err, ViolationsPerPlan)
	}
	first := items[0]
	if first.Event != fmt.Sprintf(`{"n":%d}`, ViolationsPerPlan+4) || !first.Blocked || first.Reason != "invalid properties" || first.Source != "web" ||
		len(first.Violations) != 1 || first.Violations[0].Rule != "events.Order Completed.properties" || first.Violations[0].Path != "properties" {
		t.Errorf("newest violation %+v", first)
	}
	if last := items[len(items)-1]; last.Event != `{"n":5}` {
		t.Errorf("oldest kept violation %+v", last)
	}
	if other, _ := agg.Violations(context.Background(), "other"); len(other) != 1 {
		t.Errorf("plan other: %+v", other)
	}
	if none, _ := agg.Violations(context.Background(), "json"); len(none) != 0 {
		t.Errorf("a JSON record was kept: %+v", none)
	}
	if none, _ := agg.Violations(context.Background(), "hook"); len(none) != 0 {
		t.Errorf("an instance's discard sample was kept as a violation: %+v", none)
	}
}

func violationRecord(t *testing.T, s *schemas.ViolationSample) []byte {
	t.Helper()
	b, err := schemas.AppendViolationSample(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
