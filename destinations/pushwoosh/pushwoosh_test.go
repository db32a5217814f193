package pushwoosh

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"pushwooshAPIKey": "pw_key", "pushwooshAppCode": "ABCDE-12345"}

const (
	identify = `{"type":"identify","userId":"user-1234","traits":{"email":"ada@example.com","name":"Ada","city":"Lyon","vip":true},` +
		`"context":{"app":{"version":"2.1"},"device":{"id":"dev-1","model":"iPhone15,2","type":"ios"},"locale":"fr-FR",` +
		`"location":{"country":"France","city":"Lyon","latitude":45.76,"longitude":4.83},"os":{"version":"17.4"},` +
		`"timezone":"Europe/Paris","userAgent":"Mozilla/5.0"}}`
	track = `{"type":"track","event":"Order Completed","userId":"user-1234","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"revenue":42.5},"context":{"device":{"id":"dev-1","type":"ios"}}}`
	screen = `{"type":"screen","name":"Home","userId":"user-9","timestamp":"2024-05-01T10:00:01.000Z","properties":{},"context":{"device":{"id":null}}}`
)

func send(t *testing.T, a *destkit.Action, mapping destkit.JSON, event string) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"ok"}`})
	p := desttest.Render(t, Definition, a.Key, mapping, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "Authorization", "Token pw_key")
	desttest.Header(t, r, "X-PW-Appcode", "ABCDE-12345")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

func preset(t *testing.T, name string) destkit.JSON {
	for _, p := range Definition.Presets {
		if p.Name == name {
			return p.Mapping
		}
	}
	t.Fatalf("no preset %q", name)
	return ""
}

// The bodies are what Segment's implementation sends for the same
// settings, mapping and event.
func TestUpdateUserProfile(t *testing.T) {
	for _, tc := range []struct {
		mapping destkit.JSON
		event   string
		body    string
	}{
		// The email and city traits are fields of their own, so they are
		// not repeated among the attributes.
		{preset(t, "Create or Update User Profile"), identify,
			`{"attributes":{"name":"Ada","vip":true},"user_id":"user-1234","email":"ada@example.com","app_version":"2.1",` +
				`"device_id":"dev-1","device_model":"iPhone15,2","device_platform":"ios","language":"fr-FR","country":"France",` +
				`"city":"Lyon","current_location":{"latitude":45.76,"longitude":4.83},"device_os_version":"17.4",` +
				`"timezone":"Europe/Paris","user_agent":"Mozilla/5.0"}`},
		// Nulls are kept; an empty location is left out.
		{`{"external_id":{"@path":"$.userId"},"email":null,"current_location":{"latitude":{"@path":"$.nope"}},"custom_attributes":{"@path":"$.traits"}}`,
			`{"type":"identify","userId":"user-1234","traits":null}`,
			`{"attributes":{},"user_id":"user-1234","email":null}`},
		{`{"external_id":{"@path":"$.userId"},"current_location":null}`, `{"type":"identify","userId":"u-1"}`,
			`{"attributes":{},"user_id":"u-1","current_location":null}`},
	} {
		r := send(t, UpdateUserProfile, tc.mapping, tc.event)
		if r.Method != "POST" || r.Path != "/integration-segment/v1/track-user" || r.RawQuery != "" {
			t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestIsFieldMatchesTheFields(t *testing.T) {
	for _, f := range UpdateUserProfile.Fields {
		if !isField(f.Key) {
			t.Errorf("%s is a field but not reserved", f.Key)
		}
	}
	if len(profileKeys)+1 != len(UpdateUserProfile.Fields) {
		t.Errorf("%d body keys for %d fields", len(profileKeys), len(UpdateUserProfile.Fields))
	}
}

func TestTrackEvent(t *testing.T) {
	r := send(t, TrackEvent, preset(t, "Track Events"), track)
	if r.Method != "POST" || r.Path != "/integration-segment/v1/post-events" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.JSONEqual(t, r.Body, `{"events":[{"user_id":"user-1234","device_id":"dev-1","device_platform":"ios",`+
		`"app_code":"ABCDE-12345","name":"Order Completed","timestamp":"2024-05-01T10:00:00.000Z","attributes":{"revenue":42.5}}]}`)
}

func TestTrackEventBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"ok"}`})
	m := preset(t, "Track Events")
	payloads := [][]byte{
		desttest.Render(t, Definition, "trackEvent", m, track),
		desttest.Render(t, Definition, "trackEvent", m, screen),
		// No user ID (a payload that skipped validation): rejected alone,
		// the rest still goes out.
		[]byte(`{"name":"x","timestamp":"2024-05-01T10:00:00Z"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, payloads)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[1] != nil || !errors.As(errs[2], &pv) || pv.Field != "external_id" {
		t.Fatalf("errors %v", errs)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/integration-segment/v1/post-events" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Token pw_key")
	desttest.JSONEqual(t, r.Body, `{"events":[`+
		`{"user_id":"user-1234","device_id":"dev-1","device_platform":"ios","app_id":"ABCDE-12345","name":"Order Completed",`+
		`"timestamp":"2024-05-01T10:00:00.000Z","attributes":{"revenue":42.5}},`+
		`{"user_id":"user-9","device_id":null,"app_id":"ABCDE-12345","name":"Home","timestamp":"2024-05-01T10:00:01.000Z","attributes":{}}]}`)
}

func TestTrackEventBatchErrors(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "5"}})
	p := desttest.Render(t, Definition, "trackEvent", preset(t, "Track Events"), track)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, [][]byte{p, p})
	for i, err := range errs {
		if v := destkit.Classify(err); v.Outcome != destkit.Retry || v.RetryAfter != 5*time.Second {
			t.Errorf("%d: %+v (%v)", i, v, err)
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
	if r.Method != "POST" || r.Path != "/integration-segment/v1/delete-user" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Token pw_key")
	desttest.JSONEqual(t, r.Body, `{"external_id":"user-1234"}`)
	err := srv.Client().Delete(context.Background(), inst, "", "anon-1")
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || len(srv.Requests()) != 1 {
		t.Fatalf("delete without a user id: %v", err)
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "trackEvent", Payload: `{"name":"x","timestamp":"2024-05-01T10:00:00Z"}`, Field: "external_id"},
		{Action: "trackEvent", Payload: `{"external_id":"u","timestamp":"2024-05-01T10:00:00Z"}`, Field: "name"},
		{Action: "trackEvent", Payload: `{"external_id":"u","name":"x"}`, Field: "timestamp"},
		{Action: "trackEvent", Payload: `{"external_id":"u","name":"x","timestamp":"not a time"}`, Field: "timestamp"},
		{Action: "updateUserProfile", Payload: `{"external_id":"u","current_location":{"latitude":"north"}}`, Field: "current_location.latitude"},
		{Action: "updateUserProfile", Payload: `{"external_id":"u","custom_attributes":[1]}`, Field: "custom_attributes"},
	})
	desttest.RefusesEmpty(t, Definition, settings, TrackEvent)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, `{"external_id":"u","name":"x","timestamp":"2024-05-01T10:00:00Z"}`,
		desttest.Statuses(`{"error":"bad"}`))
}
