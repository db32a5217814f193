package appfit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "afk_live_123"}

const event = `{"type":"track","event":"Workout Finished","messageId":"msg-77","userId":"u-42","anonymousId":"anon-9",` +
	`"timestamp":"2026-03-02T10:15:00.000Z","properties":{"minutes":31,"kind":"run"},` +
	`"context":{"ip":"203.0.113.7","app":{"version":"4.2.0"},"os":{"name":"iOS","version":"17.3"},` +
	`"device":{"id":"dev-1","advertisingId":"ad-1","type":"ios","manufacturer":"Apple","model":"iPhone15,2"}}}`

func TestTrack(t *testing.T) {
	for _, c := range []struct {
		name, event, want string
	}{
		{"full event", event, `{"eventSource":"segment","occurredAt":"2026-03-02T10:15:00.000Z","version":"2","payload":{` +
			`"sourceEventId":"msg-77","eventName":"Workout Finished","userId":"u-42","anonymousId":"anon-9","properties":{"minutes":31,"kind":"run"},` +
			`"systemProperties":{"appVersion":"4.2.0","ipAddress":"203.0.113.7","os":{"name":"iOS","version":"17.3"},` +
			`"device":{"id":"dev-1","advertisingId":"ad-1","manufacturer":"Apple","model":"iPhone15,2"}}}}`},
		// Without context the nested objects stay, empty, as JSON.stringify leaves them.
		{"bare event", `{"type":"track","event":"Opened","messageId":"m-1","anonymousId":"a-1","timestamp":"2026-03-02T10:15:00Z"}`,
			`{"eventSource":"segment","occurredAt":"2026-03-02T10:15:00Z","version":"2","payload":{"sourceEventId":"m-1","eventName":"Opened",` +
				`"anonymousId":"a-1","systemProperties":{"os":{},"device":{}}}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := desttest.NewServer(t)
			p := desttest.RenderDefault(t, Definition, "track", c.event)
			if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), Track, p); err != nil {
				t.Fatal(err)
			}
			r := srv.Only(t)
			if r.Method != "POST" || r.Path != "/metric-events" || r.RawQuery != "" {
				t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
			}
			desttest.Header(t, r, "Authorization", "Basic afk_live_123")
			desttest.Header(t, r, "Content-Type", "application/json")
			desttest.JSONEqual(t, r.Body, c.want)
		})
	}
}

func TestTrackRejectsIncompletePayloads(t *testing.T) {
	for field, p := range map[string]string{
		"name":       `{"occurredAt":"2026-03-02T10:15:00Z","eventId":"m"}`,
		"eventId":    `{"occurredAt":"2026-03-02T10:15:00Z","name":"x","eventId":""}`,
		"occurredAt": `{"name":"x","eventId":"m","occurredAt":"not a time"}`,
	} {
		_, err := Track.Validate([]byte(p))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestTrackErrors(t *testing.T) {
	desttest.ErrorPathsFor(t, Definition, settings, Track,
		desttest.RenderDefault(t, Definition, "track", event),
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"message":"invalid payload"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "12"}}, Outcome: destkit.Retry, RetryAfter: 12 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}

func TestDeleteUser(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Delete(context.Background(), inst, "u 42/x", "anon-9"); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "DELETE" || r.Path != "/metric-event-users/u 42/x" || r.RawQuery != "source=segment_destination" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer afk_live_123")
	if err := srv.Client().Delete(context.Background(), inst, "", "anon-9"); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("no user id: %v", err)
	}
}
