package googleanalytics4

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"measurementId": "G-TEST123", "firebaseAppId": "1:123:android:abc", "apiSecret": "s3cret"}

const orderCompleted = `{
  "type": "track", "event": "Order Completed", "userId": "user-1234", "anonymousId": "anon-5678",
  "timestamp": "2024-05-01T10:00:00.000Z",
  "properties": {"order_id": "o-9", "affiliation": "Shop", "revenue": 42.5, "total": 47.5, "currency": "eur",
    "shipping": 5, "tax": 2.5, "coupon": "SPRING",
    "products": [{"product_id": "p-1", "name": "Blue Shirt", "price": 21.25, "quantity": 2, "category": "Shirts"}]}
}`

func TestPurchaseDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 204})
	p := desttest.RenderDefault(t, Definition, "purchase", orderCompleted)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), Purchase, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/mp/collect" || r.RawQuery != "api_secret=s3cret&measurement_id=G-TEST123" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "Authorization", "")
	desttest.JSONEqual(t, r.Body, `{"client_id":"user-1234","timestamp_micros":1714557600000000,`+
		`"events":[{"name":"purchase","params":{"affiliation":"Shop","coupon":"SPRING","currency":"EUR",`+
		`"items":[{"item_id":"p-1","item_name":"Blue Shirt","item_category":"Shirts","price":21.25,"quantity":2}],`+
		`"transaction_id":"o-9","shipping":5,"tax":2.5,"value":47.5,"engagement_time_msec":1}}]}`)
}

func TestEveryActionSendsItsEventName(t *testing.T) {
	want := map[*destkit.Action]string{
		Purchase: "purchase", AddToCart: "add_to_cart", PageView: "page_view", CustomEvent: "Level_Up",
		SelectItem: "select_item", BeginCheckout: "begin_checkout", SelectPromotion: "select_promotion",
		ViewItem: "view_item", RemoveFromCart: "remove_from_cart", ViewCart: "view_cart", Search: "search",
		ViewItemList: "view_item_list", SignUp: "sign_up", ViewPromotion: "view_promotion",
		AddPaymentInfo: "add_payment_info", Refund: "refund", Login: "login", GenerateLead: "generate_lead",
		AddToWishlist: "add_to_wishlist",
	}
	inst := desttest.Instance(t, Definition, settings)
	for a, name := range want {
		p, err := a.Validate([]byte(`{"client_id":"c-1","clientId":"c-1","name":"Level Up","currency":"USD","value":1,` +
			`"transaction_id":"t","items":[{"item_id":"i"}],"search_term":"x","page_location":"https://x.example/"}`))
		if err != nil {
			t.Fatalf("%s: %v", a.Key, err)
		}
		reqs, err := a.Perform(&destkit.Input{Payload: fastjson.MustParseBytes(p), Settings: inst.Settings})
		if err != nil {
			t.Fatalf("%s: %v", a.Key, err)
		}
		v := fastjson.MustParseBytes(reqs[0].Body)
		if got := string(v.GetStringBytes("events", "0", "name")); got != name {
			t.Errorf("%s: name %q, want %q", a.Key, got, name)
		}
		if got := string(v.GetStringBytes("client_id")); got != "c-1" {
			t.Errorf("%s: client_id %q", a.Key, got)
		}
	}
}

func TestAppStreamAndUserProperties(t *testing.T) {
	p := desttest.Validate(t, Definition, "customEvent", `{"data_stream_type":"Mobile App","app_instance_id":"inst-1",`+
		`"name":"Level Up","lowercase":true,"user_properties":{"plan":"pro"},"params":{"level":3},`+
		`"ad_user_data_consent":"GRANTED","ad_personalization_consent":"DENIED"}`)
	reqs, err := CustomEvent.Perform(&destkit.Input{Payload: fastjson.MustParseBytes(p), Settings: desttest.Instance(t, Definition, settings).Settings})
	if err != nil {
		t.Fatal(err)
	}
	if reqs[0].URL != "https://www.google-analytics.com/mp/collect?api_secret=s3cret&firebase_app_id=1%3A123%3Aandroid%3Aabc" {
		t.Fatal(reqs[0].URL)
	}
	desttest.JSONEqual(t, reqs[0].Body, `{"app_instance_id":"inst-1","events":[{"name":"level_up","params":{"level":3}}],`+
		`"user_properties":{"plan":{"value":"pro"}},"consent":{"ad_user_data":"GRANTED","ad_personalization":"DENIED"}}`)
}

func TestValidation(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	for _, tc := range []struct {
		a       *destkit.Action
		payload string
		field   string
	}{
		{GenerateLead, `{"client_id":"c","value":10}`, "currency"},
		{Login, `{"method":"Google"}`, "client_id"},
		{SignUp, `{"data_stream_type":"Mobile App"}`, "app_instance_id"},
	} {
		p, err := tc.a.Validate([]byte(tc.payload))
		if err == nil {
			err = destkit.NewClient().Send(context.Background(), inst, tc.a, p)
		}
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: got %v", tc.payload, err)
		}
	}
}

func TestErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 403: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		p := desttest.Validate(t, Definition, "pageView", `{"clientId":"c-1","page_location":"https://x.example/"}`)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), PageView, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%d: %v", status, got)
		}
	}
}
