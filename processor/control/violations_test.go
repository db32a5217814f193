package control

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/processor/overview"
	"github.com/actuate/actuate/schemas"
)

// fakeViolations answers the overview with nothing and the violations with a fixed list.
type fakeViolations struct {
	items map[string][]schemas.ViolationSample
}

func (fakeViolations) Overview(context.Context, string, time.Time, time.Time) (*overview.Overview, error) {
	return &overview.Overview{}, nil
}

func (f fakeViolations) Violations(_ context.Context, plan string) ([]schemas.ViolationSample, error) {
	return f.items[plan], nil
}

func TestTrackingPlanViolationsEndpoint(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	src := fakeViolations{items: map[string][]schemas.ViolationSample{"plan": {{
		Time: at, Source: "web", Blocked: true, Reason: "invalid properties", Event: `{"type":"track"}`,
		Violations: []schemas.Violation{{Rule: "events.Order Completed.properties", Path: "properties", Message: "missing property 'order_id'"}},
	}}}}
	c, _ := newAPI(t, Options{Overview: src})
	c.must(201, "POST", "/v1/tracking-plans", `{"id":"plan","events":{"Order Completed":{"properties":{"type":"object","required":["order_id"]}}}}`)
	c.must(201, "POST", "/v1/tracking-plans", `{"id":"quiet","events":{}}`)
	c.must(404, "GET", "/v1/tracking-plans/nope/violations", "")

	got := c.must(200, "GET", "/v1/tracking-plans/plan/violations", "").json(t)
	items := got["items"].([]any)
	if got["tracking_plan"] != "plan" || len(items) != 1 {
		t.Fatalf("violations %v", got)
	}
	item := items[0].(map[string]any)
	v := item["violations"].([]any)[0].(map[string]any)
	if item["time"] != "2024-05-01T12:00:00Z" || item["source"] != "web" || item["blocked"] != true || item["reason"] != "invalid properties" ||
		v["rule"] != "events.Order Completed.properties" || v["path"] != "properties" || v["message"] != "missing property 'order_id'" {
		t.Errorf("violation %v", item)
	}
	if items := c.must(200, "GET", "/v1/tracking-plans/quiet/violations", "").json(t)["items"].([]any); len(items) != 0 {
		t.Errorf("a plan without violations: %v", items)
	}

	// A server without the aggregator says so.
	bare, _ := newAPI(t, Options{})
	bare.must(201, "POST", "/v1/tracking-plans", `{"id":"plan","events":{}}`)
	bare.must(501, "GET", "/v1/tracking-plans/plan/violations", "")
}

// Consent categories set through the API reach the compiled instance and come back in
// its view; a patch without them keeps them.
func TestDestinationConsentCategories(t *testing.T) {
	c, mem := newAPI(t, Options{})
	c.must(201, "POST", "/v1/sources", `{"id":"web","topics":["events"]}`)
	c.must(201, "POST", "/v1/destinations", `{"id":"hook","type":"webhook","sources":["web"],"enabled":true,"consent_categories":["Analytics"]}`)
	if got := mem.Workspace().Instance("hook").ConsentCategories; len(got) != 1 || got[0] != "Analytics" {
		t.Fatalf("compiled categories %q", got)
	}
	c.must(200, "PATCH", "/v1/destinations/hook", `{"enabled":false}`)
	view := c.must(200, "GET", "/v1/destinations/hook", "").json(t)
	if cats := view["consent_categories"].([]any); len(cats) != 1 || cats[0] != "Analytics" {
		t.Errorf("view %v", view)
	}
	c.must(200, "PATCH", "/v1/destinations/hook", `{"consent_categories":[]}`)
	if got := mem.Workspace().Instance("hook").ConsentCategories; len(got) != 0 {
		t.Errorf("categories after clearing them: %q", got)
	}
	c.must(422, "PATCH", "/v1/destinations/hook", `{"consent_categories":[" "]}`)
}
