package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const designExample = `
sources:
  - id: web
    write_key: wk_web
    topics: [events]
    tracking_plan: web-plan
tracking_plans:
  - id: web-plan
    events:
      Order Completed: { properties: { type: object, required: [order_id] } }
    on_violation: { unplanned_events: block, invalid_properties: omit }
destinations:
  - id: amplitude-prod
    type: amplitude
    sources: [web]
    enabled: true
    settings: { apiKey: "${env:ACTUATE_TEST_AMPLITUDE_KEY}", nested: { token: "Bearer ${file:SECRET_FILE}" } }
    filters:
      - if: "received_at < '2023-04-21T19:55:00.933Z'"
        actions: [{ type: drop_event }]
    mappings:
      - id: page-calls
        name: Page Calls
        enabled: true
        action: logEvent
        trigger: 'type = "page"'
        mapping: { event_type: { "@template": "Viewed {{name}}" }, user_id: { "@path": "$.userId" }, "10": 1, n: 1.50, b: true, z: null }
`

func parseExample(t *testing.T, text string) (*Workspace, error) {
	t.Helper()
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("file-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return Parse([]byte(strings.ReplaceAll(text, "SECRET_FILE", secret)))
}

func TestParseDesignExample(t *testing.T) {
	t.Setenv("ACTUATE_TEST_AMPLITUDE_KEY", "amp-secret")
	ws, err := parseExample(t, designExample)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.Sources) != 1 || ws.Sources[0].Topics[0] != "events" || ws.Sources[0].TrackingPlan != "web-plan" {
		t.Fatalf("sources: %+v", ws.Sources)
	}
	plan := ws.TrackingPlans[0]
	if string(plan.Events["Order Completed"]["properties"]) != `{"type":"object","required":["order_id"]}` {
		t.Fatalf("schema as JSON: %s", plan.Events["Order Completed"]["properties"])
	}
	if plan.OnViolation.UnplannedEvents != "block" || plan.OnViolation.InvalidProperties != "omit" {
		t.Fatalf("on_violation: %+v", plan.OnViolation)
	}
	d := ws.Destinations[0]
	if d.Settings["apiKey"] != "amp-secret" || d.Settings["nested"].(map[string]any)["token"] != "Bearer file-secret" {
		t.Fatalf("secrets not resolved: apiKey=%v", d.Settings["apiKey"] != nil)
	}
	if !d.Filters[0].IsEnabled() || d.Filters[0].Actions[0].Type != "drop_event" {
		t.Fatalf("filters: %+v", d.Filters)
	}
	m := d.Mappings[0]
	want := `{"event_type":{"@template":"Viewed {{name}}"},"user_id":{"@path":"$.userId"},"10":1,"n":1.5,"b":true,"z":null}`
	if string(m.Mapping) != want {
		t.Fatalf("mapping JSON keeps YAML key order and types:\n got  %s\n want %s", m.Mapping, want)
	}
	if ws.Version <= 0 {
		t.Fatalf("version %d, want a positive content hash", ws.Version)
	}
	text := []byte("sources: [{id: web, topics: [events]}]\n")
	a, _ := Parse(text)
	b, _ := Parse(text)
	c, _ := Parse([]byte("sources: [{id: web, topics: [other]}]\n"))
	if a.Version != b.Version || a.Version == c.Version {
		t.Fatalf("versions %d %d %d: the same content must get the same version, other content another", a.Version, b.Version, c.Version)
	}
}

func TestParseErrors(t *testing.T) {
	t.Setenv("ACTUATE_TEST_AMPLITUDE_KEY", "amp-secret")
	cases := []struct{ name, text, want string }{
		{"unknown key", "sources:\n  - id: web\n    topicz: [events]\n", "field topicz not found"},
		{"missing env", "destinations:\n  - id: d\n    settings: { apiKey: '${env:ACTUATE_TEST_SURELY_UNSET}' }\n", "destinations[0].settings.apiKey: environment variable ACTUATE_TEST_SURELY_UNSET is not set"},
		{"missing file", "destinations:\n  - id: d\n    settings: { apiKey: '${file:/nonexistent/actuate}' }\n", "reading secret file /nonexistent/actuate: no such file or directory"},
		{"not YAML", "sources: [", "config:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	ws, err := Parse(nil)
	if err != nil || len(ws.Destinations) != 0 {
		t.Fatalf("empty config: %+v, %v", ws, err)
	}
}
