package control

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/processor/overview"
)

func TestCatalog(t *testing.T) {
	c, _ := newAPI(t, Options{})
	list := c.must(200, "GET", "/v1/catalog", "").json(t)["items"].([]any)
	if len(list) < 2 {
		t.Fatalf("catalog lists %d destinations", len(list))
	}
	found := false
	for _, it := range list {
		row := it.(map[string]any)
		if row["slug"] == "webhook" {
			found = row["name"] == "Webhook" && row["description"] != "" && len(row["actions"].([]any)) == 1
		}
	}
	if !found {
		t.Fatalf("webhook is not in the catalog as expected: %v", list)
	}
	if got := c.must(200, "GET", "/v1/catalog?q=webhook", "").json(t)["items"].([]any); len(got) != 1 {
		t.Errorf("search for webhook: %d rows", len(got))
	}
	e := c.must(200, "GET", "/v1/catalog/webhook", "").json(t)
	settings := e["settings"].([]any)
	if e["slug"] != "webhook" || len(settings) != 1 || settings[0].(map[string]any)["secret"] != true {
		t.Errorf("webhook entry: %v", e)
	}
	action := e["actions"].([]any)[0].(map[string]any)
	if action["key"] != "send" || len(action["fields"].([]any)) < 3 {
		t.Errorf("webhook action: %v", action)
	}
	if r := c.must(404, "GET", "/v1/catalog/nope", ""); !strings.Contains(r.body, "nope") {
		t.Errorf("404 says which slug: %s", r.body)
	}
}

func TestDuplicateMapping(t *testing.T) {
	c, _ := newAPI(t, Options{})
	setup(c, "http://example.test/x")
	c.must(200, "PATCH", "/v1/destinations/hook/mappings/tracks", `{"enabled":true}`)
	c.must(201, "POST", "/v1/destinations/hook/mappings", `{"id":"last","action":"send","trigger":"type = \"page\"","mapping":{"url":"http://example.test/p"}}`)
	dup := c.must(201, "POST", "/v1/destinations/hook/mappings/tracks/duplicate", "").json(t)
	if dup["name"] != "Tracks (copy)" || dup["enabled"] != false || dup["position"] != 1.0 || dup["id"] == "tracks" {
		t.Fatalf("duplicate: %v", dup)
	}
	items := c.must(200, "GET", "/v1/destinations/hook/mappings", "").json(t)["items"].([]any)
	if len(items) != 3 || items[1].(map[string]any)["trigger"] != `type = "track"` || items[2].(map[string]any)["id"] != "last" {
		t.Fatalf("mappings after duplicating: %v", items)
	}
	c.must(404, "POST", "/v1/destinations/hook/mappings/nope/duplicate", "")
	for i := 3; i < 50; i++ {
		c.must(201, "POST", "/v1/destinations/hook/mappings/tracks/duplicate", "")
	}
	if r := c.must(409, "POST", "/v1/destinations/hook/mappings/tracks/duplicate", ""); !strings.Contains(r.body, "50 mappings") {
		t.Errorf("the 51st: %s", r.body)
	}
}

