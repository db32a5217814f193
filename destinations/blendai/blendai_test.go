package blendai

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "blend-key-1"}

const track = `{"type":"track","event":"Invoice Paid","messageId":"m-1","userId":"u-1","anonymousId":"a-1",` +
	`"timestamp":"2026-03-02T10:15:00.000Z","properties":{"amount":120.5,"currency":"EUR"},"context":{"traits":{"email":"ada@example.com"}}}`

const identify = `{"type":"identify","messageId":"m-2","userId":"u-1","timestamp":"2026-03-02T10:16:00.000Z",` +
	`"traits":{"name":"Ada","plan":"pro"}}`

const page = `{"type":"page","name":"Pricing","messageId":"m-3","anonymousId":"a-1","properties":{"path":"/pricing"}}`

func TestTrackEvents(t *testing.T) {
	for _, c := range []struct{ name, event, want string }{
		{"track", track, `{"apiKey":"blend-key-1","headers":{},"type":"track","properties":{"amount":120.5,"currency":"EUR"},` +
			`"name":"Invoice Paid","userTraits":{"email":"ada@example.com"},"anonymousId":"a-1","userId":"u-1"}`},
		{"identify", identify, `{"apiKey":"blend-key-1","headers":{},"type":"identify","userTraits":{"name":"Ada","plan":"pro"},"userId":"u-1"}`},
		{"page", page, `{"apiKey":"blend-key-1","headers":{},"type":"page","properties":{"path":"/pricing"},"name":"Pricing","anonymousId":"a-1"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := desttest.NewServer(t)
			p := desttest.RenderDefault(t, Definition, "trackEvents", c.event)
			if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvents, p); err != nil {
				t.Fatal(err)
			}
			r := srv.Only(t)
			if r.Method != "POST" || r.Path != "/segment" || r.RawQuery != "" {
				t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
			}
			desttest.Header(t, r, "Authorization", "Bearer blend-key-1")
			desttest.Header(t, r, "Content-Type", "application/json")
			desttest.JSONEqual(t, r.Body, c.want)
		})
	}
}

// TestTrackEventsIdentifierOrder: identifiers are spread in their mapping's
// order, and keys the field does not declare are dropped.
func TestTrackEventsIdentifierOrder(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "trackEvents", `{"eventType":"track","identifiers":{"userId":"u-1","email":"x@y.z","anonymousId":"a-1"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvents, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"apiKey":"blend-key-1","headers":{},"type":"track","userId":"u-1","anonymousId":"a-1"}`)
}

func TestSendData(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "sendData", track)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendData, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/sendData" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer blend-key-1")
	desttest.JSONEqual(t, r.Body, `{"apiKey":"blend-key-1","headers":{},"payload":{"settings":{"apiKey":"blend-key-1"},"payload":{}}}`)
}

// TestHosts: Track events and Send Data go to different hosts.
func TestHosts(t *testing.T) {
	var urls []string
	for _, a := range []*destkit.Action{TrackEvents, SendData} {
		inst := desttest.Instance(t, Definition, settings)
		reqs, err := a.Perform(&destkit.Input{Payload: parse(t, desttest.RenderDefault(t, Definition, a.Key, track)), Settings: inst.Settings})
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, reqs[0].URL)
	}
	if urls[0] != "https://api.blnd.ai/segment" || urls[1] != "https://segment-api.blnd.ai/sendData" {
		t.Fatal(urls)
	}
}

func TestDeleteUser(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Delete(context.Background(), inst, "u-1", "a-1"); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/delete" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer blend-key-1")
	desttest.JSONEqual(t, r.Body, `{"apiKey":"blend-key-1","headers":{},"external_ids":["u-1"]}`)
	if err := srv.Client().Delete(context.Background(), inst, "", "a-1"); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("no user id: %v", err)
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPathsFor(t, Definition, settings, TrackEvents,
		desttest.RenderDefault(t, Definition, "trackEvents", track),
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "5"}}, Outcome: destkit.Retry, RetryAfter: 5 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 504}, Outcome: destkit.Retry},
		})
}
