package chartmogul

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const hook = "https://hooks.chartmogul.com/v1/ws/abc123"

var settings = map[string]any{"chartmogul_webhook_url": hook}

func send(t *testing.T, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/v1/ws/abc123" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	if r.Header.Get("Authorization") != "" {
		t.Fatal("the webhook URL is the only credential")
	}
	return r
}

func TestSendContact(t *testing.T) {
	ev := `{"type":"identify","userId":"u-1","anonymousId":"a-1","messageId":"m-1","timestamp":"2026-03-02T10:15:00.000Z","sentAt":"2026-03-02T10:15:01.000Z",` +
		`"traits":{"email":"ada@example.com","first_name":"Ada","last_name":"Lovelace","linkedIn":"https://linkedin.com/in/ada","company":{"id":"g-1","name":"Acme"}}}`
	r := send(t, SendContact, desttest.RenderDefault(t, Definition, "sendContact", ev))
	desttest.JSONEqual(t, r.Body, `{"type":"Send Contact","message_id":"m-1","timestamp":"2026-03-02T10:15:00.000Z","sent_at":"2026-03-02T10:15:01.000Z",`+
		`"user_id":"u-1","anonymous_id":"a-1","email":"ada@example.com","first_name":"Ada","last_name":"Lovelace","linked_in":"https://linkedin.com/in/ada",`+
		`"company":{"id":"g-1","name":"Acme"}}`)
}

// TestDefaultContactMappingNeedsCompanyID: as in Segment, the default
// mapping's company object requires an id, so users without one fail
// validation naming the field.
func TestDefaultContactMappingNeedsCompanyID(t *testing.T) {
	p := []byte(`{"type":"Send Contact","message_id":"m","timestamp":"2026-03-02T10:15:00Z","sent_at":"2026-03-02T10:15:00Z","user_id":"u","email":"a@b.co","company":{"name":"Acme"}}`)
	_, err := SendContact.Validate(p)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "company.id" {
		t.Fatalf("%#v", err)
	}
}

func TestSendContactRejects(t *testing.T) {
	for _, c := range []struct{ field, payload string }{
		{"user_id", `{"type":"Send Contact","message_id":"m","timestamp":"2026-03-02T10:15:00Z","sent_at":"2026-03-02T10:15:00Z","email":"a@b.co"}`},
		// Nothing beyond the five identifying fields.
		{"", `{"type":"Send Contact","message_id":"m","timestamp":"2026-03-02T10:15:00Z","sent_at":"2026-03-02T10:15:00Z","user_id":"u"}`},
	} {
		srv := desttest.NewServer(t)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendContact, desttest.Validate(t, Definition, "sendContact", c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v", c.payload, err)
		}
	}
}

func TestSendCustomer(t *testing.T) {
	ev := `{"type":"group","userId":"u-1","groupId":"g-1","messageId":"m-2","timestamp":"2026-03-02T10:15:00.000Z","sentAt":"2026-03-02T10:15:01.000Z",` +
		`"traits":{"name":"Acme","description":"Anvils and rockets","website":"acme.com","createdAt":"2024-01-01","address":{"city":"Lyon","postalCode":"69001"}}}`
	r := send(t, SendCustomer, desttest.RenderDefault(t, Definition, "sendCustomer", ev))
	desttest.JSONEqual(t, r.Body, `{"type":"Send Customer","message_id":"m-2","timestamp":"2026-03-02T10:15:00.000Z","sent_at":"2026-03-02T10:15:01.000Z",`+
		`"user_id":"u-1","group_id":"g-1","name":"Acme","description":"Anvils and rockets","website":"acme.com","created_at":"2024-01-01","address":{"city":"Lyon","postal_code":"69001"}}`)
}

func TestSendCustomerRejectsIncompletePayloads(t *testing.T) {
	for field, p := range map[string]string{
		"group_id":  `{"type":"Send Customer","message_id":"m","timestamp":"2026-03-02T10:15:00Z","sent_at":"2026-03-02T10:15:00Z","user_id":"u"}`,
		"sent_at":   `{"type":"Send Customer","message_id":"m","timestamp":"2026-03-02T10:15:00Z","user_id":"u","group_id":"g"}`,
		"email":     `{"type":"Send Customer","message_id":"m","timestamp":"2026-03-02T10:15:00Z","sent_at":"2026-03-02T10:15:00Z","user_id":"u","group_id":"g","email":"nope"}`,
		"timestamp": `{"type":"Send Customer","message_id":"m","timestamp":{},"sent_at":"2026-03-02T10:15:00Z","user_id":"u","group_id":"g"}`,
	} {
		_, err := SendCustomer.Validate([]byte(p))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestWebhookMustBeHTTPS(t *testing.T) {
	inst := desttest.Instance(t, Definition, map[string]any{"chartmogul_webhook_url": "http://hooks.chartmogul.com/v1/ws/abc123"})
	p := desttest.Validate(t, Definition, "sendCustomer", `{"type":"Send Customer","message_id":"m","timestamp":"2026-03-02T10:15:00Z","sent_at":"2026-03-02T10:15:00Z","user_id":"u","group_id":"g"}`)
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), inst, SendCustomer, p); destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("%v", err)
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{SendCustomer},
		`{"type":"Send Customer","message_id":"m","timestamp":"2026-03-02T10:15:00Z","sent_at":"2026-03-02T10:15:00Z","user_id":"u","group_id":"g"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 404}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "8"}}, Outcome: destkit.Retry, RetryAfter: 8 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
