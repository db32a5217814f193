package optimizelydataplatform

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "odp-key"}

func preset(t *testing.T, name string) destkit.Preset {
	t.Helper()
	for _, p := range Definition.Presets {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no preset %q", name)
	return destkit.Preset{}
}

func send(t *testing.T, s map[string]any, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"ok"}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "Authorization", "Bearer odp-key")
	desttest.Header(t, r, "Content-Type", "application/json")
	if r.Method != "POST" || r.RawQuery != "" {
		t.Fatalf("got %s ?%s", r.Method, r.RawQuery)
	}
	return r
}

func wantPath(t *testing.T, r desttest.Recorded, path string) {
	t.Helper()
	if r.Path != path {
		t.Fatalf("path %s, want %s", r.Path, path)
	}
}

const ids = `{"anonymousId":"a-1","userId":"u-1","email":"ada@example.com","fs_user_id":"u-1","web_user_id":"u-1"}`

func TestCustomEventPresets(t *testing.T) {
	order := `{"type":"track","event":"Order Completed","userId":"u-1","anonymousId":"a-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"order_id":"o-9","total":59.5,"email":"ada@example.com","products":[{"product_id":"p-1","quantity":2},{"product_id":"p-2","quantity":1}]}}`
	r := send(t, settings, CustomEvent, desttest.Render(t, Definition, "customEvent", preset(t, "Order Completed").Mapping, order))
	wantPath(t, r, "/twilio_segment/batch_custom_event")
	// The total became a string in validation, as the field is a string.
	desttest.JSONEqual(t, r.Body, `[{"user_identifiers":`+ids+`,"action":"purchase","type":"order","timestamp":"2024-05-01T10:00:00.000Z",`+
		`"order_id":"o-9","total":"59.5","products":[{"product_id":"p-1","qty":2},{"product_id":"p-2","qty":1}]}]`)

	viewed := `{"type":"track","event":"Product Viewed","userId":"u-1","anonymousId":"a-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"product_id":"p-1","quantity":1,"email":"ada@example.com"}}`
	r = send(t, map[string]any{"apiKey": "odp-key", "region": "EU"}, CustomEvent, desttest.Render(t, Definition, "customEvent", preset(t, "Product Viewed").Mapping, viewed))
	wantPath(t, r, "/twilio_segment/batch_custom_event")
	desttest.JSONEqual(t, r.Body, `[{"user_identifiers":`+ids+`,"action":"detail","type":"product","timestamp":"2024-05-01T10:00:00.000Z",`+
		`"products":[{"product_id":"p-1","qty":1}]}]`)
	if got := endpoint(desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "region": "AU"}).Settings, "x"); got != "https://function.au1.ocp.optimizely.com/twilio_segment/x" {
		t.Fatal(got)
	}
}

func TestNonEcommCustomEventDefaultMapping(t *testing.T) {
	track := `{"type":"track","event":"Quiz Completed","userId":"u-1","anonymousId":"a-1","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"score":9,"email":"ada@example.com"}}`
	r := send(t, settings, NonEcommCustomEvent, desttest.RenderDefault(t, Definition, "nonEcommCustomEvent", track))
	wantPath(t, r, "/twilio_segment/batch_custom_event")
	desttest.JSONEqual(t, r.Body, `[{"user_identifiers":`+ids+`,"type":"Quiz Completed","timestamp":"2024-05-01T10:00:00.000Z","data":{"score":9,"email":"ada@example.com"}}]`)
}

func TestEmailEventPreset(t *testing.T) {
	opened := `{"type":"track","event":"Email Opened","userId":"u-1","messageId":"m-4","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"campaign_name":"Spring sale","campaign_id":"c-3"},"context":{"traits":{"email":"ada@example.com"}}}`
	r := send(t, settings, EmailEvent, desttest.Render(t, Definition, "emailEvent", preset(t, "Email Opened").Mapping, opened))
	wantPath(t, r, "/twilio_segment/batch_email_event")
	desttest.JSONEqual(t, r.Body, `[{"type":"email","action":"open","campaign":"Spring sale","campaign_id":"c-3",`+
		`"user_identifiers":{"userId":"u-1","email":"ada@example.com","fs_user_id":"u-1","web_user_id":"u-1"},"campaign_event_value":null,"timestamp":"2024-05-01T10:00:00.000Z"}]`)
}

