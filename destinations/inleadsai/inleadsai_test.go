package inleadsai

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "inl_4f2a"}

const ctx = `"context":{"ip":"203.0.113.7","locale":"en-GB","timezone":"Europe/London","userAgent":"Mozilla/5.0",` +
	`"page":{"url":"https://app.example.com/settings","referrer":"https://www.google.com/"},"os":{"name":"macOS","version":"14.4"},` +
	`"screen":{"width":1512,"height":982,"density":2},"campaign":{"source":"newsletter","medium":"email","name":"spring"},` +
	`"location":{"country":"United Kingdom","city":"London"},"traits":{"email":"ada@example.com"}}`

const common = `"userMeta":{"ip":"203.0.113.7","country":"United Kingdom","city":"London","browser":"Mozilla/5.0","os":"macOS","osVersion":"14.4",` +
	`"timeZone":"Europe/London"},"anonymous_id":"a-1","event_id":"%s","url":"https://app.example.com/settings","referer":"https://www.google.com/",` +
	`"user_language":"en-GB","utc_time":"2024-05-01T10:00:00.000Z","utm":{"source":"newsletter","medium":"email","name":"spring"},` +
	`"screen":{"height":982,"width":1512,"density":2},"timezone":"Europe/London","source_ip":"203.0.113.7"`

func commonWith(id string) string { return strings.Replace(common, "%s", id, 1) }

func TestDefaultMappings(t *testing.T) {
	for _, tc := range []struct {
		action *destkit.Action
		event  string
		body   string
	}{
		{Track, `{"type":"track","event":"Report Shared","userId":"u-1","anonymousId":"a-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
			`"properties":{"report":"Q2"},` + ctx + `}`,
			`{"eventName":"Report Shared","user_id":"u-1","properties":{"report":"Q2"},"traits":{"email":"ada@example.com"},` + commonWith("m-1") + `,"apiKey":"inl_4f2a"}`},
		{Identify, `{"type":"identify","userId":"u-1","anonymousId":"a-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z",` +
			`"traits":{"name":"Ada Lovelace","first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","createdAt":"2023-09-26T15:30:00Z"},` + ctx + `}`,
			`{"user_id":"u-1","name":"Ada Lovelace","first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","created_at":"2023-09-26T15:30:00Z",` +
				`"traits":{"name":"Ada Lovelace","first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","createdAt":"2023-09-26T15:30:00Z"},` + commonWith("m-2") + `,"apiKey":"inl_4f2a"}`},
		{Group, `{"type":"group","userId":"u-1","anonymousId":"a-1","groupId":"acme","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z",` +
			`"traits":{"name":"Acme","website":"https://acme.example"},` + ctx + `}`,
			`{"account_id":"acme","user_id":"u-1","name":"Acme","traits":{"name":"Acme","website":"https://acme.example"},"website":"https://acme.example",` + commonWith("m-3") + `,"apiKey":"inl_4f2a"}`},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true}`})
		p := desttest.RenderDefault(t, Definition, tc.action.Key, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), tc.action, p); err != nil {
			t.Fatalf("%s: %v", tc.action.Key, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != "/events/track" || r.RawQuery != "" {
			t.Fatalf("%s: got %s %s?%s", tc.action.Key, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", "Basic inl_4f2a")
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestPresetsAreDefaultMappings(t *testing.T) {
	for _, p := range Definition.Presets {
		if string(p.Mapping) != string(Definition.Action(p.Action).DefaultMapping()) {
			t.Errorf("%s: %s", p.Name, p.Mapping)
		}
	}
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct{ action, payload, field string }{
		"track without event":   {"track", `{"user_id":"u","utc_time":"2024-05-01T10:00:00Z"}`, "eventName"},
		"track without user":    {"track", `{"eventName":"e","utc_time":"2024-05-01T10:00:00Z"}`, "user_id"},
		"identify bad time":     {"identify", `{"user_id":"u","utc_time":"yesterday"}`, "utc_time"},
		"group without name":    {"group", `{"account_id":"a","utc_time":"2024-05-01T10:00:00Z"}`, "name"},
		"group without account": {"group", `{"name":"n","utc_time":"2024-05-01T10:00:00Z"}`, "account_id"},
	} {
		_, err := Definition.Action(tc.action).Validate([]byte(tc.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	payload := `{"eventName":"e","user_id":"u","account_id":"a","name":"n","utc_time":"2024-05-01T10:00:00Z"}`
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		payload,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"error":"bad"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "5"}}, Outcome: destkit.Retry, RetryAfter: 5 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
		})
}
