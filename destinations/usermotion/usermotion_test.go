package usermotion

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "um_key"}

// Each preset's mapping over a realistic event; the bodies are what
// Segment's implementation sends for the same input.
func TestPresets(t *testing.T) {
	for _, tc := range []struct {
		preset, event, path, body string
	}{
		{"Identify User", `{"type":"identify","userId":"user-1234","anonymousId":"anon-1","traits":{"name":"Ada Lovelace","email":"Ada@Example.com","plan":"pro"}}`,
			"/v1/identify", `{"id":"user-1234","anonymousId":"anon-1","properties":{"name":"Ada Lovelace","email":"Ada@Example.com","plan":"pro"}}`},
		// The email comes from the top level when traits have none, and is
		// added after the traits.
		{"Identify User", `{"type":"identify","userId":"user-1234","email":"top@example.com","traits":{"name":"Ada"}}`,
			"/v1/identify", `{"id":"user-1234","properties":{"name":"Ada","email":"top@example.com"}}`},
		// Integer-like keys come first, as in every JavaScript object.
		{"Identify User", `{"type":"identify","userId":"u-9","traits":{"b":1,"2":2,"email":"x@y.z"}}`,
			"/v1/identify", `{"id":"u-9","properties":{"2":2,"b":1,"email":"x@y.z"}}`},
		{"Identify Group", `{"type":"group","userId":"user-1234","anonymousId":"anon-1","groupId":"acme","traits":{"name":"Acme","employees":40}}`,
			"/v1/group", `{"id":"acme","userId":"user-1234","anonymousId":"anon-1","properties":{"name":"Acme","employees":40}}`},
		{"Identify Group", `{"type":"group","anonymousId":"anon-1","groupId":"acme"}`,
			"/v1/group", `{"id":"acme","anonymousId":"anon-1","properties":{}}`},
		{"Track Analytics Event", `{"type":"track","event":"Report Exported","userId":"user-1234","anonymousId":"anon-1",` +
			`"properties":{"format":"csv"},"context":{"ip":"203.0.113.9","page":{"path":"/reports"}}}`,
			"/v1/track", `{"event":"Report Exported","userId":"user-1234","anonymousId":"anon-1",` +
				`"context":{"ip":"203.0.113.9","page":{"path":"/reports"}},"properties":{"format":"csv"}}`},
		{"Track Analytics Event", `{"type":"page","name":"Home","anonymousId":"anon-1","properties":{"path":"/"}}`,
			"/v1/track", `{"event":"pageview","anonymousId":"anon-1","context":{},"properties":{"path":"/"}}`},
	} {
		pr := preset(t, tc.preset)
		a := Definition.Action(pr.Action)
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"ok":true}`})
		p := desttest.Render(t, Definition, a.Key, pr.Mapping, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
			t.Fatalf("%s: %v", tc.preset, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != tc.path || r.RawQuery != "" {
			t.Fatalf("%s: got %s %s?%s", tc.preset, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", "Basic um_key")
		desttest.Header(t, r, "X-Source", "Segment")
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

func TestPresetsAreDefaultMappings(t *testing.T) {
	for _, p := range Definition.Presets {
		if got := string(Definition.Action(p.Action).DefaultMapping()); got != string(p.Mapping) {
			t.Errorf("%s: default mapping %s, preset %s", p.Name, got, p.Mapping)
		}
	}
}

func TestURLs(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	for key, want := range map[string]string{
		"identify": "https://api.usermotion.com/v1/identify", "group": "https://api.usermotion.com/v1/group", "track": "https://api.usermotion.com/v1/track",
	} {
		reqs, err := desttest.Perform(Definition.Action(key), inst, desttest.Validate(t, Definition, key, valid))
		if err != nil || len(reqs) != 1 || reqs[0].URL != want || reqs[0].Method != "POST" {
			t.Errorf("%s: %v %+v", key, err, reqs)
		}
	}
}

const valid = `{"userId":"u","email":"a@b.c","groupId":"g","eventName":"e"}`

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "identify", Payload: `{"email":"a@b.c"}`, Field: "userId"},
		{Action: "identify", Payload: `{"userId":"u"}`, Field: "email"},
		{Action: "identify", Payload: `{"userId":"u","email":"a@b.c","traits":["x"]}`, Field: "traits"},
		{Action: "group", Payload: `{"userId":"u"}`, Field: "groupId"},
		{Action: "group", Payload: `{"groupId":{"id":1}}`, Field: "groupId"},
		{Action: "track", Payload: `{"userId":"u"}`, Field: "eventName"},
		{Action: "track", Payload: `{"eventName":"e","properties":"x"}`, Field: "properties"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, valid,
		desttest.Statuses(`{"error":"bad"}`))
}
