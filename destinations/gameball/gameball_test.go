package gameball

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "gb-key", "secretKey": "gb-secret"}

func send(t *testing.T, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.RawQuery != "" {
		t.Fatalf("got %s ?%s", r.Method, r.RawQuery)
	}
	desttest.Header(t, r, "APIKey", "gb-key")
	desttest.Header(t, r, "x-gb-agent", "GB/Segment")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

// The expected bodies are what Segment's implementation sends for the same
// events.
func TestIdentifyPlayer(t *testing.T) {
	for _, c := range []struct{ name, event, want string }{
		{"display name wins", `{"type":"identify","userId":"U-1","anonymousId":"a-1","traits":{"email":"Ada@Example.com","first_name":"Ada","last_name":"Lovelace",` +
			`"displayName":"Ada  King Lovelace","birthday":"1815-12-10","address":{"country":"UK","city":"London"},"totalSpent":120.5,"tags":"vip","extra":{"tier":"gold"},"is_guest":false},` +
			`"context":{"locale":"en-GB","userAgent":"Mozilla/5.0","os":{"name":"iOS"},"device":{"name":"iPhone"},"campaign":{"name":"spring","source":"google","medium":"cpc"}}}`,
			`{"playerUniqueId":"U-1","email":"Ada@Example.com","playerCustomAttributes":{"tier":"gold"},"playerAttributes":{"playerUniqueId":"U-1","email":"Ada@Example.com",` +
				`"displayName":"Ada  King Lovelace","firstName":"Ada  King","lastName":"Lovelace","dateOfBirth":"1815-12-10","country":"UK","city":"London","preferredLanguage":"en",` +
				`"guest":false,"utms":[{"campaign":"spring","source":"google","medium":"cpc"}],"devices":[{"userAgent":"Mozilla/5.0","os":"iOS","device":"iPhone"}],` +
				`"totalSpent":120.5,"tags":"vip","playerCustomAttributes":{"tier":"gold"}}}`},
		{"display name from last name", `{"type":"identify","userId":"U-2","traits":{"last_name":"Lovelace","is_guest":true}}`,
			`{"playerUniqueId":"U-2","playerAttributes":{"playerUniqueId":"U-2","lastName":"Lovelace","guest":true,"firstName":"","displayName":"Lovelace"}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := send(t, IdentifyPlayer, desttest.RenderDefault(t, Definition, "identifyPlayer", c.event))
			if r.Path != "/api/v3.0/integrations/player" {
				t.Fatalf("path %s", r.Path)
			}
			if r.Header.Get("SecretKey") != "" {
				t.Fatal("players are not signed")
			}
			desttest.JSONEqual(t, r.Body, c.want)
		})
	}
}

func TestTrackEvent(t *testing.T) {
	ev := `{"type":"track","event":"  Level Up ","userId":"U-1","properties":{"level":3,"mobile":"+44 7700","email":"ADA@EXAMPLE.COM"}}`
	r := send(t, TrackEvent, desttest.RenderDefault(t, Definition, "trackEvent", ev))
	if r.Path != "/api/v3.0/integrations/event" {
		t.Fatalf("path %s", r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"events":{"Level Up":{"level":3,"email":"ADA@EXAMPLE.COM"}},"playerUniqueId":"u-1","mobile":"+44 7700","email":"ada@example.com"}`)
}

func TestTrackOrder(t *testing.T) {
	ev := `{"type":"track","event":"Order Completed","userId":"U-1","timestamp":"2026-03-02T10:15:00.000Z","properties":{"order_id":"o-1","total":100,"subtotal":90,"tax":10,` +
		`"coupon":"SPRING","merchantId":"m-1","merchantName":"Shop","branchId":"b-1","branchName":"Main",` +
		`"products":[{"product_id":"p-1","sku":"s-1","price":45,"taxes":5,"discount":0,"quantity":2,"tags":"x","collection":["c1","c2"],"category":"Shoes"}]}}`
	r := send(t, TrackOrder, desttest.RenderDefault(t, Definition, "trackOrder", ev))
	if r.Path != "/api/v3.0/integrations/order" {
		t.Fatalf("path %s", r.Path)
	}
	desttest.Header(t, r, "SecretKey", "gb-secret")
	desttest.JSONEqual(t, r.Body, `{"playerUniqueId":"U-1","orderId":"o-1","orderDate":"2026-03-02T10:15:00.000Z","totalPrice":100,"totalPaid":90,"totalTax":10,`+
		`"lineItems":[{"productId":"p-1","sku":"s-1","category":["Shoes"],"collection":["c1","c2"],"tags":["x"],"quantity":2,"price":45,"taxes":5,"discount":0}],"discountCodes":["SPRING"],`+
		`"merchantId":"m-1","merchantName":"Shop","branchId":"b-1","branchName":"Main","merchant":{"uniqueId":"m-1","name":"Shop","branch":{"uniqueId":"b-1","name":"Main"}}}`)
}

func TestJSLower(t *testing.T) {
	if got := jsLower("İSTANBUL"); got != "i\u0307stanbul" {
		t.Errorf("lower %q", got)
	}
}

func TestRejectsIncompletePayloads(t *testing.T) {
	for _, c := range []struct {
		a              *destkit.Action
		field, payload string
	}{
		{TrackEvent, "name", `{"playerUniqueId":"p"}`},
		{TrackEvent, "playerUniqueId", `{"name":"E","playerUniqueId":""}`},
		{IdentifyPlayer, "playerUniqueId", `{"email":"a@b.co"}`},
		{TrackOrder, "totalPaid", `{"playerUniqueId":"p","orderId":"o","orderDate":"2026-03-02T10:15:00Z","totalPrice":1}`},
		{TrackOrder, "lineItems[0].price", `{"playerUniqueId":"p","orderId":"o","orderDate":"2026-03-02T10:15:00Z","totalPrice":1,"totalPaid":1,"lineItems":[{"taxes":0,"discount":0}]}`},
	} {
		_, err := c.a.Validate([]byte(c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field {
			t.Errorf("%s %s: %v", c.a.Key, c.field, err)
		}
	}
}

// TestErrors: unlike Segment, which ignores Gameball's HTTP errors, errors
// are classified.
func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{TrackEvent},
		`{"name":"E","playerUniqueId":"p"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"code":1,"message":"invalid"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "20"}}, Outcome: destkit.Retry, RetryAfter: 20 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
