package ripe

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// The endpoint setting is left to its default.
var settings = map[string]any{"apiKey": "rp_key"}

// base64("rp_key"): the key alone, no colon.
const wantAuth = "Basic cnBfa2V5"

const (
	page = `{"type":"page","name":"Pricing","anonymousId":"anon-1","userId":"user-1234","messageId":"m-3",` +
		`"timestamp":"2024-05-01T10:00:00.000Z","properties":{"name":"Pricing","plan":"pro","url":"https://ripe.example/pricing?x=1",` +
		`"path":"/pricing","search":"?x=1","title":"Pricing","referrer":"https://google.com"},"context":{"ip":"203.0.113.9",` +
		`"page":{"url":"https://ripe.example/pricing?x=1","path":"/pricing","search":"?x=1","title":"Pricing","referrer":"https://google.com"},"locale":"en-US"}}`
	other = `{"event":"Signed Up","groupId":"acme","anonymousId":"anon-1","userId":"user-1234","messageId":"m-4",` +
		`"timestamp":"2024-05-01T10:00:00.000Z","traits":{"name":"Acme"},"properties":{"plan":"pro"},"context":{"ip":"203.0.113.9"}}`
)

func withType(t, event string) string { return `{"type":"` + t + `",` + event[1:] }

// The bodies are what Segment's implementation sends for the same
// settings, preset mapping and event.
func TestPresets(t *testing.T) {
	for _, tc := range []struct {
		preset, event, path, body string
	}{
		{"Page view", page, "/event/page",
			`{"anonymousId":"anon-1","userId":"user-1234","context":{"ip":"203.0.113.9","page":{"url":"https://ripe.example/pricing?x=1",` +
				`"path":"/pricing","search":"?x=1","referrer":"https://google.com","title":"Pricing"},"locale":"en-US"},"properties":{"name":"Pricing",` +
				`"plan":"pro","url":"https://ripe.example/pricing?x=1","path":"/pricing","search":"?x=1","title":"Pricing","referrer":"https://google.com"},` +
				`"name":"Pricing","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z"}`},
		{"Group user", withType("group", other), "/event/group",
			`{"anonymousId":"anon-1","userId":"user-1234","groupId":"acme","traits":{"name":"Acme"},"messageId":"m-4",` +
				`"timestamp":"2024-05-01T10:00:00.000Z","context":{"ip":"203.0.113.9"}}`},
		{"Identify user", withType("identify", other), "/event/identify",
			`{"anonymousId":"anon-1","userId":"user-1234","context":{"ip":"203.0.113.9"},"traits":{"name":"Acme"},"messageId":"m-4",` +
				`"timestamp":"2024-05-01T10:00:00.000Z"}`},
		{"Track event", withType("track", other), "/event/track",
			`{"name":"Signed Up","anonymousId":"anon-1","userId":"user-1234","context":{"ip":"203.0.113.9"},"properties":{"plan":"pro"},` +
				`"event":"Signed Up","messageId":"m-4","timestamp":"2024-05-01T10:00:00.000Z"}`},
	} {
		var pr *destkit.Preset
		for i := range Definition.Presets {
			if Definition.Presets[i].Name == tc.preset {
				pr = &Definition.Presets[i]
			}
		}
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
		desttest.Header(t, r, "Authorization", wantAuth)
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestPageWithoutContextPage(t *testing.T) {
	p := desttest.Validate(t, Definition, "page", `{"context":{"ip":"1.2.3.4"},"path":"/a","title":null}`)
	reqs, err := desttest.Perform(Page, desttest.Instance(t, Definition, settings), p)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, reqs[0].Body, `{"context":{"ip":"1.2.3.4","page":{"path":"/a","title":null}},"timestamp":"2024-05-01T12:00:00.000Z"}`)
}

func init() { now = func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) } }

func TestEndpointAndTimestamp(t *testing.T) {
	for _, tc := range []struct{ endpoint, want string }{
		{"", "https://api.getripe.com/event/track"},
		{"https://eu.getripe.com/event/", "https://eu.getripe.com/event/track"},
	} {
		inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "endpoint": tc.endpoint})
		reqs, err := desttest.Perform(Track, inst, desttest.Validate(t, Definition, "track", `{"event":"x"}`))
		if err != nil || reqs[0].URL != tc.want {
			t.Fatalf("%q: %v %+v", tc.endpoint, err, reqs)
		}
		// No timestamp: the time of sending.
		desttest.JSONEqual(t, reqs[0].Body, `{"name":"x","event":"x","timestamp":"2024-05-01T12:00:00.000Z"}`)
	}
	inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "endpoint": "getripe.com"})
	_, err := desttest.Perform(Track, inst, desttest.Validate(t, Definition, "track", `{"event":"x"}`))
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "endpoint" {
		t.Fatal(err)
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "group", Payload: `{"userId":"u"}`, Field: "groupId"},
		{Action: "group", Payload: `{"groupId":"g","timestamp":"last week"}`, Field: "timestamp"},
		{Action: "track", Payload: `{"userId":"u"}`, Field: "event"},
		{Action: "page", Payload: `{"url":"not a url"}`, Field: "url"},
		{Action: "identify", Payload: `{"traits":"x"}`, Field: "traits"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Group, Track)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, `{"groupId":"g","event":"e"}`,
		desttest.Statuses(`{"error":"bad"}`))
}
