package koala

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"public_key": "pk_acme"}

func send(t *testing.T, srv *desttest.Server, a *destkit.Action, p []byte) error {
	t.Helper()
	return srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
}

func wantRequest(t *testing.T, r desttest.Recorded) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/web/projects/pk_acme/batch" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "Authorization", "")
}

const trackEvent = `{"type":"track","event":"Demo Requested","userId":"u-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"properties":{"plan":"enterprise","ip":"198.51.100.4"},` +
	`"context":{"ip":"203.0.113.7","library":{"name":"analytics-node","version":"1.0"},"traits":{"email":"ada@example.com","name":"Ada"}}}`

func TestTrackDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{}`})
	if err := send(t, srv, Track, desttest.RenderDefault(t, Definition, "track", trackEvent)); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantRequest(t, r)
	// The email comes from the context traits, the ip from the properties.
	desttest.JSONEqual(t, r.Body, `{"email":"ada@example.com","traits":{"email":"ada@example.com","name":"Ada"},"ip":"198.51.100.4",`+
		`"events":[{"type":"track","event":"Demo Requested","properties":{"plan":"enterprise","ip":"198.51.100.4"},"sent_at":"2024-05-01T10:00:00.000Z",`+
		`"context":{"ip":"203.0.113.7","library":{"name":"analytics-node","version":"1.0"},"traits":{"email":"ada@example.com","name":"Ada"}},`+
		`"traits":{"email":"ada@example.com","name":"Ada"},"device_ip":"203.0.113.7","message_id":"m-1"}]}`)
}

const identifyCall = `{"type":"identify","userId":"u-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"traits":{"email":"ada@example.com","profile_id":"kp_1","title":"CTO"},"context":{"ip":"203.0.113.7","source":"web"}}`

func TestIdentifyDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{}`})
	if err := send(t, srv, Identify, desttest.RenderDefault(t, Definition, "identify", identifyCall)); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantRequest(t, r)
	desttest.JSONEqual(t, r.Body, `{"profile_id":"kp_1","email":"ada@example.com","traits":{"email":"ada@example.com","profile_id":"kp_1","title":"CTO"},"ip":"203.0.113.7",`+
		`"identifies":[{"type":"identify","email":"ada@example.com","traits":{"email":"ada@example.com","profile_id":"kp_1","title":"CTO"},`+
		`"sent_at":"2024-05-01T10:00:00.000Z","context":{"ip":"203.0.113.7","source":"segment-cloud"},"device_ip":"203.0.113.7","message_id":"m-2"}]}`)
}

func TestIdentifyWithoutContext(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "identify", `{"email":"a@example.com","sent_at":"2024-05-01T10:00:00Z","message_id":"m"}`)
	if err := send(t, srv, Identify, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"email":"a@example.com","traits":{},"identifies":[{"type":"identify","email":"a@example.com",`+
		`"sent_at":"2024-05-01T10:00:00Z","message_id":"m","context":{"source":"segment-cloud"}}]}`)
}

func TestSkipped(t *testing.T) {
	for name, tc := range map[string]struct {
		action  *destkit.Action
		payload string
	}{
		"track from analytics.js":   {Track, `{"event":"e","sent_at":"2024-05-01T10:00:00Z","message_id":"m","email":"a@example.com","context":{"library":{"name":"analytics.js"}}}`},
		"track without identity":    {Track, `{"event":"e","sent_at":"2024-05-01T10:00:00Z","message_id":"m","properties":{"profile_id":""}}`},
		"identify without identity": {Identify, `{"sent_at":"2024-05-01T10:00:00Z","message_id":"m","traits":{"name":"x","profile_id":0}}`},
	} {
		srv := desttest.NewServer(t)
		p := desttest.Validate(t, Definition, tc.action.Key, tc.payload)
		if err := send(t, srv, tc.action, p); err != nil || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v, %d requests", name, err, len(srv.Requests()))
		}
	}
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct{ action, payload, field string }{
		"track without event": {"track", `{"sent_at":"2024-05-01T10:00:00Z","message_id":"m","email":"a@example.com"}`, "event"},
		"track bad sent_at":   {"track", `{"event":"e","sent_at":"yesterday","message_id":"m"}`, "sent_at"},
		"identify without id": {"identify", `{"sent_at":"2024-05-01T10:00:00Z","email":"a@example.com"}`, "message_id"},
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
		`{"event":"e","sent_at":"2024-05-01T10:00:00Z","message_id":"m","email":"a@example.com"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 404}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "2"}}, Outcome: destkit.Retry, RetryAfter: 2 * time.Second},
			{Reply: desttest.Reply{Status: 502}, Outcome: destkit.Retry},
		})
}
