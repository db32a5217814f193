package kameleoon

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"apiKey": "eyJpZCI6ImsxIn0=", "sitecode": "a1b2c3d4e5"}
}

func sendDefault(t *testing.T, a *destkit.Action, event, want string) {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), a, desttest.RenderDefault(t, Definition, a.Key, event)); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/segmentio" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Basic eyJpZCI6ImsxIn0=")
	desttest.Header(t, r, "x-segment-settings", "a1b2c3d4e5")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, want)
}

const ctx = `"context":{"ip":"203.0.113.7","page":{"path":"/pricing"}}`

// The visitor code moves into properties; the rest is the mapped payload.
func TestLogEvent(t *testing.T) {
	sendDefault(t, LogEvent, `{"type":"track","event":"Signed Up","userId":"u-1","anonymousId":"anon-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",`+
		`"properties":{"plan":"pro","kameleoonVisitorCode":"kvc-1"},`+ctx+`}`,
		`{"anonymousId":"anon-1","userId":"u-1","event":"Signed Up","type":"track","properties":{"plan":"pro","kameleoonVisitorCode":"kvc-1"},`+
			`"timestamp":"2024-05-01T10:00:00.000Z",`+ctx+`,"messageId":"m-1"}`)
}

func TestIdentify(t *testing.T) {
	sendDefault(t, Identify, `{"type":"identify","userId":"u-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z","traits":{"plan":"pro","kameleoonVisitorCode":"kvc-2"}}`,
		`{"userId":"u-1","type":"identify","properties":{"plan":"pro","kameleoonVisitorCode":"kvc-2"},"timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-2"}`)
}

func TestGroup(t *testing.T) {
	// No visitor code: properties carry none.
	sendDefault(t, Group, `{"type":"group","userId":"u-1","groupId":"g-1","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z","traits":{"name":"Acme"}}`,
		`{"userId":"u-1","type":"group","groupId":"g-1","properties":{"name":"Acme"},"timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-3"}`)
}

func TestPage(t *testing.T) {
	// Without properties, the visitor code alone makes them.
	sendDefault(t, Page, `{"type":"page","anonymousId":"anon-1","name":"Pricing","messageId":"m-4","timestamp":"2024-05-01T10:00:00.000Z",`+ctx+`}`,
		`{"anonymousId":"anon-1","type":"page","name":"Pricing",`+ctx+`,"timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-4","properties":{}}`)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings(), Definition.Actions,
		`{"type":"track","groupId":"g","timestamp":"2024-05-01T10:00:00Z","messageId":"m"}`, desttest.Statuses(`{"error":"invalid sitecode"}`))
	desttest.RefusesEmpty(t, Definition, settings(), Definition.Actions...)
	desttest.Refuses(t, Definition, settings(), []desttest.Invalid{
		{Action: "logEvent", Payload: `{"type":"track","timestamp":"yesterday","messageId":"m"}`, Field: "timestamp"},
	})
}
