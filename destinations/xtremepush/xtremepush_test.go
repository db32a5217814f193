package xtremepush

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "xp_key", "url": "https://eu.xtremepush.com/"}

// "eHBfa2V5Og==" is base64("xp_key:").
const wantAuth = "Basic eHBfa2V5Og=="

// The bodies are what Segment's implementation sends for the same
// settings, mapping and event.
func TestPresets(t *testing.T) {
	for _, tc := range []struct {
		preset, event, body string
	}{
		{"Send User Profile Data", `{"type":"identify","userId":"user-1234","anonymousId":"anon-1","messageId":"m-2",` +
			`"timestamp":"2024-05-01T10:00:00.000Z","traits":{"email":"ada@example.com","phone":"+33612345678","name":"Ada"}}`,
			`{"type":"identify","userId":"user-1234","anonymousId":"anon-1","phone":"+33612345678","email":"ada@example.com",` +
				`"traits":{"email":"ada@example.com","phone":"+33612345678","name":"Ada"},"timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-2"}`},
		{"Send Analytics Events", `{"type":"track","event":"Order Completed","userId":"user-1234","anonymousId":"anon-1","messageId":"m-1",` +
			`"timestamp":"2024-05-01T10:00:00.000Z","properties":{"revenue":42.5},"context":{"traits":{"email":"ada@example.com"}}}`,
			`{"type":"track","userId":"user-1234","anonymousId":"anon-1","email":"ada@example.com","event":"Order Completed",` +
				`"properties":{"revenue":42.5},"timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-1"}`},
	} {
		pr := preset(t, tc.preset)
		a := Definition.Action(pr.Action)
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true}`})
		p := desttest.Render(t, Definition, a.Key, pr.Mapping, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
			t.Fatalf("%s: %v", tc.preset, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != "/api/integration/segment/handle" || r.RawQuery != "" {
			t.Fatalf("%s: got %s %s?%s", tc.preset, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", wantAuth)
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

const valid = `{"type":"track","event":"e","timestamp":"2024-05-01T10:00:00.000Z","messageId":"m"}`

func TestURL(t *testing.T) {
	for _, tc := range []struct{ setting, want string }{
		{"https://eu.xtremepush.com/", "https://eu.xtremepush.com/api/integration/segment/handle"},
		{"https://eu.xtremepush.com", "https://eu.xtremepush.com/api/integration/segment/handle"},
		{"https://xp.example.com/base/", "https://xp.example.com/base/api/integration/segment/handle"},
	} {
		inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "url": tc.setting})
		reqs, err := desttest.Perform(Track, inst, desttest.Validate(t, Definition, "track", valid))
		if err != nil || len(reqs) != 1 || reqs[0].URL != tc.want {
			t.Errorf("%q: %v %+v", tc.setting, err, reqs)
		}
	}
	for _, bad := range []string{"eu.xtremepush.com", "ftp://x.example", "https://"} {
		inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "url": bad})
		_, err := desttest.Perform(Track, inst, desttest.Validate(t, Definition, "track", valid))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != "url" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestDeleteUser(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Delete(context.Background(), inst, "user-1234", "anon-1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Client().Delete(context.Background(), inst, "", "anon-1"); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	for i, want := range []string{`{"userId":"user-1234","anonymousId":"anon-1"}`, `{"anonymousId":"anon-1"}`} {
		if rs[i].Method != "POST" || rs[i].Path != "/api/integration/segment/delete" {
			t.Fatalf("got %s %s", rs[i].Method, rs[i].Path)
		}
		desttest.Header(t, rs[i], "Authorization", wantAuth)
		desttest.JSONEqual(t, rs[i].Body, want)
	}
	err := srv.Client().Delete(context.Background(), inst, "", "")
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || len(srv.Requests()) != 2 {
		t.Fatalf("delete without ids: %v", err)
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "identify", Payload: `{"timestamp":"t","messageId":"m"}`, Field: "type"},
		{Action: "identify", Payload: `{"type":"identify","messageId":"m"}`, Field: "timestamp"},
		{Action: "identify", Payload: `{"type":"identify","timestamp":"t"}`, Field: "messageId"},
		{Action: "identify", Payload: `{"type":"identify","timestamp":"t","messageId":"m","identifiers":{"email":"not-an-email"}}`, Field: "identifiers.email"},
		{Action: "track", Payload: `{"type":"track","timestamp":"t","messageId":"m"}`, Field: "event"},
		{Action: "track", Payload: `{"type":"track","event":"e","timestamp":"t","messageId":"m","properties":[1]}`, Field: "properties"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, valid,
		desttest.Statuses(`{"error":"bad"}`))
}
