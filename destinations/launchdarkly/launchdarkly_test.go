package launchdarkly

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"client_id": "5f1a2b3c4d5e6f7a8b9c0d1e"}

func fixedNow(t *testing.T) {
	old := now
	now = func() time.Time { return time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

func send(t *testing.T, srv *desttest.Server, s map[string]any, a *destkit.Action, p []byte) error {
	t.Helper()
	return srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, p)
}

func wantRequest(t *testing.T, r desttest.Recorded) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/events/bulk/5f1a2b3c4d5e6f7a8b9c0d1e" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "X-LaunchDarkly-Event-Schema", "4")
	desttest.Header(t, r, "Authorization", "")
}

const track = `{"type":"track","event":"Checkout Completed","userId":"user-42","anonymousId":"anon-9","messageId":"m-1",` +
	`"timestamp":"2024-05-01T10:00:00.125Z","properties":{"revenue":42.5,"value":3,"plan":"pro"}}`

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: ``})
	if err := send(t, srv, settings, TrackEvent, desttest.RenderDefault(t, Definition, "trackEvent", track)); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantRequest(t, r)
	desttest.JSONEqual(t, r.Body, `[{"kind":"custom","key":"Checkout Completed","contextKeys":{"unauthenticatedUser":"anon-9","user":"user-42"},`+
		`"creationDate":1714557600125,"metricValue":42.5,"data":{"revenue":42.5,"value":3,"plan":"pro"}}]`)
}

func TestTrackEventContextKeys(t *testing.T) {
	fixedNow(t)
	for name, tc := range map[string]struct{ payload, body string }{
		"kind and coercion": {`{"context_kind":"account","user_key":"acct-1","event_name":"e","additional_context_keys":{"user":"u-1","device":7,"beta":true,"tags":["a","b"]}}`,
			`[{"kind":"custom","key":"e","contextKeys":{"user":"u-1","device":"7","beta":"true","tags":"a,b","account":"acct-1"},"creationDate":1717228800000,"data":{}}]`},
		"main kind among the additional ones": {`{"user_key":"u-2","event_name":"e","additional_context_keys":{"user":"other","org":"o-1"},"timestamp":1714557600000}`,
			`[{"kind":"custom","key":"e","contextKeys":{"user":"u-2","org":"o-1"},"creationDate":1714557600000,"data":{}}]`},
		"no timestamp": {`{"user_key":"u-3","event_name":"e","metric_value":0}`,
			`[{"kind":"custom","key":"e","contextKeys":{"user":"u-3"},"creationDate":1717228800000,"metricValue":0,"data":{}}]`},
	} {
		srv := desttest.NewServer(t)
		if err := send(t, srv, settings, TrackEvent, desttest.Validate(t, Definition, "trackEvent", tc.payload)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		desttest.JSONEqual(t, srv.Only(t).Body, tc.body)
	}
}

func TestAliasUserDefaultMapping(t *testing.T) {
	for name, tc := range map[string]struct{ event, body string }{
		"identify": {`{"type":"identify","userId":"user-42","anonymousId":"anon-9","timestamp":"2024-05-01T10:00:00Z","traits":{"name":"Ada"}}`,
			`[{"kind":"alias","key":"user-42","previousKey":"anon-9","contextKind":"user","previousContextKind":"anonymousUser","creationDate":1714557600000}]`},
		"alias": {`{"type":"alias","userId":"user-42","previousId":"old-1","anonymousId":"anon-9","timestamp":"2024-05-01T10:00:00Z"}`,
			`[{"kind":"alias","key":"user-42","previousKey":"old-1","contextKind":"user","previousContextKind":"anonymousUser","creationDate":1714557600000}]`},
	} {
		srv := desttest.NewServer(t)
		if err := send(t, srv, settings, AliasUser, desttest.RenderDefault(t, Definition, "aliasUser", tc.event)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r := srv.Only(t)
		wantRequest(t, r)
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestCustomHostAndRejects(t *testing.T) {
	// A relay host is used as given.
	srv := desttest.NewServer(t)
	s := map[string]any{"client_id": "abc", "events_host_name": "ld-relay.internal.example.com"}
	inst := desttest.Instance(t, Definition, s)
	var seen string
	c := destkit.NewClient(destkit.OverrideHost("ld-relay.internal.example.com", srv.URL))
	if err := c.Send(context.Background(), inst, AliasUser, desttest.Validate(t, Definition, "aliasUser", `{"user_key":"u","previous_key":"a","timestamp":1}`)); err != nil {
		t.Fatal(err)
	}
	seen = srv.Only(t).Path
	if seen != "/events/bulk/abc" {
		t.Fatalf("path %s", seen)
	}
	// A host that would rewrite the URL is refused before sending.
	bad := desttest.NewServer(t)
	err := send(t, bad, map[string]any{"client_id": "abc", "events_host_name": "evil.example.com/x?"}, AliasUser,
		desttest.Validate(t, Definition, "aliasUser", `{"user_key":"u","previous_key":"a"}`))
	if destkit.Classify(err).Outcome != destkit.Fail || len(bad.Requests()) != 0 {
		t.Fatalf("bad host: %v", err)
	}
	// Required fields are named.
	for action, tc := range map[string]struct{ payload, field string }{
		"trackEvent": {`{"user_key":"u","event_name":""}`, "event_name"},
		"aliasUser":  {`{"user_key":"u"}`, "previous_key"},
	} {
		_, err := Definition.Action(action).Validate([]byte(tc.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: %v", action, err)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		`{"user_key":"u","previous_key":"a","event_name":"e"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"message":"bad"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "5"}}, Outcome: destkit.Retry, RetryAfter: 5 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
