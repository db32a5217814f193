package molocormp

import (
	"context"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"platformId": "ACME_SHOP", "apiKey": "key-1", "channel_type": "SITE"}
}

const ctx = `"context":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0","os":{"name":"iPadOS","version":"17.1"},"device":{"id":"dev-1","advertisingId":"ad-1","model":"iPad13,1"},` +
	`"page":{"path":"/p/shoe","referrer":"https://www.google.com/"}}`

func track(name, props string) string {
	return `{"type":"track","event":"` + name + `","userId":"u-1","anonymousId":"anon-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z","properties":` + props + `,` + ctx + `}`
}

func page(name string) string {
	return `{"type":"page","userId":"u-1","anonymousId":"anon-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z","properties":{"name":"` + name + `"},` + ctx + `}`
}

const product = `{"product_id":"sku-1","price":10.5,"currency":"EUR","quantity":2}`

// common is what every default mapping renders before its own fields.
const common = `"channel_type":"SITE","timestamp":"2024-05-01T10:00:00.000Z","id":"m-1","user_id":"u-1",` +
	`"device":{"os":"IOS","os_version":"17.1","advertising_id":"ad-1","unique_device_id":"dev-1","model":"iPad13,1","ua":"Mozilla/5.0","ip":"203.0.113.7"},"session_id":"anon-1"`

func TestDefaultMappings(t *testing.T) {
	item := `{"id":"sku-1","quantity":2,"price":{"amount":10.5,"currency":"EUR"}}`
	for _, tc := range []struct {
		action *destkit.Action
		event  string
		body   string
	}{
		{Home, page("Home"), `{"event_type":"HOME",` + common + `,"page_id":"/p/shoe"}`},
		{Search, track("Products Searched", `{"query":"shoes","products":[`+product+`]}`),
			`{"event_type":"SEARCH",` + common + `,"search_query":"shoes","referrer_page_id":"https://www.google.com/","items":[` + item + `],"page_id":"/p/shoe"}`},
		{AddToWishlist, track("Product Added to Wishlist", `{"product_id":"sku-1","price":10.5,"currency":"EUR","quantity":2,"revenue":21}`),
			`{"event_type":"ADD_TO_WISHLIST",` + common + `,"revenue":{"amount":21,"currency":"EUR"},"items":[` + item + `],"page_id":"/p/shoe"}`},
		{ItemPageView, track("Product Viewed", product), `{"event_type":"ITEM_PAGE_VIEW",` + common + `,"items":[` + item + `],"page_id":"/p/shoe"}`},
		{PageView, page("Pricing"), `{"event_type":"PAGE_VIEW",` + common + `,"referrer_page_id":"https://www.google.com/","page_id":"/p/shoe"}`},
		{Land, page("Land"), `{"event_type":"LAND",` + common + `,"referrer_page_id":"https://www.google.com/","page_id":"/p/shoe"}`},
		{Purchase, track("Order Completed", `{"revenue":21,"currency":"USD","products":[{"product_id":"sku-1","price":10.5,"quantity":2,"seller_id":"s-9"}]}`),
			`{"event_type":"PURCHASE",` + common + `,"revenue":{"amount":21,"currency":"USD"},"items":[{"id":"sku-1","quantity":2,"seller_id":"s-9","price":{"amount":10.5,"currency":"USD"}}],"page_id":"/p/shoe"}`},
		{AddToCart, track("Product Added", product), `{"event_type":"ADD_TO_CART",` + common + `,"items":[` + item + `],"page_id":"/p/shoe"}`},
	} {
		srv := desttest.NewServer(t)
		p := desttest.RenderDefault(t, Definition, tc.action.Key, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), tc.action, p); err != nil {
			t.Fatalf("%s: %v", tc.action.Key, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != "/cdp/SEGMENT" || r.RawQuery != "" {
			t.Fatalf("%s: %s %s?%s", tc.action.Key, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "x-api-key", "key-1")
		desttest.Header(t, r, "x-platform-id", "ACME_SHOP")
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

// The host is the platform's, underscores made hyphens; the name wins
// over the id; anything else in it is refused.
func TestEndpoint(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "home", page("Home"))
	for name, want := range map[string]string{"": "https://ACME-SHOP-evt.rmp-api.moloco.com/cdp/SEGMENT", "acme_eu": "https://acme-eu-evt.rmp-api.moloco.com/cdp/SEGMENT"} {
		s := settings()
		s["platformName"] = name
		reqs, err := desttest.Perform(Home, desttest.Instance(t, Definition, s), p)
		if err != nil || reqs[0].URL != want {
			t.Errorf("%q: %v %v", name, reqs, err)
		}
	}
	for _, bad := range []string{"evil.com/x", "a.b", "a@b", "a:1"} {
		s := settings()
		s["platformName"] = bad
		if _, err := desttest.Perform(Home, desttest.Instance(t, Definition, s), p); destkit.Classify(err).Outcome != destkit.Fail {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestItemsAndPageTokens(t *testing.T) {
	desttest.Refuses(t, Definition, settings(), []desttest.Invalid{
		{Action: "purchase", Payload: `{"timestamp":"2024-05-01T10:00:00Z","items":[{"id":"a","price":5}],"revenue":{"price":5,"currency":"USD"}}`, Field: "items[0].price"},
		{Action: "search", Payload: `{"timestamp":"2024-05-01T10:00:00Z","search_query":"x","items":[{"id":"a","currency":"USD"}]}`, Field: "items[0].price"},
		{Action: "home", Payload: `{"page_id":"/"}`, Field: "timestamp"},
	})
	// The default currency prices a; a zero price is not sent; tokens
	// stand in for the page id.
	p := desttest.Validate(t, Definition, "addToCart", `{"timestamp":"2024-05-01T10:00:00Z","default_currency":"KRW",`+
		`"items":[{"id":"a","price":1000},{"id":"c","price":0,"currency":"USD"}],"page_identifier_tokens":{"category":"shoes","page":2,"flag":true}}`)
	reqs, err := desttest.Perform(AddToCart, desttest.Instance(t, Definition, settings()), p)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, reqs[0].Body, `{"event_type":"ADD_TO_CART","channel_type":"SITE","timestamp":"2024-05-01T10:00:00Z",`+
		`"items":[{"id":"a","price":{"amount":1000,"currency":"KRW"}},{"id":"c"}],"page_id":"category:shoes;page:2;flag:true"}`)
	if _, err := desttest.Perform(AddToCart, desttest.Instance(t, Definition, settings()), desttest.Validate(t, Definition, "addToCart",
		`{"timestamp":"2024-05-01T10:00:00Z","default_currency":"KRW","items":[{"id":"b"}]}`)); err == nil || !strings.Contains(err.Error(), "both present") {
		t.Fatalf("an item without price but with the default currency: %v", err)
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings(), Definition.Actions,
		`{"timestamp":"2024-05-01T10:00:00Z","search_query":"x","referrer_page_id":"r","items":[{"id":"a"}],"revenue":{"price":1,"currency":"USD"}}`,
		desttest.Statuses(`{"error":"invalid event"}`))
	desttest.RefusesEmpty(t, Definition, settings(), Definition.Actions...)
}
