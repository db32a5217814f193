package userpilot

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "up_key", "endpoint": "https://analytex-eu.userpilot.io/"}

// The bodies are what Segment's implementation sends for the same
// settings, mapping and event.
func TestPresets(t *testing.T) {
	for _, tc := range []struct {
		preset, event, path, body string
	}{
		{"Identify User", `{"type":"identify","userId":"user-1234","traits":{"name":"Ada","createdAt":"2023-01-02T03:04:05Z","plan":"pro","created_at":"x"}}`,
			"/v1/identify", `{"user_id":"user-1234","metadata":{"name":"Ada","plan":"pro","created_at":"2023-01-02T03:04:05Z"}}`},
		{"Identify User", `{"type":"identify","userId":null,"anonymousId":"anon-1","traits":{"name":"Ada"}}`,
			"/v1/identify", `{"user_id":"anon-1","metadata":{"name":"Ada"}}`},
		// A falsy createdAt trait stays; created_at keeps its place and value.
		{"Identify User", `{"type":"identify","userId":"u-1","traits":{"createdAt":"","name":"Ada","created_at":null}}`,
			"/v1/identify", `{"user_id":"u-1","metadata":{"createdAt":"","name":"Ada","created_at":null}}`},
		{"Identify Company", `{"type":"group","groupId":"acme","traits":{"name":"Acme","createdAt":1700000000}}`,
			"/v1/companies/identify", `{"company_id":"acme","metadata":{"name":"Acme","created_at":1700000000}}`},
		{"Identify Company", `{"type":"group","groupId":"acme"}`,
			"/v1/companies/identify", `{"company_id":"acme","metadata":{}}`},
		{"Track Event", `{"type":"track","event":"Report Exported","userId":"user-1234","properties":{"format":"csv"}}`,
			"/v1/track", `{"user_id":"user-1234","event_name":"Report Exported","metadata":{"format":"csv"}}`},
	} {
		pr := preset(t, tc.preset)
		a := Definition.Action(pr.Action)
		srv := desttest.NewServer(t, desttest.Reply{Body: `{}`})
		p := desttest.Render(t, Definition, a.Key, pr.Mapping, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
			t.Fatalf("%s: %v", tc.preset, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != tc.path || r.RawQuery != "" {
			t.Fatalf("%s: got %s %s?%s", tc.preset, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", "Token up_key")
		desttest.Header(t, r, "X-API-Version", "2020-09-22")
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func preset(t *testing.T, name string) *destkit.Preset {
	for i := range Definition.Presets {
		if Definition.Presets[i].Name == name {
			return &Definition.Presets[i]
		}
	}
	t.Fatalf("no preset %q", name)
	return nil
}

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct{ setting, want string }{
		{"", "https://analytex.userpilot.io/v1/track"},
		{"https://analytex-eu.userpilot.io/", "https://analytex-eu.userpilot.io/v1/track"},
		{"https://analytex-eu.userpilot.io", "https://analytex-eu.userpilot.io/v1/track"},
		{"not a url", "https://analytex.userpilot.io/v1/track"},
		{"ftp://files.example", "https://analytex.userpilot.io/v1/track"},
	} {
		inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "endpoint": tc.setting})
		reqs, err := desttest.Perform(TrackEvent, inst, desttest.Validate(t, Definition, "trackEvent", `{"name":"x"}`))
		if err != nil || len(reqs) != 1 || reqs[0].URL != tc.want {
			t.Errorf("%q: %v %+v", tc.setting, err, reqs)
		}
	}
}

func TestDeleteUser(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Delete(context.Background(), inst, "user-1234", "anon-1"); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "DELETE" || r.Path != "/v1/users" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Token up_key")
	desttest.JSONEqual(t, r.Body, `{"users":["user-1234"]}`)
	err := srv.Client().Delete(context.Background(), inst, "", "anon-1")
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || len(srv.Requests()) != 1 {
		t.Fatalf("delete without a user id: %v", err)
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "identifyUser", Payload: `{"traits":{"a":1}}`, Field: "userId"},
		{Action: "identifyUser", Payload: `{"userId":"u","traits":[1]}`, Field: "traits"},
		{Action: "identifyCompany", Payload: `{"traits":{"a":1}}`, Field: "groupId"},
		{Action: "trackEvent", Payload: `{"userId":"u"}`, Field: "name"},
		{Action: "trackEvent", Payload: `{"name":"x","properties":"p"}`, Field: "properties"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, `{"userId":"u","groupId":"g","name":"x"}`,
		desttest.Statuses(`{"error":"bad"}`))
}
