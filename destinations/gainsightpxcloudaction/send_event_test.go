package gainsightpxcloudaction

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const identify = `{"type":"identify","userId":"u-1","anonymousId":"a-1","messageId":"m-1","timestamp":"2026-03-02T10:15:00.000Z",` +
	`"traits":{"email":"ada@example.com","name":"Ada"},"context":{"ip":"203.0.113.7","library":{"name":"analytics.js","version":"2.11.1"}}}`

func TestSendEvent(t *testing.T) {
	for _, c := range []struct{ center, host string }{
		{"north_america", "segment-esp.aptrinsic.com"},
		{"europe", "segment-esp-eu.aptrinsic.com"},
		{"us2", "segment-esp-us2.aptrinsic.com"},
	} {
		t.Run(c.center, func(t *testing.T) {
			srv := desttest.NewServer(t)
			inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "px-key", "dataCenter": c.center})
			p := desttest.RenderDefault(t, Definition, "sendEvent", identify)
			if err := srv.Client(destkit.OverrideHost(c.host, srv.URL), destkit.RedirectAll("http://192.0.2.1:1")).Send(context.Background(), inst, SendEvent, p); err != nil {
				t.Fatal(err)
			}
			r := srv.Only(t)
			if r.Method != "POST" || r.Path != "/rte/segmentio/v1/push" || r.RawQuery != "" {
				t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
			}
			desttest.Header(t, r, "Authorization", "Basic cHgta2V5Og==") // px-key:
			desttest.Header(t, r, "Content-Type", "application/json")
			desttest.JSONEqual(t, r.Body, identify)
		})
	}
}

func TestSendEventWithoutEvent(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, map[string]any{"apiKey": "px-key", "dataCenter": "europe"})
	err := srv.Client().Send(context.Background(), inst, SendEvent, desttest.Validate(t, Definition, "sendEvent", `{}`))
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "segmentEvent" || len(srv.Requests()) != 0 {
		t.Fatalf("%v, %d requests", err, len(srv.Requests()))
	}
	if _, err := SendEvent.Validate([]byte(`{"segmentEvent":"not an object"}`)); !errors.As(err, &pv) || pv.Field != "segmentEvent" {
		t.Fatalf("string event: %v", err)
	}
}

func TestSettingsRequireDataCenter(t *testing.T) {
	for _, s := range []map[string]any{{"apiKey": "k"}, {"apiKey": "k", "dataCenter": "mars"}} {
		if _, err := destkit.NewInstance("x", Definition, s); err == nil {
			t.Errorf("%v accepted", s)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPathsFor(t, Definition, map[string]any{"apiKey": "px-key", "dataCenter": "north_america"}, SendEvent,
		desttest.RenderDefault(t, Definition, "sendEvent", identify),
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "4"}}, Outcome: destkit.Retry, RetryAfter: 4 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
