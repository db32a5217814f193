package voucherify

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"apiKey": "app-id", "secretKey": "secret", "customURL": "https://us1.api.voucherify.io/"}
}

func sendDefault(t *testing.T, a *destkit.Action, mapping destkit.JSON, event, path, want string) {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"ok"}`})
	p := desttest.Render(t, Definition, a.Key, mapping, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	// base64("app-id"), base64("secret")
	desttest.Header(t, r, "Authorization", "Basic YXBwLWlk")
	desttest.Header(t, r, "secret-key", "c2VjcmV0")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, want)
	reqs, _ := desttest.Perform(a, desttest.Instance(t, Definition, settings()), p)
	if reqs[0].URL != "https://us1.api.voucherify.io"+path {
		t.Fatal(reqs[0].URL)
	}
}

func TestUpsertCustomer(t *testing.T) {
	identify := `{"type":"identify","userId":"u-1","traits":{"name":"Ada Lovelace","description":"Wrote the first program","email":"ada@example.com","phone":null,"address":{"city":"London","country":"UK"},"metadata":{"tier":"gold"}}}`
	sendDefault(t, UpsertCustomer, destkit.JSON(UpsertCustomer.DefaultMapping()), identify, "/segmentio/customer-processing",
		`{"source_id":"u-1","name":"Ada Lovelace","description":"Wrote the first program","email":"ada@example.com","phone":null,"address":{"city":"London","country":"UK"},"metadata":{"tier":"gold"},"type":"identify"}`)
}

func TestAddCustomEvent(t *testing.T) {
	track := `{"type":"track","event":"Referral Used","userId":"u-1","properties":{"referral":{"code":"REF-1"},"metadata":{"plan":"pro"}},"context":{"traits":{"email":"ada@example.com"}}}`
	sendDefault(t, AddCustomEvent, destkit.JSON(AddCustomEvent.DefaultMapping()), track, "/segmentio/event-processing",
		`{"customer":{"source_id":"u-1","email":"ada@example.com"},"referral":{"code":"REF-1"},"loyalty":{},"metadata":{"plan":"pro"},"event":"Referral Used","type":"track"}`)
	// The page preset names the event after the page.
	page := `{"type":"page","name":"Pricing","userId":"u-1","properties":{"email":"ada@example.com"}}`
	sendDefault(t, AddCustomEvent, Definition.Presets[1].Mapping, page, "/segmentio/event-processing",
		`{"customer":{"source_id":"u-1","email":"ada@example.com"},"referral":{},"loyalty":{},"event":"Viewed Pricing Page","type":"page"}`)
}

func TestAssignCustomerToGroup(t *testing.T) {
	group := `{"type":"group","userId":"u-1","groupId":"g-1","traits":{"name":"Acme"}}`
	sendDefault(t, AssignCustomerToGroup, destkit.JSON(AssignCustomerToGroup.DefaultMapping()), group, "/segmentio/group-processing",
		`{"customer":{"source_id":"u-1"},"group_id":"g-1","traits":{"name":"Acme"},"type":"group"}`)
}

// Only an https URL of a host takes the keys.
func TestCustomURL(t *testing.T) {
	p := desttest.Validate(t, Definition, "assignCustomerToGroup", `{"customer":{"source_id":"u"},"group_id":"g","type":"group"}`)
	for _, bad := range []string{"http://api.voucherify.io", "https://user@evil.example", "api.voucherify.io", "https://api.voucherify.io?x=1", "https://"} {
		s := settings()
		s["customURL"] = bad
		if _, err := desttest.Perform(AssignCustomerToGroup, desttest.Instance(t, Definition, s), p); destkit.Classify(err).Outcome != destkit.Fail {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings(), Definition.Actions,
		`{"source_id":"u","customer":{"source_id":"u"},"group_id":"g","type":"group"}`, desttest.Statuses(`{"code":400,"message":"invalid"}`))
	desttest.RefusesEmpty(t, Definition, settings(), Definition.Actions...)
}
