package insider

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"account_name": "acme", "ucd_key": "ucd-secret"}

const identify = `{"type":"identify","userId":"user-1042","anonymousId":"anon-5c1e","traits":{"email":"jane.doe@example.com",` +
	`"first_name":"Jane","last_name":"Doe","phone":"+14155550123","age":36,"gender":"female","birthday":"1990-04-12",` +
	`"address":{"city":"San Francisco","country":"US"}}}`

// track is a web track event with the context Segment's libraries send.
func track(name, properties string) string {
	return `{"type":"track","event":"` + name + `","userId":"user-1042","anonymousId":"anon-5c1e","properties":` + properties + `,` +
		`"context":{"ip":"203.0.113.7","locale":"en-US","timezone":"America/Los_Angeles","userAgent":"Mozilla/5.0",` +
		`"page":{"url":"https://shop.example.com/cart","referrer":"https://www.google.com/"},` +
		`"location":{"city":"San Francisco","country":"United States"},` +
		`"traits":{"email":"jane.doe@example.com","phone":"+14155550123","first_name":"Jane"}},` +
		`"timestamp":"2026-03-02T10:15:42.500Z"}`
}

// send renders the action's default mapping over event, sends it and
// returns the one request, after checking the call and its headers.
func send(t *testing.T, a *destkit.Action, event string) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, a.Key, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	checkCall(t, r)
	return r
}

func checkCall(t *testing.T, r desttest.Recorded) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/api/user/v1/upsert" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "X-PLATFORM-NAME", "segment")
	desttest.Header(t, r, "X-PARTNER-NAME", "acme")
	desttest.Header(t, r, "X-REQUEST-TOKEN", "ucd-secret")
}

func TestUpdateUserProfile(t *testing.T) {
	r := send(t, UpdateUserProfile, identify)
	desttest.JSONEqual(t, r.Body, `{"users":[{
		"identifiers":{"uuid":"user-1042","custom":{"segment_anonymous_id":"anon-5c1e"},"email":"jane.doe@example.com","phone_number":"+14155550123"},
		"attributes":{"age":36,"birthday":"1990-04-12","email":"jane.doe@example.com","name":"Jane","gender":"female","surname":"Doe",
			"phone_number":"+14155550123","city":"San Francisco","country":"US"},
		"not_append":true}],"platform":"segment"}`)
}

