package moengage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"api_id": "APP123", "api_key": "secret-key", "region": "DC_02"}

func send(t *testing.T, srv *desttest.Server, s map[string]any, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/v1/integrations/segment" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Basic QVBQMTIzOnNlY3JldC1rZXk=") // APP123:secret-key
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"success"}`})
	track := `{"type":"track","event":"Song Played","userId":"u-1","anonymousId":"a-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"song":"Clair de Lune","duration":312},"context":{"app":{"version":"3.2.1"},"os":{"name":"iOS"},"library":{"name":"analytics-ios","version":"4.1.0"}}}`
	r := send(t, srv, settings, TrackEvent, desttest.RenderDefault(t, Definition, "trackEvent", track))
	if r.RawQuery != "appId=APP123" {
		t.Fatalf("query %s", r.RawQuery)
	}
	desttest.JSONEqual(t, r.Body, `{"type":"track","user_id":"u-1","anonymous_id":"a-1","event":"Song Played",`+
		`"context":{"app":{"version":"3.2.1"},"os":{"name":"iOS"},"library":{"version":"4.1.0"}},`+
		`"properties":{"song":"Clair de Lune","duration":312},"timestamp":"2024-05-01T10:00:00.000Z","update_existing_only":false}`)
}

func TestTrackEventProjectName(t *testing.T) {
	for _, tc := range map[string]struct{ payload, body string }{
		"added": {`{"type":"track","event":"e","properties":{"a":1},"project_name":"Shop EU","update_existing_only":true}`,
			`{"type":"track","event":"e","context":{"app":{},"os":{},"library":{}},"properties":{"a":1,"moe_project_name":"Shop EU"},"update_existing_only":true}`},
		"replaces in place": {`{"type":"track","event":"e","properties":{"moe_project_name":"old","a":1},"project_name":"Shop EU"}`,
			`{"type":"track","event":"e","context":{"app":{},"os":{},"library":{}},"properties":{"moe_project_name":"Shop EU","a":1},"update_existing_only":false}`},
		"without properties": {`{"type":"track","event":"e","project_name":"Shop EU"}`,
			`{"type":"track","event":"e","context":{"app":{},"os":{},"library":{}},"properties":{"moe_project_name":"Shop EU"},"update_existing_only":false}`},
	} {
		srv := desttest.NewServer(t)
		r := send(t, srv, settings, TrackEvent, desttest.Validate(t, Definition, "trackEvent", tc.payload))
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestIdentifyUserDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"success"}`})
	identify := `{"type":"identify","userId":"u-1","anonymousId":"a-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"traits":{"email":"ada@example.com","plan":"pro"},"context":{"os":{"name":"Android"}}}`
	// Region DC_01 is the default.
	r := send(t, srv, map[string]any{"api_id": "APP123", "api_key": "secret-key"}, IdentifyUser, desttest.RenderDefault(t, Definition, "identifyUser", identify))
	desttest.JSONEqual(t, r.Body, `{"type":"identify","user_id":"u-1","traits":{"email":"ada@example.com","plan":"pro"},`+
		`"context":{"app":{},"os":{"name":"Android"},"library":{}},"anonymous_id":"a-1","timestamp":"2024-05-01T10:00:00.000Z","update_existing_only":false}`)
}

func TestIdentifyUserNullIDs(t *testing.T) {
	srv := desttest.NewServer(t)
	r := send(t, srv, settings, IdentifyUser, desttest.Validate(t, Definition, "identifyUser", `{"type":"identify","userId":null,"anonymousId":"a-1"}`))
	desttest.JSONEqual(t, r.Body, `{"type":"identify","user_id":null,"context":{"app":{},"os":{},"library":{}},"anonymous_id":"a-1","update_existing_only":false}`)
}

func TestRegions(t *testing.T) {
	for region, host := range map[string]string{"DC_01": "api-01.moengage.com", "DC_03": "api-03.moengage.com", "DC_05": "api-05.moengage.com"} {
		inst := desttest.Instance(t, Definition, map[string]any{"api_id": "A", "api_key": "k", "region": region})
		if got := intakeURL(inst.Settings); got != "https://"+host+"/v1/integrations/segment?appId=A" {
			t.Errorf("%s: %s", region, got)
		}
	}
	if _, err := destkit.NewInstance("x", Definition, map[string]any{"api_id": "A", "api_key": "k", "region": "DC_09"}); err == nil {
		t.Error("unknown region accepted")
	}
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct{ action, payload, field string }{
		"track without event": {"trackEvent", `{"type":"track"}`, "event"},
		"track without type":  {"trackEvent", `{"event":"e"}`, "type"},
		"identify bad traits": {"identifyUser", `{"type":"identify","traits":"x"}`, "traits"},
	} {
		_, err := Definition.Action(tc.action).Validate([]byte(tc.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		`{"type":"track","event":"e"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"status":"fail"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "30"}}, Outcome: destkit.Retry, RetryAfter: 30 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
		})
}
