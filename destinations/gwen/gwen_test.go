package gwen

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "gw-key"}

const player = "5f8a4f6e-0b1c-4d2e-9f3a-7b6c5d4e3f21"

func run(t *testing.T, a *destkit.Action, p []byte, replies ...desttest.Reply) (desttest.Recorded, error) {
	t.Helper()
	srv := desttest.NewServer(t, replies...)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/graphql" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "gw-key")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r, err
}

func TestSendEvent(t *testing.T) {
	for _, c := range []struct{ name, event, data string }{
		{"with properties", `{"type":"track","event":"Level Up","userId":"` + player + `","properties":{"level":3,"xp":1200}}`, `{"level":3,"xp":1200}`},
		{"without properties", `{"type":"track","event":"Level Up","userId":"` + player + `"}`, `{}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := run(t, SendEvent, desttest.RenderDefault(t, Definition, "sendEvent", c.event),
				desttest.Reply{Body: `{"data":{"event":true}}`})
			if err != nil {
				t.Fatal(err)
			}
			desttest.JSONEqual(t, r.Body, `{"operationName":"SendEvent","query":"mutation SendEvent($userId: UUID!, $type: String!, $data: JSONObject) {\n event(userId: $userId, type: $type, data: $data)\n}",`+
				`"variables":{"userId":"`+player+`","type":"track","data":`+c.data+`}}`)
		})
	}
}

func TestIdentifyUser(t *testing.T) {
	ev := `{"type":"identify","userId":"` + player + `","traits":{"name":"Ada"},"context":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11)"}}`
	r, err := run(t, IdentifyUser, desttest.RenderDefault(t, Definition, "identifyUser", ev),
		desttest.Reply{Body: `{"data":{"userSession":{"timestamp":"2026-03-02T10:15:00Z"}}}`})
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, r.Body, `{"operationName":"UserSession","query":"mutation UserSession($userId: UUID!, $session: UserSessionInput) {\n          userSession(userId: $userId, data: $session) {\n            timestamp\n          }\n        }",`+
		`"variables":{"userId":"`+player+`","session":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11)"}}}`)
}

func TestGraphQLErrorsFail(t *testing.T) {
	_, err := run(t, SendEvent, desttest.Validate(t, Definition, "sendEvent", `{"userId":"`+player+`","type":"track"}`),
		desttest.Reply{Body: `{"errors":[{"message":"User not found"}],"data":null}`})
	var ie *destkit.IntegrationError
	if !errors.As(err, &ie) || ie.Message != "User not found" || destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("%v", err)
	}
}

func TestRejectsIncompletePayloads(t *testing.T) {
	for _, c := range []struct {
		a              *destkit.Action
		field, payload string
	}{
		{SendEvent, "userId", `{"type":"track"}`},
		{SendEvent, "userId", `{"type":"track","userId":"not-a-uuid"}`},
		{SendEvent, "type", `{"userId":"` + player + `"}`},
		{IdentifyUser, "userId", `{"ip":"1.2.3.4","userId":""}`},
	} {
		_, err := c.a.Validate([]byte(c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field {
			t.Errorf("%s %s: %v", c.a.Key, c.payload, err)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
		after time.Duration
	}{
		{desttest.Reply{Status: 400, Body: `{"errors":[{"message":"bad query"}]}`}, destkit.Fail, 0},
		{desttest.Reply{Status: 401}, destkit.Fail, 0},
		{desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "2"}}, destkit.Retry, 2 * time.Second},
		{desttest.Reply{Status: 500}, destkit.Retry, 0},
		{desttest.Reply{Status: 503}, destkit.Retry, 0},
	} {
		_, err := run(t, SendEvent, desttest.Validate(t, Definition, "sendEvent", `{"userId":"`+player+`","type":"track"}`), c.reply)
		if v := destkit.Classify(err); v.Outcome != c.want || v.RetryAfter != c.after {
			t.Errorf("%d: %v after %v (%v)", c.reply.Status, v.Outcome, v.RetryAfter, err)
		}
	}
}
