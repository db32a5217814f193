package saleswings

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "sw_key", "environment": "helium"}

const (
	track = `{"type":"track","event":"Demo Requested","userId":"user-1234","anonymousId":"anon-1","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"plan":"pro","seats":3},"context":{"traits":{"email":"ada@example.com"},` +
		`"page":{"url":"https://site.example/demo","referrer":"https://google.com"},"userAgent":"Mozilla/5.0"}}`
	identify = `{"type":"identify","userId":"user-1234","anonymousId":"anon-1","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"traits":{"email":"ada@example.com","company":"Acme"},"context":{"page":{"url":"https://site.example/"},"userAgent":"Mozilla/5.0"}}`
	page = `{"type":"page","name":"Demo","userId":"user-1234","anonymousId":"anon-1","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"context":{"page":{"url":"https://site.example/demo","referrer":"https://google.com"},"userAgent":"Mozilla/5.0"}}`
	screen = `{"type":"screen","name":"Pricing","userId":"user-1234","timestamp":"2024-05-01T10:00:00.000Z","properties":{"tab":"yearly"}}`
)

// The bodies are what Segment's implementation sends for the same
// settings, preset mapping and event: the payload itself.
var cases = []struct {
	preset, event, path, body string
}{
	{"Submit Track Event", track, "/api/segment/events/track",
		`{"kind":"Track","data":"Demo Requested","userID":"user-1234","anonymousID":"anon-1",` +
			`"url":"https://site.example/demo","referrerUrl":"https://google.com","userAgent":"Mozilla/5.0",` +
			`"timestamp":"2024-05-01T10:00:00.000Z","values":{"plan":"pro","seats":3}}`},
	{"Submit Identify Event", identify, "/api/segment/events/identify",
		`{"kind":"Identify","data":"ada@example.com","userID":"user-1234","anonymousID":"anon-1","email":"ada@example.com",` +
			`"url":"https://site.example/","userAgent":"Mozilla/5.0","timestamp":"2024-05-01T10:00:00.000Z",` +
			`"values":{"email":"ada@example.com","company":"Acme"}}`},
	{"Submit Page Event", page, "/api/segment/events/page",
		`{"userID":"user-1234","anonymousID":"anon-1","url":"https://site.example/demo","referrerUrl":"https://google.com",` +
			`"userAgent":"Mozilla/5.0","timestamp":"2024-05-01T10:00:00.000Z"}`},
	{"Submit Screen Event", screen, "/api/segment/events/screen",
		`{"kind":"Screen","data":"Pricing","userID":"user-1234","timestamp":"2024-05-01T10:00:00.000Z","values":{"tab":"yearly"}}`},
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

func TestPresets(t *testing.T) {
	for _, tc := range cases {
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
		desttest.Header(t, r, "Authorization", "Bearer sw_key")
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestBatches(t *testing.T) {
	for _, tc := range cases {
		pr := preset(t, tc.preset)
		a := Definition.Action(pr.Action)
		srv := desttest.NewServer(t, desttest.Reply{Body: `{}`})
		p := desttest.Render(t, Definition, a.Key, pr.Mapping, tc.event)
		// The empty payload misses required fields: rejected alone.
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, map[string]any{"apiKey": "sw_key", "environment": "ozone"}), a, [][]byte{p, []byte(`{}`), p})
		var pv *destkit.PayloadValidationError
		if errs[0] != nil || errs[2] != nil || !errors.As(errs[1], &pv) {
			t.Fatalf("%s: %v", tc.preset, errs)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != tc.path+"/batches" {
			t.Fatalf("%s: got %s %s", tc.preset, r.Method, r.Path)
		}
		desttest.Header(t, r, "Authorization", "Bearer sw_key")
		desttest.JSONEqual(t, r.Body, `[`+tc.body+`,`+tc.body+`]`)
	}
}

func TestURLs(t *testing.T) {
	for env, want := range map[string]string{"helium": "https://helium.saleswings.pro/api/segment/events/page", "ozone": "https://ozone.saleswings.pro/api/segment/events/page"} {
		inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "environment": env})
		reqs, err := desttest.Perform(SubmitPageEvent, inst, desttest.Validate(t, Definition, "submitPageEvent", `{"url":"https://x.example/"}`))
		if err != nil || reqs[0].URL != want {
			t.Errorf("%s: %v %+v", env, err, reqs)
		}
	}
	// The environment is a host name: only the two choices are accepted.
	if _, err := destkit.NewInstance("x", Definition, map[string]any{"apiKey": "k", "environment": "evil.example/"}); err == nil {
		t.Error("free-form environment accepted")
	}
	// Unset, it is the live environment.
	inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "k"})
	if inst.Settings.Str("environment") != "helium" {
		t.Error(inst.Settings)
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "submitTrackEvent", Payload: `{"data":"x"}`, Field: "kind"},
		{Action: "submitTrackEvent", Payload: `{"kind":"Track"}`, Field: "data"},
		{Action: "submitIdentifyEvent", Payload: `{"kind":"Identify","data":"x"}`, Field: "email"},
		{Action: "submitPageEvent", Payload: `{"userID":"u"}`, Field: "url"},
		{Action: "submitScreenEvent", Payload: `{"kind":"Screen","data":"x","timestamp":"soon"}`, Field: "timestamp"},
		{Action: "submitScreenEvent", Payload: `{"kind":"Screen","data":"x","values":[1]}`, Field: "values"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrors(t *testing.T) {
	const valid = `{"kind":"K","data":"d","email":"a@b.co","url":"https://x.example/"}`
	statuses := desttest.Statuses(`{"error":"bad"}`)
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, valid, statuses)
	desttest.BatchErrorPaths(t, Definition, settings, Definition.Actions, valid, statuses)
}