func TestUpsertContactDefaultMapping(t *testing.T) {
	identify := `{"type":"identify","userId":"u-1","anonymousId":"a-1","messageId":"m-5","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"traits":{"email":"ada@example.com","first_name":"Ada","last_name":"Lovelace","title":"CTO","company":"Acme","birthday":"1990-04-01T23:30:00-05:00",` +
		`"age":34,"address":{"city":"London","postalCode":"W1","country":"GB"},"avatar":"https://example.com/ada.png"}}`
	r := send(t, settings, UpsertContact, desttest.RenderDefault(t, Definition, "upsertContact", identify))
	wantPath(t, r, "/twilio_segment/batch_upsert_contact")
	// The birthday is split in UTC: 23:30 at -05:00 is the next day.
	desttest.JSONEqual(t, r.Body, `[{"user_identifiers":`+ids+`,"title":"CTO","first_name":"Ada","last_name":"Lovelace","age":34,`+
		`"dob_year":1990,"dob_month":4,"dob_day":2,"address":{"city":"London","zip":"W1","country":"GB"},"company":"Acme","image_url":"https://example.com/ada.png"}]`)
}

func TestUpsertContactAdditionalTraits(t *testing.T) {
	// Traits come first; a named field replaces one in place; an unset
	// named field removes a trait of the same name.
	p := desttest.Validate(t, Definition, "upsertContact", `{"user_identifiers":{"userId":"u"},"additional_traits":{"loyalty":"gold","phone":"x","title":"old","dob_year":1},"title":"new"}`)
	r := send(t, settings, UpsertContact, p)
	desttest.JSONEqual(t, r.Body, `[{"loyalty":"gold","title":"new","dob_year":1,"user_identifiers":{"userId":"u"}}]`)
}

func TestBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	ps := [][]byte{
		desttest.Validate(t, Definition, "nonEcommCustomEvent", `{"user_identifiers":{"userId":"u-1"},"event_action":"a","timestamp":"2024-05-01T10:00:00Z"}`),
		desttest.Validate(t, Definition, "nonEcommCustomEvent", `{"user_identifiers":{"email":""},"timestamp":"2024-05-01T10:00:00Z"}`),
		desttest.Validate(t, Definition, "nonEcommCustomEvent", `{"user_identifiers":{"anonymousId":"a-2"},"event_type":"survey","timestamp":"2024-05-01T10:00:01Z","data":{"q":1}}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), NonEcommCustomEvent, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[2] != nil || !errors.As(errs[1], &pv) || pv.Field != "user_identifiers" {
		t.Fatal(errs)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `[{"user_identifiers":{"userId":"u-1"},"action":"a","type":"custom","timestamp":"2024-05-01T10:00:00Z"},`+
		`{"user_identifiers":{"anonymousId":"a-2"},"type":"survey","timestamp":"2024-05-01T10:00:01Z","data":{"q":1}}]`)
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct{ action, payload, field string }{
		"no identifiers":      {"upsertContact", `{"user_identifiers":{}}`, "user_identifiers"},
		"no action":           {"customEvent", `{"user_identifiers":{"userId":"u"},"timestamp":"2024-05-01T10:00:00Z"}`, "event_action"},
		"no timestamp":        {"nonEcommCustomEvent", `{"user_identifiers":{"userId":"u"}}`, "timestamp"},
		"email without email": {"emailEvent", `{"user_identifiers":{"userId":"u"},"event_action":"open","campaign":"c","timestamp":"t"}`, "user_identifiers.email"},
		"email no campaign":   {"emailEvent", `{"user_identifiers":{"email":"a@example.com"},"event_action":"open","timestamp":"t"}`, "campaign"},
	} {
		a := Definition.Action(tc.action)
		p, err := a.Validate([]byte(tc.payload))
		if err == nil {
			err = destkit.NewClient().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
		}
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	payload := `{"user_identifiers":{"userId":"u","email":"a@example.com"},"event_action":"open","campaign":"c","timestamp":"2024-05-01T10:00:00Z"}`
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		payload,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"error":"bad"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "3"}}, Outcome: destkit.Retry, RetryAfter: 3 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
		})
}
