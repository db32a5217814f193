package toplyne

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "toplyne-secret"}

// send renders the action's default mapping over event and returns the
// body of the one request, after checking its call.
func send(t *testing.T, a *destkit.Action, event, path string) []byte {
	t.Helper()
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, a.Key, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer toplyne-secret")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r.Body
}

func TestSendUserProfiles(t *testing.T) {
	body := send(t, SendUserProfiles, `{"type":"identify","userId":"user-1042","anonymousId":"anon-5c1e","traits":{"plan":"pro","seats":12},`+
		`"timestamp":"2026-03-02T10:15:42.500Z"}`, "/v1/upload/users/profiles")
	desttest.JSONEqual(t, body, `{"profiles":[{"userId":"user-1042","anonymousId":"anon-5c1e","creationTime":1772446542,"userProperties":{"plan":"pro","seats":12}}]}`)
}

func TestSendAccountProfiles(t *testing.T) {
	body := send(t, SendAccountProfiles, `{"type":"group","groupId":"grp-42","traits":{"name":"Acme Inc"},"timestamp":"2026-03-02T10:15:42.500Z"}`,
		"/v1/upload/accounts/profiles")
	desttest.JSONEqual(t, body, `{"accounts":[{"accountId":"grp-42","creationTime":1772446542,"accountProperties":{"name":"Acme Inc"}}]}`)
}

func TestSendEvents(t *testing.T) {
	body := send(t, SendEvents, `{"type":"track","event":"Report Exported","userId":"user-1042","context":{"groupId":"grp-42"},`+
		`"properties":{"format":"csv"},"timestamp":"2026-03-02T10:15:42.500Z"}`, "/v1/upload/events")
	desttest.JSONEqual(t, body, `{"events":[{"userId":"user-1042","accountId":"grp-42","eventName":"Report Exported","timestamp":1772446542,"eventProperties":{"format":"csv"}}]}`)
}

func TestTimes(t *testing.T) {
	// Epoch milliseconds and Unix seconds in a string are both seconds.
	for in, want := range map[string]string{`1772446542999`: `1772446542`, `"1772446542"`: `1772446542`, `"2026-03-02 10:15:42"`: `1772446542`} {
		p := desttest.Validate(t, Definition, "sendEvents", `{"eventName":"x","timestamp":`+in+`}`)
		reqs, err := desttest.Perform(SendEvents, desttest.Instance(t, Definition, settings), p)
		if err != nil {
			t.Fatal(err)
		}
		desttest.JSONEqual(t, reqs[0].Body, `{"events":[{"eventName":"x","timestamp":`+want+`}]}`)
	}
}

func TestErrorPaths(t *testing.T) {
	p := `{"userId":"u-1","accountId":"a-1","eventName":"x","timestamp":"2026-03-02T10:15:42Z","creationTime":"2026-03-02T10:15:42Z"}`
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, p, desttest.Statuses(`{"message":"invalid payload"}`))
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "sendAccountProfiles", Payload: `{"creationTime":"2026-03-02T10:15:42Z"}`, Field: "accountId"},
		{Action: "sendEvents", Payload: `{"eventName":"x","timestamp":"yesterday"}`, Field: "timestamp"},
	})
}
