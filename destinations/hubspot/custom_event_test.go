package hubspot

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// eventMapping is a saved "Custom Event V2" subscription on top of the
// action's default mapping (email and timestamp).
func eventMapping(mode string) destkit.JSON {
	def := string(CustomEvent.DefaultMapping())
	// The default mapping has record_details.email; the subscription adds
	// the object type beside it.
	return destkit.JSON(`{"__segment_internal_sync_mode":"` + mode + `","event_name":{"@path":"$.event"},` +
		`"record_details":{"object_type":"contact","email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}},` +
		`"properties":{"plan":{"@path":"$.properties.plan"},"seats":{"@path":"$.properties.seats"},"Renewal Date":{"@path":"$.properties.renews"},` +
		`"annual":{"@path":"$.properties.annual"},"coupon":{"@path":"$.properties.coupon"}},` + def[1:])
}

const planEvent = `{"type":"track","event":"Plan Upgraded!","timestamp":"2024-05-01T10:00:00.000Z","properties":{"plan":"Pro","seats":"12",` +
	`"renews":"2025-05-01T00:00:00Z","annual":true,"coupon":" SPRING "},"context":{"traits":{"email":"ada@example.com"}}}`

const wantPlanEvent = `{"eventName":"pe4242_plan_upgraded_","email":"ada@example.com","occurredAt":"2024-05-01T10:00:00.000Z",` +
	`"properties":{"plan":"Pro","seats":12,"renewal_date":"2025-05-01T00:00:00Z","annual":true,"coupon":"SPRING"}}`

func TestCustomEventCreatesDefinition(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 404, Body: `{"status":"error","category":"OBJECT_NOT_FOUND"}`},
		desttest.Reply{Status: 201, Body: `{"name":"plan_upgraded_","fullyQualifiedName":"pe4242_plan_upgraded_"}`},
		desttest.Reply{Status: 204},
		desttest.Reply{Status: 204})
	inst := hsInst(t)
	p := desttest.Render(t, Definition, "customEvent", eventMapping("upsert"), planEvent)
	if err := srv.Client().Send(context.Background(), inst, CustomEvent, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Method != "GET" || rs[0].Path != "/events/v3/event-definitions/plan_upgraded_/" || rs[0].RawQuery != "includeProperties=true" {
		t.Fatalf("got %s %s?%s", rs[0].Method, rs[0].Path, rs[0].RawQuery)
	}
	desttest.Header(t, rs[0], "Authorization", "Bearer at-1")
	wantHS(t, rs[1], "POST", "/events/v3/event-definitions", "", "at-1")
	desttest.JSONEqual(t, rs[1].Body, `{"label":"plan_upgraded_","name":"plan_upgraded_","description":"plan_upgraded_ (created by Actuate)","primaryObject":"contact",`+
		`"propertyDefinitions":[{"name":"plan","label":"plan","type":"string","description":"plan (created by Actuate)"},`+
		`{"name":"seats","label":"seats","type":"number","description":"seats (created by Actuate)"},`+
		`{"name":"renewal_date","label":"renewal_date","type":"datetime","description":"renewal_date (created by Actuate)"},`+
		`{"name":"annual","label":"annual","type":"enumeration","description":"annual (created by Actuate)","options":[`+
		`{"label":"true","value":true,"hidden":false,"description":"True","displayOrder":1},{"label":"false","value":false,"hidden":false,"description":"False","displayOrder":2}]},`+
		`{"name":"coupon","label":"coupon","type":"string","description":"coupon (created by Actuate)"}]}`)
	wantHS(t, rs[2], "POST", "/events/v3/send", "", "at-1")
	desttest.JSONEqual(t, rs[2].Body, wantPlanEvent)

	// The definition is cached: the next event is one request.
	if err := srv.Client().Send(context.Background(), inst, CustomEvent, p); err != nil {
		t.Fatal(err)
	}
	if rs = srv.Requests()[3:]; len(rs) != 1 || rs[0].Path != "/events/v3/send" {
		t.Fatalf("%d requests after caching", len(rs))
	}
	desttest.JSONEqual(t, rs[0].Body, wantPlanEvent)
}

