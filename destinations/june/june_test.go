package june

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "june-write-key"}

func TestDefaultMappings(t *testing.T) {
	const ctx = `"context":{"ip":"203.0.113.7","library":{"name":"analytics.js","version":"2.0"}}`
	for _, tc := range []struct {
		action *destkit.Action
		event  string
		path   string
		body   string
	}{
		{Track, `{"type":"track","event":"Report Exported","userId":"u-1","anonymousId":"a-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
			`"properties":{"format":"csv"},` + ctx + `}`,
			"/api/track", `{"event":"Report Exported","properties":{"format":"csv"},"timestamp":"2024-05-01T10:00:00.000Z","userId":"u-1","anonymousId":"a-1",` + ctx + `,"messageId":"m-1"}`},
		{Identify, `{"type":"identify","userId":"u-1","anonymousId":"a-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z","traits":{"email":"ada@example.com"}}`,
			"/api/identify", `{"anonymousId":"a-1","userId":"u-1","traits":{"email":"ada@example.com"},"messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z"}`},
		{Group, `{"type":"group","userId":"u-1","groupId":"g-7","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z","traits":{"name":"Acme"}}`,
			"/api/group", `{"userId":"u-1","groupId":"g-7","traits":{"name":"Acme"},"messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z"}`},
		{Page, `{"type":"page","name":"Pricing","userId":"u-1","messageId":"m-4","timestamp":"2024-05-01T10:00:00.000Z","properties":{"name":"Pricing","path":"/pricing"},` + ctx + `}`,
			"/api/page", `{"userId":"u-1","properties":{"name":"Pricing","path":"/pricing"},"name":"Pricing",` + ctx + `,"timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-4"}`},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true}`})
		p := desttest.RenderDefault(t, Definition, tc.action.Key, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), tc.action, p); err != nil {
			t.Fatalf("%s: %v", tc.action.Key, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != tc.path || r.RawQuery != "" {
			t.Fatalf("%s: got %s %s?%s", tc.action.Key, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", "Basic june-write-key")
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct{ action, payload, field string }{
		"track without event":    {"track", `{"timestamp":"2024-05-01T10:00:00Z","messageId":"m"}`, "event"},
		"track bad timestamp":    {"track", `{"event":"e","timestamp":"1st of May","messageId":"m"}`, "timestamp"},
		"identify without id":    {"identify", `{"timestamp":"2024-05-01T10:00:00Z"}`, "messageId"},
		"group without group":    {"group", `{"timestamp":"2024-05-01T10:00:00Z","messageId":"m"}`, "groupId"},
		"page without timestamp": {"page", `{"userId":"u"}`, "timestamp"},
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
		`{"event":"e","groupId":"g","timestamp":"2024-05-01T10:00:00Z","messageId":"m"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"error":"bad"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "1"}}, Outcome: destkit.Retry, RetryAfter: time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
		})
}
