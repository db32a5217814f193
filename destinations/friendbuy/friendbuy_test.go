package friendbuy

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const (
	mapiKey    = "5c2b6b4e-3c1d-4b7a-9a51-0d6f2f1e8c01"
	authReply  = `{"token":"fb-token","expires":"2026-03-02T11:00:00.000Z"}`
	authBodyOK = `{"key":"` + mapiKey + `","secret":"fb-secret"}`
)

var settings = map[string]any{"authKey": mapiKey, "authSecret": "fb-secret"}

// fresh forgets the kept tokens and sets the clock to before authReply's
// expiry.
func fresh(t *testing.T) {
	tokens.Lock()
	tokens.m = map[string]mapiToken{}
	tokens.Unlock()
	now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = time.Now })
}

// send renders the action's mapping over event and sends it to a server
// that authorizes first; it returns the requests after checking the
// authorization call and the event call's method, path and token.
func send(t *testing.T, a *destkit.Action, mapping destkit.JSON, event, path string) []desttest.Recorded {
	t.Helper()
	fresh(t)
	srv := desttest.NewServer(t, desttest.Reply{Body: authReply})
	p := desttest.Render(t, Definition, a.Key, mapping, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Method != "POST" || rs[0].Path != "/v1/authorization" {
		t.Fatalf("first %s %s", rs[0].Method, rs[0].Path)
	}
	desttest.Header(t, rs[0], "Content-Type", "application/json")
	desttest.JSONEqual(t, rs[0].Body, authBodyOK)
	if rs[1].Method != "POST" || rs[1].Path != path || rs[1].RawQuery != "" {
		t.Fatalf("got %s %s?%s", rs[1].Method, rs[1].Path, rs[1].RawQuery)
	}
	desttest.Header(t, rs[1], "Authorization", "fb-token")
	desttest.Header(t, rs[1], "Content-Type", "application/json")
	return rs
}

func TestTrackCustomer(t *testing.T) {
	ev := `{"type":"identify","userId":1042,"anonymousId":"anon-5c1e","traits":{"email":"jane.doe@example.com","firstName":"Jane",` +
		`"lastName":"Doe","name":"Jane Doe","age":"36","birthday":"1990-04-12","address":{"country":"US","postalCode":94105},` +
		`"loyaltyStatus":"in","friendbuyAttributes":{"favoriteColor":"green","vip":true,"firstName":"Janet","tags":["a"]}},` +
		`"context":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0","page":{"url":"https://shop.example.com/","title":"Shop"}}}`
	rs := send(t, TrackCustomer, destkit.JSON(TrackCustomer.DefaultMapping()), ev, "/v1/customer")
	// Custom attributes come first and lose to the payload's own fields; the
	// unknown ones, the anonymous id and the name go, as strings, to
	// additionalProperties; ids become strings, the age a number, the
	// birthday a date; the page is dropped.
	desttest.JSONEqual(t, rs[1].Body, `{"additionalProperties":{"favoriteColor":"green","vip":"true","tags":"[\"a\"]","anonymousId":"anon-5c1e","name":"Jane Doe"},
		"firstName":"Jane","customerId":"1042","email":"jane.doe@example.com","lastName":"Doe","age":36,"birthday":{"month":4,"day":12,"year":1990},
		"country":"US","zipCode":"94105","loyaltyStatus":"in","userAgent":"Mozilla/5.0","ipAddress":"203.0.113.7"}`)
}

func TestTrackPurchase(t *testing.T) {
	ev := `{"type":"track","event":"Order Completed","userId":"user-1042","anonymousId":"anon-5c1e","properties":{"order_id":1001,` +
		`"total":"197.97","currency":"USD","coupon":"SPRING","email":"jane.doe@example.com","age":36,"birthday":"1990-04-12",` +
		`"products":[{"sku":100,"name":"Trail Shoe","price":89.99,"quantity":2,"description":"A light trail shoe","category":"Shoes",` +
		`"brand":"Northpeak","image_url":"https://cdn.example.com/ts.jpg"},{"price":12.5}]}}`
	rs := send(t, TrackPurchase, destkit.JSON(TrackPurchase.DefaultMapping()), ev, "/v1/event/purchase")
	// A product missing its SKU, name or quantity is sent with Friendbuy's
	// placeholders; the purchase drops the age and birthday, a product the
	// members it does not declare (the brand).
	desttest.JSONEqual(t, rs[1].Body, `{"orderId":"1001","amount":197.97,"currency":"USD","couponCode":"SPRING",
		"products":[{"sku":"100","name":"Trail Shoe","quantity":2,"price":89.99,"description":"A light trail shoe","category":"Shoes","imageUrl":"https://cdn.example.com/ts.jpg"},
			{"sku":"unknown","name":"unknown","quantity":1,"price":12.5}],
		"customerId":"user-1042","additionalProperties":{"anonymousId":"anon-5c1e"},"email":"jane.doe@example.com"}`)
}

func TestTrackSignUp(t *testing.T) {
	ev := `{"type":"track","event":"Signed Up","userId":"user-1042","properties":{"email":"jane.doe@example.com","customerId":"c-9",` +
		`"birthday":"0000-04-12","referralCode":"ref-1","isNewCustomer":true}}`
	rs := send(t, TrackSignUp, destkit.JSON(TrackSignUp.DefaultMapping()), ev, "/v1/event/account-sign-up")
	// A year of 0000 is left out of the birthday.
	desttest.JSONEqual(t, rs[1].Body, `{"customerId":"c-9","email":"jane.doe@example.com","isNewCustomer":true,
		"birthday":{"month":4,"day":12},"referralCode":"ref-1"}`)
}

func TestTrackCustomEvent(t *testing.T) {
	ev := `{"type":"track","event":"Review Posted","userId":"user-1042","properties":{"email":"jane.doe@example.com","deduplicationId":"rev-1",` +
		`"stars":5,"eventType":"ignored","coupon":"X"}}`
	rs := send(t, TrackCustomEvent, destkit.JSON(TrackCustomEvent.DefaultMapping()), ev, "/v1/event/custom")
	// The event's properties are spread beneath the payload: the mapped
	// event type wins over theirs, and the customer id, not a field of
	// custom events, goes to additionalProperties.
	desttest.JSONEqual(t, rs[1].Body, `{"email":"jane.doe@example.com","deduplicationId":"rev-1","additionalProperties":{"stars":"5","customerId":"user-1042"},
		"eventType":"Review Posted","couponCode":"X"}`)
}

func TestTokenIsKeptUntilItExpires(t *testing.T) {
	fresh(t)
	srv := desttest.NewServer(t, desttest.Reply{Body: authReply}, desttest.Reply{}, desttest.Reply{}, desttest.Reply{Body: `{"token":"fb-token-2","expires":"2026-03-02T12:00:00Z"}`})
	inst := desttest.Instance(t, Definition, settings)
	p := desttest.Validate(t, Definition, "trackCustomer", `{"customerId":"c-1","email":"a@example.com"}`)
	for i := 0; i < 2; i++ {
		if err := srv.Client().Send(context.Background(), inst, TrackCustomer, p); err != nil {
			t.Fatal(err)
		}
	}
	// Ten seconds before it expires the token is renewed.
	now = func() time.Time { return time.Date(2026, 3, 2, 10, 59, 51, 0, time.UTC) }
	if err := srv.Client().Send(context.Background(), inst, TrackCustomer, p); err != nil {
		t.Fatal(err)
	}
	var paths, auths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Path)
		auths = append(auths, r.Header.Get("Authorization"))
	}
	want := []string{"/v1/authorization", "/v1/customer", "/v1/customer", "/v1/authorization", "/v1/customer"}
	if len(paths) != len(want) || paths[3] != want[3] || paths[4] != want[4] || auths[4] != "fb-token-2" || auths[2] != "fb-token" {
		t.Fatalf("paths %v, authorizations %v", paths, auths)
	}
}