// An existing definition wins on types: a numeric string goes to a text
// property as text; a missing property is added unless the mode is add.
func TestCustomEventExistingDefinition(t *testing.T) {
	def := `{"name":"plan_upgraded_","fullyQualifiedName":"pe4242_plan_upgraded_","archived":false,"properties":[` +
		`{"name":"plan","type":"string","archived":false},{"name":"seats","type":"string","archived":false},` +
		`{"name":"renewal_date","type":"datetime","archived":false},{"name":"annual","type":"enumeration","archived":false}]}`
	p := desttest.Render(t, Definition, "customEvent", eventMapping("upsert"), planEvent)
	srv := desttest.NewServer(t, desttest.Reply{Body: def}, desttest.Reply{Status: 201, Body: `{"name":"coupon"}`}, desttest.Reply{Status: 204})
	if err := srv.Client().Send(context.Background(), hsInst(t), CustomEvent, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	wantHS(t, rs[1], "POST", "/events/v3/event-definitions/pe4242_plan_upgraded_/property", "", "at-1")
	desttest.JSONEqual(t, rs[1].Body, `{"name":"coupon","label":"coupon","type":"string","description":"coupon (created by Actuate)"}`)
	desttest.JSONEqual(t, rs[2].Body, `{"eventName":"pe4242_plan_upgraded_","email":"ada@example.com","occurredAt":"2024-05-01T10:00:00.000Z",`+
		`"properties":{"plan":"Pro","seats":"12","renewal_date":"2025-05-01T00:00:00Z","annual":true,"coupon":"SPRING"}}`)

	// Sync mode add may not change the definition; update may not create one.
	for mode, reply := range map[string]desttest.Reply{"add": {Body: def}, "update": {Status: 404}} {
		srv := desttest.NewServer(t, reply)
		err := srv.Client().Send(context.Background(), hsInst(t), CustomEvent, desttest.Render(t, Definition, "customEvent", eventMapping(mode), planEvent))
		var ie *destkit.IntegrationError
		if !errors.As(err, &ie) || destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 1 {
			t.Errorf("%s: %v after %d requests", mode, err, len(srv.Requests()))
		}
	}
}

func TestCustomEventErrors(t *testing.T) {
	p := desttest.Render(t, Definition, "customEvent", eventMapping("upsert"), planEvent)
	full := `{"name":"x","fullyQualifiedName":"pe4242_plan_upgraded_","properties":[{"name":"plan","type":"string"},{"name":"seats","type":"number"},` +
		`{"name":"renewal_date","type":"datetime"},{"name":"annual","type":"enumeration"},{"name":"coupon","type":"string"}]}`
	for name, tc := range map[string]struct {
		replies []desttest.Reply
		want    destkit.Outcome
		calls   int
	}{
		"read 429":          {[]desttest.Reply{{Status: 429}}, destkit.Retry, 1},
		"read 503":          {[]desttest.Reply{{Status: 503}}, destkit.Retry, 1},
		"read 403":          {[]desttest.Reply{{Status: 403}}, destkit.Fail, 1},
		"create race":       {[]desttest.Reply{{Status: 404}, {Status: 409, Body: `{"message":"Event definition already exists"}`}}, destkit.Retry, 2},
		"create 400":        {[]desttest.Reply{{Status: 404}, {Status: 400, Body: `{"message":"bad"}`}}, destkit.Fail, 2},
		"send 400":          {[]desttest.Reply{{Body: full}, {Status: 400}}, destkit.Fail, 2},
		"send 429":          {[]desttest.Reply{{Body: full}, {Status: 429}}, destkit.Retry, 2},
		"send 500":          {[]desttest.Reply{{Body: full}, {Status: 500}}, destkit.Retry, 2},
		"archived property": {[]desttest.Reply{{Body: `{"fullyQualifiedName":"pe1_x","properties":[{"name":"plan","type":"string","archived":true}]}`}}, destkit.Fail, 1},
		"number to date":    {[]desttest.Reply{{Body: `{"fullyQualifiedName":"pe1_x","properties":[{"name":"seats","type":"datetime"}]}`}}, destkit.Fail, 1},
		"property exists":   {[]desttest.Reply{{Body: `{"fullyQualifiedName":"pe1_x","properties":[]}`}, {Status: 409, Body: `{"message":"Property already exists"}`}, {}, {}, {}, {}, {}}, destkit.Delivered, 7},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		err := srv.Client().Send(context.Background(), hsInst(t), CustomEvent, p)
		if got := destkit.Classify(err).Outcome; got != tc.want || len(srv.Requests()) != tc.calls {
			t.Errorf("%s: %v after %d calls (%v)", name, got, len(srv.Requests()), err)
		}
	}
	for _, bad := range []string{
		`{"event_name":"x","record_details":{"object_type":"deal"}}`,
		`{"event_name":"x","record_details":{"object_type":"contact"}}`,
		`{"event_name":"x","record_details":{"object_type":"contact","object_id":1},"properties":{"1st":"a"}}`,
		`{"event_name":"x","record_details":{"object_type":"contact","object_id":1},"__segment_internal_sync_mode":"mirror"}`,
	} {
		srv := desttest.NewServer(t)
		var pv *destkit.PayloadValidationError
		if err := srv.Client().Send(context.Background(), hsInst(t), CustomEvent, desttest.Validate(t, Definition, "customEvent", bad)); !errors.As(err, &pv) || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// Non-contact records are addressed by ID only; email and token are
// dropped. A 401 on any step refreshes the token and runs the action again.
func TestCustomEventDealRefreshesOn401(t *testing.T) {
	p := desttest.Validate(t, Definition, "customEvent", `{"event_name":"pe4242_deal_won","record_details":{"object_type":"deal","object_id":"9001","email":"a@b.c"},`+
		`"occurred_at":"2024-05-01T10:00:00Z","properties":{"amount":"1500.50","note":null}}`)
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 401, Body: `{"category":"EXPIRED_AUTHENTICATION"}`},
		desttest.Reply{Body: `{"access_token":"at-2","expires_in":1800}`},
		desttest.Reply{Body: `{"fullyQualifiedName":"pe4242_deal_won","properties":[{"name":"amount","type":"number"}]}`},
		desttest.Reply{Status: 204})
	if err := srv.Client().Send(context.Background(), hsInst(t), CustomEvent, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 || rs[1].Path != "/oauth/v1/token" || rs[2].Path != "/events/v3/event-definitions/pe4242_deal_won/" {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.Header(t, rs[0], "Authorization", "Bearer at-1")
	wantHS(t, rs[3], "POST", "/events/v3/send", "", "at-2")
	desttest.JSONEqual(t, rs[3].Body, `{"eventName":"pe4242_deal_won","objectId":9001,"occurredAt":"2024-05-01T10:00:00Z","properties":{"amount":1500.5}}`)
}
