package loops

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "loops_key_123"}

func send(t *testing.T, srv *desttest.Server, a *destkit.Action, p []byte) error {
	t.Helper()
	return srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
}

func wantRequest(t *testing.T, r desttest.Recorded, method, path string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want %s %s", r.Method, r.Path, r.RawQuery, method, path)
	}
	desttest.Header(t, r, "Authorization", "Bearer loops_key_123")
	desttest.Header(t, r, "Content-Type", "application/json")
}

const identify = `{"type":"identify","userId":"user-1","anonymousId":"anon-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00Z",` +
	`"traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","plan":"pro","userGroup":"founders",` +
	`"mailingLists":{"cl_news":true,"cl_promo":"false","cl_bad":"yes"}}}`

func TestCreateOrUpdateContactDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true,"id":"c1"}`})
	if err := send(t, srv, CreateOrUpdateContact, desttest.RenderDefault(t, Definition, "createOrUpdateContact", identify)); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantRequest(t, r, "PUT", "/api/v1/contacts/update")
	// Traits first, then the mapped fields (replacing traits of the same
	// name in place), lists from the traits filtered to booleans, last.
	desttest.JSONEqual(t, r.Body, `{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","plan":"pro","userGroup":"founders",`+
		`"source":"Segment","userId":"user-1","mailingLists":{"cl_news":true,"cl_promo":false}}`)
}

func TestCreateOrUpdateContactLists(t *testing.T) {
	for name, tc := range map[string]struct{ payload, body string }{
		"field wins over traits": {`{"userId":"u","mailingLists":{"l1":"true"},"customAttributes":{"mailingLists":{"l2":true},"x":1}}`,
			`{"x":1,"userId":"u","mailingLists":{"l1":true}}`},
		"no lists anywhere": {`{"userId":"u","subscribed":false,"createdAt":"2024-01-02T03:04:05Z"}`,
			`{"userId":"u","subscribed":false,"createdAt":"2024-01-02T03:04:05Z","mailingLists":{}}`},
		"lists trait not an object": {`{"userId":"u","customAttributes":{"mailingLists":"l1"}}`,
			`{"userId":"u","mailingLists":{}}`},
	} {
		srv := desttest.NewServer(t)
		if err := send(t, srv, CreateOrUpdateContact, desttest.Validate(t, Definition, "createOrUpdateContact", tc.payload)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		desttest.JSONEqual(t, srv.Only(t).Body, tc.body)
	}
}

func TestSendEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true}`})
	track := `{"type":"track","event":"Trial Started","userId":"user-1","messageId":"m-2","properties":{"plan":"pro","seats":3},` +
		`"context":{"traits":{"email":"ada@example.com"}}}`
	if err := send(t, srv, SendEvent, desttest.RenderDefault(t, Definition, "sendEvent", track)); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantRequest(t, r, "POST", "/api/v1/events/send")
	desttest.JSONEqual(t, r.Body, `{"email":"ada@example.com","eventName":"Trial Started","userId":"user-1","eventProperties":{"plan":"pro","seats":3}}`)
}

func TestSendEventContactProperties(t *testing.T) {
	srv := desttest.NewServer(t)
	// Contact properties follow the fields; one named like an absent field
	// takes that field's place.
	p := desttest.Validate(t, Definition, "sendEvent", `{"eventName":"e","userId":"u","contactProperties":{"plan":"pro","email":"x@example.com"}}`)
	if err := send(t, srv, SendEvent, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"email":"x@example.com","eventName":"e","userId":"u","plan":"pro"}`)
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		action, payload, field string
	}{
		"contact without user": {"createOrUpdateContact", `{"email":"a@example.com"}`, "userId"},
		"contact bad email":    {"createOrUpdateContact", `{"userId":"u","email":"not-an-email"}`, "email"},
		"event without name":   {"sendEvent", `{"userId":"u"}`, "eventName"},
		"event without user":   {"sendEvent", `{"eventName":"e"}`, "userId"},
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
		`{"userId":"u","eventName":"e"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"success":false,"message":"bad"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 409}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "10"}}, Outcome: destkit.Retry, RetryAfter: 10 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
		})
}

func TestDelete(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true}`})
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Delete(context.Background(), inst, "user-1", "anon-1"); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantRequest(t, r, "POST", "/api/v1/contacts/delete")
	desttest.JSONEqual(t, r.Body, `{"userId":"user-1"}`)
	if err := srv.Client().Delete(context.Background(), inst, "", "anon-1"); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
}
