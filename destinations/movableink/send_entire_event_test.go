package movableink

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{
	"username":        "acme",
	"password":        "s3cret",
	"movable_ink_url": "https://collector.movableink.com/behavioral/acme-123",
}

const track = `{"type":"track","event":"Product Viewed","userId":"u-1","anonymousId":"a-1","messageId":"m-1",` +
	`"timestamp":"2024-05-01T10:00:00.000Z","properties":{"product_id":"p-9","price":19.99,"name":"Café mug"},` +
	`"context":{"ip":"203.0.113.7","page":{"url":"https://shop.example.com/p/9"}}}`

func TestSendEntireEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 200, Body: `{"ok":true}`})
	p := desttest.RenderDefault(t, Definition, "sendEntireEvent", track)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendEntireEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/behavioral/acme-123" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Basic YWNtZTpzM2NyZXQ=") // acme:s3cret
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, track)
}

func TestSendEntireEventHeadersAndNoData(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "sendEntireEvent", `{"headers":{"X-Source":"segment","X-Retry":2}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendEntireEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "X-Source", "segment")
	desttest.Header(t, r, "X-Retry", "2")
	desttest.Header(t, r, "Content-Type", "")
	if len(r.Body) != 0 {
		t.Fatalf("body %q, want none", r.Body)
	}
}

func TestSendEntireEventRejects(t *testing.T) {
	for name, payload := range map[string]string{
		"non-ASCII value": `{"headers":{"X-Name":"Zoë"},"data":{"a":1}}`,
		"line break":      `{"headers":{"X-Name":"a\r\nX-Evil: 1"},"data":{"a":1}}`,
		"bad name":        `{"headers":{"X Name":"a"},"data":{"a":1}}`,
	} {
		srv := desttest.NewServer(t)
		p := desttest.Validate(t, Definition, "sendEntireEvent", payload)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendEntireEvent, p)
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != "headers" {
			t.Errorf("%s: got %v", name, err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%s: %d requests sent", name, n)
		}
	}
	// Every setting is required.
	for _, k := range []string{"username", "password", "movable_ink_url"} {
		s := map[string]any{}
		for kk, v := range settings {
			if kk != k {
				s[kk] = v
			}
		}
		var pv *destkit.PayloadValidationError
		if _, err := destkit.NewInstance("x", Definition, s); !errors.As(err, &pv) || pv.Field != k {
			t.Errorf("without %s: %v", k, err)
		}
	}
}

func TestSendEntireEventErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{SendEntireEvent},
		`{"data":{"type":"track"}}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"error":"bad"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "9"}}, Outcome: destkit.Retry, RetryAfter: 9 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