func TestUpdateUserProfileOptionsAndLanguage(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "updateUserProfile", `{"email_as_identifier":false,"phone_number_as_identifier":false,`+
		`"append_arrays":true,"uuid":"u-1","segment_anonymous_id":"a-1","custom_identifiers":{"crm_id":"c-9","segment_anonymous_id":"a-2"},`+
		`"email":"x@example.com","phone":"+1555","language":"pt-BR-x","gdprOptin":true,"smsOptin":false,"custom":{"plan":"pro"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, p); err != nil {
		t.Fatal(err)
	}
	// The flags off leave email and phone out of the identifiers; a mapped
	// custom identifier replaces the anonymous id in place; only the first
	// dash of the language becomes an underscore.
	desttest.JSONEqual(t, srv.Only(t).Body, `{"users":[{
		"identifiers":{"uuid":"u-1","custom":{"segment_anonymous_id":"a-2","crm_id":"c-9"}},
		"attributes":{"email":"x@example.com","phone_number":"+1555","gdpr_optin":true,"sms_optin":false,"language":"pt_BR-x","custom":{"plan":"pro"}},
		"not_append":false}],"platform":"segment"}`)
}

// attributes is what the default attributes mapping gives for track().
const wantAttributes = `"attributes":{"custom":{},"email":"jane.doe@example.com","phone":"+14155550123","name":"Jane","last_ip":"203.0.113.7",` +
	`"city":"San Francisco","country":"United States","timezone":"America/Los_Angeles","locale":"en_US"}`

const wantIdentifiers = `"identifiers":{"uuid":"user-1042","custom":{"segment_anonymous_id":"anon-5c1e"},"email":"jane.doe@example.com","phone_number":"+14155550123"}`

func TestTrackEvent(t *testing.T) {
	r := send(t, TrackEvent, track("Report Exported", `{"url":"https://app.example.com/r/1","name":"Weekly","category":"Finance","price":4,"quantity":2}`))
	desttest.JSONEqual(t, r.Body, `{"users":[{`+wantIdentifiers+`,`+wantAttributes+`,"not_append":true,"events":[
		{"event_name":"report_exported","timestamp":"2026-03-02T10:15:42.500Z","event_params":{"custom":{},
			"url":"https://app.example.com/r/1","taxonomy":["Finance"],"name":"Weekly","unit_sale_price":4,"unit_price":4,"quantity":2,
			"referrer":"https://www.google.com/","user_agent":"Mozilla/5.0"}}]}],"platform":"segment"}`)
}

func TestTrackEventNormalisesKeys(t *testing.T) {
	srv := desttest.NewServer(t)
	// Keys are lower-cased with spaces as underscores and read back under
	// that name: "Plan Type" finds plan_type, "Taxonomy" finds nothing and
	// is sent as [null], "Favourite Colour" finds nothing and is left out.
	// Unknown keys go under custom.
	p := desttest.Validate(t, Definition, "trackEvent", `{"event_name":"  Plan Upgraded ","timestamp":"2026-03-02T10:15:42.500Z",`+
		`"parameters":{"Plan Type":"x","plan_type":"gold","Taxonomy":"ignored","currency":"EUR"},`+
		`"attributes":{"Locale":"de-DE","locale":"de-AT","Favourite Colour":"blue"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"users":[{"identifiers":{"custom":{}},
		"attributes":{"custom":{},"locale":"de_AT"},"not_append":true,
		"events":[{"event_name":"plan_upgraded","timestamp":"2026-03-02T10:15:42.500Z",
			"event_params":{"custom":{"plan_type":"gold"},"taxonomy":[null],"currency":"EUR"}}]}],"platform":"segment"}`)
}

// The actions with a fixed Insider event name, and an event each matches.
var fixedEvents = []struct {
	action *destkit.Action
	name   string
	event  string
	params string
}{
	{ProductListViewedEvent, "listing_page_view", track("Product List Viewed", `{"category":"Shoes"}`),
		`"url":"https://shop.example.com/cart","taxonomy":["Shoes"],"referrer":"https://www.google.com/"`},
	{ProductViewedEvent, "product_detail_page_view", track("Product Viewed", `{"product_id":"sku-100","name":"Trail Shoe","price":89.99,"currency":"USD"}`),
		`"url":"https://shop.example.com/cart","currency":"USD","product_id":"sku-100","name":"Trail Shoe","unit_sale_price":89.99,"unit_price":89.99,"referrer":"https://www.google.com/"`},
	{ProductAddedEvent, "item_added_to_cart", track("Product Added", `{"product_id":"sku-100","quantity":2}`),
		`"url":"https://shop.example.com/cart","product_id":"sku-100","quantity":2,"referrer":"https://www.google.com/"`},
	{ProductRemovedEvent, "item_removed_from_cart", track("Product Removed", `{"product_id":"sku-100","image_url":"https://cdn.example.com/ts.jpg"}`),
		`"url":"https://shop.example.com/cart","product_id":"sku-100","product_image_url":"https://cdn.example.com/ts.jpg","referrer":"https://www.google.com/"`},
	{UserRegisteredEvent, "sign_up_confirmation", track("User Registered", `{"method":"email"}`), ``},
	{CartViewedEvent, "cart_page_view", track("Cart Viewed", `{"cart_id":"cart-77","currency":"USD"}`),
		`"currency":"USD","event_group_id":"cart-77"`},
	{CheckoutEvent, "checkout_page_view", track("Checkout Started", `{"checkout_id":"chk-9","order_id":"ord-1","currency":"USD"}`),
		`"currency":"USD","event_group_id":"chk-9"`},
	{OrderCompletedEvent, "confirmation_page_view", track("Order Completed", `{"order_id":"ord-1","currency":"USD"}`),
		`"currency":"USD","event_group_id":"ord-1"`},
}

func TestFixedNameEvents(t *testing.T) {
	for _, tc := range fixedEvents {
		t.Run(tc.action.Key, func(t *testing.T) {
			r := send(t, tc.action, tc.event)
			params := `"custom":{}`
			if tc.params != "" {
				params += "," + tc.params
			}
			desttest.JSONEqual(t, r.Body, `{"users":[{`+wantIdentifiers+`,`+wantAttributes+`,"not_append":true,"events":[
				{"event_name":"`+tc.name+`","timestamp":"2026-03-02T10:15:42.500Z","event_params":{`+params+`}}]}],"platform":"segment"}`)
		})
	}
}

func TestOrderCompletedOneEventPerProduct(t *testing.T) {
	r := send(t, OrderCompletedEvent, track("Order Completed", `{"order_id":"ord-1","currency":"USD","products":[`+
		`{"product_id":"sku-100","name":"Trail Shoe","category":"Shoes","price":89.99,"quantity":2,"variant":"Black"},`+
		`{"product_id":"sku-205","price":12.5,"quantity":1}]}`))
	// Each product's parameters, then the event's; the variant (a string
	// where Insider's variant_id is a number) fails nothing inside a product,
	// whose undeclared keys pass as they are.
	desttest.JSONEqual(t, r.Body, `{"users":[{`+wantIdentifiers+`,`+wantAttributes+`,"not_append":true,"events":[
		{"event_name":"confirmation_page_view","timestamp":"2026-03-02T10:15:42.500Z","event_params":{"custom":{},
			"product_id":"sku-100","taxonomy":["Shoes"],"name":"Trail Shoe","variant_id":"Black","unit_sale_price":89.99,"unit_price":89.99,"quantity":2,
			"currency":"USD","event_group_id":"ord-1"}},
		{"event_name":"confirmation_page_view","timestamp":"2026-03-02T10:15:42.500Z","event_params":{"custom":{},
			"product_id":"sku-205","unit_sale_price":12.5,"unit_price":12.5,"quantity":1,"currency":"USD","event_group_id":"ord-1"}}]}],"platform":"segment"}`)
}

func TestBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	good := desttest.RenderDefault(t, Definition, "userRegisteredEvent", track("User Registered", `{}`))
	noTime := []byte(`{"uuid":"u-2"}`) // a payload that skipped validation
	errs := srv.Client().SendBatch(context.Background(), inst, UserRegisteredEvent, [][]byte{good, noTime, good})
	if errs[0] != nil || errs[2] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatalf("errors %v", errs)
	}
	r := srv.Only(t)
	checkCall(t, r)
	user := `{` + wantIdentifiers + `,` + wantAttributes + `,"not_append":true,"events":[{"event_name":"sign_up_confirmation","timestamp":"2026-03-02T10:15:42.500Z","event_params":{"custom":{}}}]}`
	desttest.JSONEqual(t, r.Body, `{"users":[`+user+`,`+user+`],"platform":"segment"}`)

	srv = desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "updateUserProfile", identify)
	for i, err := range srv.Client().SendBatch(context.Background(), inst, UpdateUserProfile, [][]byte{p, p}) {
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d requests for one batch", n)
	}
}

func TestRefuses(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "trackEvent", Payload: `{"timestamp":"2026-03-02T10:15:42.500Z"}`, Field: "event_name"},
		{Action: "trackEvent", Payload: `{"event_name":"   ","timestamp":"2026-03-02T10:15:42.500Z"}`, Field: "event_name"},
		{Action: "cartViewedEvent", Payload: `{"uuid":"u-1"}`, Field: "timestamp"},
	})
	desttest.RefusesEmpty(t, Definition, settings, TrackEvent, ProductListViewedEvent, ProductViewedEvent, ProductAddedEvent,
		ProductRemovedEvent, UserRegisteredEvent, CartViewedEvent, CheckoutEvent, OrderCompletedEvent)
}

func TestErrorPaths(t *testing.T) {
	statuses := desttest.Statuses(`{"error":"invalid identifiers"}`)
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{UpdateUserProfile}, `{"uuid":"u-1"}`, statuses)
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions[1:], `{"event_name":"x","timestamp":"2026-03-02T10:15:42.500Z"}`, statuses)
	desttest.BatchErrorPaths(t, Definition, settings, []*destkit.Action{UpdateUserProfile}, `{"uuid":"u-1"}`, statuses)
}

func TestSettingsRequired(t *testing.T) {
	for _, s := range []map[string]any{{"account_name": "acme"}, {"ucd_key": "k"}} {
		if _, err := destkit.NewInstance("i", Definition, s); err == nil {
			t.Errorf("%v accepted", s)
		}
	}
}
