package cannyfunctions

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "canny-key"}

const identifyEvent = `{"type":"identify","userId":"u-1","messageId":"m-1","timestamp":"2026-03-02T10:15:00.000Z",` +
	`"traits":{"name":"Ada","email":"ada@example.com","company":{"id":"c-1","name":"Acme"},"plan":"pro","seats":4,"createdAt":"2025-01-01T00:00:00Z"}}`

// basic is base64("canny-key:").
const basic = "Basic Y2Fubnkta2V5Og=="

func send(t *testing.T, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "Authorization", basic)
	desttest.Header(t, r, "Accept", "application/json")
	desttest.Header(t, r, "Content-Type", "application/json")
	if r.Method != "POST" || r.RawQuery != "" {
		t.Fatalf("got %s ?%s", r.Method, r.RawQuery)
	}
	return r
}

func TestIdentify(t *testing.T) {
	for _, c := range []struct {
		name, mapping, want string
	}{
		// The default mapping keeps the six standard traits, in its order.
		{"default mapping", string(Identify.DefaultMapping()),
			`{"traits":{"company":{"id":"c-1","name":"Acme"},"createdAt":"2025-01-01T00:00:00Z","name":"Ada","email":"ada@example.com"},"type":"identify","userId":"u-1"}`},
		// All traits: the non-standard ones are repeated under customFields.
		{"all traits", `{"userId":{"@path":"$.userId"},"traits":{"@path":"$.traits"},"type":{"@path":"$.type"}}`,
			`{"traits":{"name":"Ada","email":"ada@example.com","company":{"id":"c-1","name":"Acme"},"plan":"pro","seats":4,` +
				`"createdAt":"2025-01-01T00:00:00Z","customFields":{"plan":"pro","seats":4}},"type":"identify","userId":"u-1"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := send(t, Identify, desttest.Render(t, Definition, "identify", destkit.JSON(c.mapping), identifyEvent))
			if r.Path != "/api/segment/v2/identify" {
				t.Fatalf("path %s", r.Path)
			}
			desttest.JSONEqual(t, r.Body, c.want)
		})
	}
}

func TestIdentifyCustomFieldsTrait(t *testing.T) {
	for _, c := range []struct{ payload, want string }{
		// A trait called customFields is custom too and is replaced in place.
		{`{"userId":"u-1","type":"identify","traits":{"customFields":{"x":1},"name":"Ada","tier":"gold"}}`,
			`{"traits":{"customFields":{"customFields":{"x":1},"tier":"gold"},"name":"Ada","tier":"gold"},"type":"identify","userId":"u-1"}`},
		// No traits at all: an empty object.
		{`{"userId":"u-1","type":"identify"}`, `{"traits":{},"type":"identify","userId":"u-1"}`},
	} {
		r := send(t, Identify, desttest.Validate(t, Definition, "identify", c.payload))
		desttest.JSONEqual(t, r.Body, c.want)
	}
}

func TestGroup(t *testing.T) {
	ev := `{"type":"group","groupId":"c-1","userId":"u-1","messageId":"m-2","traits":{"name":"Acme","monthlySpend":100}}`
	r := send(t, Group, desttest.RenderDefault(t, Definition, "group", ev))
	if r.Path != "/api/segment/group" {
		t.Fatalf("path %s", r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"groupId":"c-1","traits":{"name":"Acme","monthlySpend":100},"type":"group","userId":"u-1"}`)
}

func TestRejectsIncompletePayloads(t *testing.T) {
	for _, c := range []struct {
		a              *destkit.Action
		field, payload string
	}{
		{Identify, "userId", `{"type":"identify","traits":{"name":"Ada"}}`},
		{Identify, "type", `{"userId":"u-1","type":""}`},
		{Group, "groupId", `{"type":"group","groupId":""}`},
		{Group, "traits", `{"type":"group","groupId":"g","traits":[1]}`},
	} {
		_, err := c.a.Validate([]byte(c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field {
			t.Errorf("%s %s: %v", c.a.Key, c.field, err)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPathsFor(t, Definition, settings, Identify,
		desttest.RenderDefault(t, Definition, "identify", identifyEvent),
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"error":"invalid user"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "9"}}, Outcome: destkit.Retry, RetryAfter: 9 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
