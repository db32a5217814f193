package insideraudiences

import (
	"context"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"account_name": "acme", "ucd_key": "ins-key-1"}

const personas = `"context":{"traits":{"email":"jane@example.com","phone":"+14155550123"},"personas":{"computation_class":"audience","computation_key":"vip_users","computation_id":"aud_1"}}`

func send(t *testing.T, event string) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "insiderAudiences", event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), InsiderAudiences, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" {
		t.Fatalf("method %s", r.Method)
	}
	desttest.Header(t, r, "X-Partner-Name", "acme")
	desttest.Header(t, r, "X-Request-Token", "ins-key-1")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

const identifiers = `"identifiers":{"email":"jane@example.com","uuid":"u1","custom":{"segment_anonymous_id":"anon-1"},"phone_number":"+14155550123"}`

func TestIdentifyEnteringAnAudience(t *testing.T) {
	r := send(t, `{"type":"identify","userId":"u1","anonymousId":"anon-1","timestamp":"2026-03-01T10:00:00.000Z","traits":{"vip_users":true},`+personas+`}`)
	if r.Path != "/api/user/v1/upsert" {
		t.Fatal(r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"users":[{`+identifiers+`,"attributes":{"custom":{"segment_audience_name":["vip_users"]}}}],"not_append":true,"platform":"segment"}`)
}

func TestIdentifyLeavingAnAudience(t *testing.T) {
	r := send(t, `{"type":"identify","userId":"u1","anonymousId":"anon-1","timestamp":"2026-03-01T10:00:00.000Z","traits":{"vip_users":false},`+personas+`}`)
	if r.Path != "/api/user/v1/attribute/delete" {
		t.Fatal(r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"users":[{`+identifiers+`,"custom":{"partial":{"segment_audience_name":["vip_users"]}}}],"not_append":true,"platform":"segment"}`)
}

func TestTrackAudienceEvent(t *testing.T) {
	r := send(t, `{"type":"track","event":"Audience Entered","userId":"u1","anonymousId":"anon-1","timestamp":"2026-03-01T10:00:00.000Z","properties":{"vip_users":true},`+personas+`}`)
	if r.Path != "/api/user/v1/upsert" {
		t.Fatal(r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"users":[{`+identifiers+`,"events":[{"event_name":"audience_entered","timestamp":"2026-03-01T10:00:00.000Z",`+
		`"event_params":{"custom":{"segment_engage_name":"vip_users"}}}]}],"not_append":true,"platform":"segment"}`)
}

func TestIdentifyComputedTrait(t *testing.T) {
	ev := `{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00.000Z","traits":{"lifetime_value":420.5},` +
		`"context":{"personas":{"computation_class":"trait","computation_key":"lifetime_value"}}}`
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, "insiderAudiences", destkit.JSON(strings.TrimSuffix(string(InsiderAudiences.DefaultMapping()), "}")+`,"append_arrays":true}`), ev)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), InsiderAudiences, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"users":[{"identifiers":{"uuid":"u1"},"attributes":{"custom":{"segment_io_lifetime_value":420.5}}}],"not_append":false,"platform":"segment"}`)
}

func TestRefusals(t *testing.T) {
	base := `"custom_audience_name":"k","traits_or_props":{"k":true},"timestamp":"2026-03-01T10:00:00.000Z","user_id":"u1"`
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "insiderAudiences", Field: "segment_computation_action", Payload: `{"segment_computation_action":"journey","event_type":"track",` + base + `}`},
		{Action: "insiderAudiences", Field: "event_type", Payload: `{"segment_computation_action":"audience","event_type":"page",` + base + `}`},
		{Action: "insiderAudiences", Field: "email", Payload: `{"segment_computation_action":"audience","event_type":"track","email":"not-an-email",` + base + `}`},
	})
	desttest.RefusesEmpty(t, Definition, settings, InsiderAudiences)
}

func TestErrors(t *testing.T) {
	p := `{"custom_audience_name":"k","segment_computation_action":"audience","event_type":"identify","traits_or_props":{"k":true},"timestamp":"2026-03-01T10:00:00.000Z","user_id":"u1"}`
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{InsiderAudiences}, p, desttest.Statuses(`{"error":"invalid"}`))
}