func TestEnvironmentInSecret(t *testing.T) {
	fresh(t)
	srv := desttest.NewServer(t, desttest.Reply{Body: authReply})
	client := destkit.NewClient(destkit.OverrideHost("mapi.fbot-sandbox.me", srv.URL))
	inst := desttest.Instance(t, Definition, map[string]any{"authKey": mapiKey, "authSecret": "sandbox:fb-secret"})
	p := desttest.Validate(t, Definition, "trackCustomer", `{"customerId":"c-1","email":"a@example.com"}`)
	if err := client.Send(context.Background(), inst, TrackCustomer, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.JSONEqual(t, rs[0].Body, authBodyOK) // the secret without its environment

	bad := desttest.Instance(t, Definition, map[string]any{"authKey": mapiKey, "authSecret": "evil.com/x:fb-secret"})
	err := client.Send(context.Background(), bad, TrackCustomer, p)
	if pv, ok := err.(*destkit.PayloadValidationError); !ok || pv.Field != "authSecret" {
		t.Fatalf("got %v", err)
	}
}

func TestAuthorizationFailures(t *testing.T) {
	p := desttest.Validate(t, Definition, "trackCustomer", `{"customerId":"c-1","email":"a@example.com"}`)
	for _, tc := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
	}{
		{desttest.Reply{Status: 401, Body: `{"error":"Unauthorized"}`}, destkit.Fail},
		{desttest.Reply{Body: `{"expires":"2026-03-02T11:00:00Z"}`}, destkit.Fail},
		{desttest.Reply{Status: 503}, destkit.Retry},
	} {
		fresh(t)
		srv := desttest.NewServer(t, tc.reply)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackCustomer, p)
		if got := destkit.Classify(err).Outcome; got != tc.want || len(srv.Requests()) != 1 {
			t.Errorf("%d %s: %v (%v), %d requests", tc.reply.Status, tc.reply.Body, got, err, len(srv.Requests()))
		}
	}
	// Nothing Friendbuy takes: no call at all.
	fresh(t)
	srv := desttest.NewServer(t)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackCustomer, []byte(`{"pageUrl":"https://x.example.com/"}`))
	if destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("%v, %d requests", err, len(srv.Requests()))
	}
}

func TestErrorPaths(t *testing.T) {
	p := `{"customerId":"c-1","email":"a@example.com","orderId":"o-1","amount":1,"currency":"USD","eventType":"x","eventProperties":{"a":1}}`
	for _, a := range Definition.Actions {
		for _, st := range desttest.Statuses(`{"error":"Bad Request","message":"invalid email"}`) {
			fresh(t)
			srv := desttest.NewServer(t, desttest.Reply{Body: authReply}, st.Reply)
			err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, desttest.Validate(t, Definition, a.Key, p))
			if v := destkit.Classify(err); v.Outcome != st.Outcome || v.RetryAfter != st.RetryAfter {
				t.Errorf("%s %d: %+v (%v)", a.Key, st.Reply.Status, v, err)
			}
		}
	}
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "trackSignUp", Payload: `{"customerId":"c-1"}`, Field: "email"},
		{Action: "trackPurchase", Payload: `{"orderId":"o-1","amount":1}`, Field: "currency"},
	})
}