func TestDraftMappingIsTriedWithoutSaving(t *testing.T) {
	var got []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.Path)
		w.Write([]byte(`{"ok":true}`))
	}))
	defer hook.Close()
	c, mem := newAPI(t, Options{MaxConditions: 2})
	setup(c, hook.URL+"/saved")
	before := mem.Snapshot().Revision
	draft := func(trigger, mapping string, send bool) string {
		return fmt.Sprintf(`{"mapping":{"id":"tracks","action":"send","enabled":true,%s,"mapping":%s},"event":{"type":"page","userId":"ada","name":"Home"},"send":%v}`, trigger, mapping, send)
	}
	// The trigger does not match a page, yet the payload shows, coalesced and replaced.
	r := c.must(200, "POST", "/v1/destinations/hook/mappings/test", draft(`"trigger":"type = \"track\""`,
		`{"url":"`+hook.URL+`/draft","method":"POST","data":{"who":{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}},"page":{"@replace":{"value":{"@path":"$.name"},"pattern":"Home","replacement":"Start"}}}}`, false)).json(t)
	res := r["result"].(map[string]any)
	if r["matched"] != false || !strings.Contains(fmt.Sprint(res["payload"]), "who:ada") || !strings.Contains(fmt.Sprint(res["payload"]), "page:Start") {
		t.Fatalf("preview: %v", r)
	}
	// Conditions are accepted too, within the plan's limit.
	r = c.must(200, "POST", "/v1/destinations/hook/mappings/test", draft(`"conditions":{"match":"any","conditions":[{"kind":"event_type","operator":"=","value":"page"}]}`, `{"url":"`+hook.URL+`/draft","method":"POST"}`, true)).json(t)
	res = r["result"].(map[string]any)
	if r["matched"] != true || r["outcome"] != "routed" || r["error"] != nil || r["trigger"] != `type = "page"` || len(got) != 1 || got[0] != "POST /draft" {
		t.Fatalf("test with send: %v, destination got %v", r, got)
	}
	if reqs := res["requests"].([]any); len(reqs) != 1 || reqs[0].(map[string]any)["status"] != 200.0 {
		t.Fatalf("requests: %v", res["requests"])
	}
	// A validation error names the field; an invalid draft names it by the body's path.
	r = c.must(200, "POST", "/v1/destinations/hook/mappings/test", draft(`"trigger":"type = \"page\""`, `{"url":"not a url"}`, false)).json(t)
	if v := fmt.Sprint(r["result"].(map[string]any)["validation_error"]); !strings.Contains(v, "URL must be a valid URI") {
		t.Errorf("validation error: %v", r)
	}
	bad := c.must(422, "POST", "/v1/destinations/hook/mappings/test", `{"mapping":{"action":"nope","trigger":"type = \"page\"","mapping":{}},"event":{"type":"page"}}`)
	if !strings.Contains(bad.body, `"path": "mapping.action"`) {
		t.Errorf("invalid draft: %s", bad.body)
	}
	c.must(400, "POST", "/v1/destinations/hook/mappings/test", `{"mapping":{"action":"send","trigger":"type = \"page\"","mapping":{}}}`)
	c.must(404, "POST", "/v1/destinations/nope/mappings/test", `{"mapping":{},"event":{}}`)
	if mem.Snapshot().Revision != before {
		t.Error("trying a draft wrote the config")
	}
}

func TestTriggerConversion(t *testing.T) {
	c, _ := newAPI(t, Options{MaxConditions: 2})
	r := c.must(200, "POST", "/v1/triggers", `{"conditions":{"match":"all","conditions":[{"kind":"event_type","operator":"=","value":"track"},{"kind":"event_name","operator":"=","value":"Order Completed"}]}}`).json(t)
	if r["trigger"] != `type = "track" and event = "Order Completed"` || r["max_conditions"] != 2.0 {
		t.Errorf("conditions to FQL: %v", r)
	}
	r = c.must(200, "POST", "/v1/triggers", `{"trigger":"type = \"track\" or properties.plan = \"pro\""}`).json(t)
	g := r["conditions"].(map[string]any)
	if g["match"] != "any" || len(g["conditions"].([]any)) != 2 {
		t.Errorf("FQL to conditions: %v", r)
	}
	r = c.must(200, "POST", "/v1/triggers", `{"trigger":"(type = \"track\" or type = \"page\") and userId exists"}`).json(t)
	if r["conditions"] != nil || r["builder_error"] == nil {
		t.Errorf("nested FQL has no builder form: %v", r)
	}
	c.must(400, "POST", "/v1/triggers", `{"trigger":"type ="}`)
	c.must(400, "POST", "/v1/triggers", `{"conditions":{"conditions":[{"kind":"event_type","operator":"=","value":"a"},{"kind":"event_type","operator":"=","value":"b"},{"kind":"event_type","operator":"=","value":"c"}]}}`)
}

type fakeOverview struct{ calls []time.Time }

func (f *fakeOverview) Overview(_ context.Context, instance string, from, to time.Time) (*overview.Overview, error) {
	f.calls = append(f.calls, from)
	return &overview.Overview{Destination: instance, From: from, To: to, Steps: overview.Steps{Received: int64(len(f.calls))}}, nil
}

func TestDeliverySeries(t *testing.T) {
	fake := &fakeOverview{}
	c, _ := newAPI(t, Options{Overview: fake})
	setup(c, "http://example.test/x")
	r := c.must(200, "GET", "/v1/destinations/hook/delivery/series?from=2024-05-01T00:00:00Z&to=2024-05-01T01:00:00Z&buckets=4", "").json(t)
	b := r["buckets"].([]any)
	if len(b) != 4 || b[1].(map[string]any)["from"] != "2024-05-01T00:15:00Z" || b[3].(map[string]any)["successfully_received"] != 4.0 {
		t.Fatalf("series: %v", r)
	}
	c.must(400, "GET", "/v1/destinations/hook/delivery/series?buckets=0", "")
	c.must(404, "GET", "/v1/destinations/nope/delivery/series", "")
}
