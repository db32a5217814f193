package facebookconversionsapi

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"pixelId": "123456", "accessToken": "EAAB-token"}

// Digests computed independently (sha256sum) from the normalised values.
const (
	hEmail   = "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72" // ada@example.com
	hPhone   = "8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661" // 33612345678
	hFemale  = "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111" // f
	hLast    = "fb1e7ec987523d2cb9e022cec1d6ae7c99dc46edfae4fe51254025fe4bea571f" // lovelace
	hFirst   = "fdee430d40bd57deeac186cd9790033d0f06f909a8806e7ce6e717ab7c7d5029" // ada
	hCity    = "f56206ec0f42e0474400bc38e96d4d0afb5a41fd462de98ef4ba4475445b02c8" // lyon
	hState   = "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126" // ca
	hZip     = "7309c92d0afb2f3de0768c77cc16ec01ad9bbd5ddcc22a113b97accd213f564e" // 69001
	hCountry = "67ad8f41a7bb0a18c45f3efd8f6a32bdcd832bcf8f3f2eb44006c03d53076e18" // fr
	hUser    = "c61a1c5012d6c65245f90fa22c6b97542be011998474fc9887ee6299ab93e3e1" // user-1234
	hDOB     = "1218be09d200795c825ee23e4cfc39c5d786e4dc453ad4a55e833430448d615d" // 19901210
)

func TestHashKnownVectors(t *testing.T) {
	if got := Hash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatal(got)
	}
	// A value that already is a digest is not hashed twice.
	if got := Hash(hEmail); got != hEmail {
		t.Fatal(got)
	}
}

func TestNormalisation(t *testing.T) {
	for _, tc := range []struct {
		norm     func(string) string
		in, want string
	}{
		{squash, "  Ada@Example.COM ", "ada@example.com"},
		{destkit.Digits, "+33 (6) 12-34-56-78", "33612345678"},
		{gender, " Female", "f"},
		{gender, "MALE", "m"},
		{gender, "x", "x"},
		{state, "California", "ca"},
		{state, "New York", "ny"},
		{state, "Île-de-France", "île-de-france"},
		{country, "United States", "us"},
		{country, "FR", "fr"},
		{squash, "Jean Pierre", "jeanpierre"},
	} {
		if got := tc.norm(tc.in); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

const orderCompleted = `{
  "type": "track", "event": "Order Completed", "userId": "user-1234", "messageId": "msg-1",
  "timestamp": "2024-05-01T10:00:00.000Z",
  "properties": {"revenue": 42.5, "currency": "eur", "fbp": "fb.1.1714557600.123",
    "products": [{"product_id": "p-1", "quantity": 2, "price": 21.25}]},
  "context": {
    "ip": "203.0.113.9", "userAgent": "Mozilla/5.0",
    "page": {"url": "https://shop.example/thanks"},
    "traits": {"email": " Ada@Example.com", "phone": "+33 6 12 34 56 78", "firstName": "Ada", "lastName": "Lovelace",
      "gender": "female", "birthday": "19901210",
      "address": {"city": "Lyon", "state": "California", "postalCode": "69 001", "country": "France"}}
  }
}`

const wantUserData = `"user_data":{"em":"` + hEmail + `","ph":"` + hPhone + `","db":"` + hDOB + `","ln":"` + hLast +
	`","fn":"` + hFirst + `","ct":"` + hCity + `","st":"` + hState + `","zp":"` + hZip +
	`","external_id":["` + hUser + `"],"client_ip_address":"203.0.113.9","client_user_agent":"Mozilla/5.0",` +
	`"fbp":"fb.1.1714557600.123"}`

func TestPurchaseDefaultMapping(t *testing.T) {
	for _, a := range []*destkit.Action{Purchase, Purchase2} {
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"events_received":1,"fbtrace_id":"x"}`})
		// Segment's default mapping does not map action_source; users pick it.
		p := desttest.Render(t, Definition, a.Key, withField(a, "action_source", `"website"`), orderCompleted)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
			t.Fatal(err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != "/v24.0/123456/events" || r.RawQuery != "" {
			t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", "Bearer EAAB-token")
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, `{"data":[{"event_name":"Purchase","event_time":"2024-05-01T10:00:00.000Z","action_source":"website",`+
			`"event_source_url":"https://shop.example/thanks","event_id":"msg-1",`+wantUserData+`,`+
			`"custom_data":{"currency":"EUR","value":42.5,"contents":[{"id":"p-1","quantity":2,"item_price":21.25}]}}]}`)
	}
}

// withField returns the action's default mapping with one field replaced.
func withField(a *destkit.Action, key, mapping string) destkit.JSON {
	var p fastjson.Parser
	v, _ := p.ParseBytes(a.DefaultMapping())
	v.Set(key, fastjson.MustParse(mapping))
	return destkit.JSON(v.MarshalTo(nil))
}

func TestEveryActionSendsItsEventName(t *testing.T) {
	names := map[string]string{
		"purchase": "Purchase", "initiateCheckout": "InitiateCheckout", "addToCart": "AddToCart",
		"viewContent": "ViewContent", "search": "Search", "pageView": "PageView", "custom": "Signed Up",
	}
	for _, a := range []*destkit.Action{Purchase, InitiateCheckout, AddToCart, ViewContent, Search, PageView, Custom,
		Purchase2, InitiateCheckout2, AddToCart2, ViewContent2, Search2, PageView2, Custom2} {
		base := strings.TrimSuffix(a.Key, "2")
		payload := `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.c"},` +
			`"currency":"USD","value":1,"event_name":"Signed Up","test_event_code":"TEST123"}`
		p := desttest.Validate(t, Definition, a.Key, payload)
		reqs, err := a.Perform(&destkit.Input{Payload: fastjson.MustParseBytes(p), Settings: desttest.Instance(t, Definition, settings).Settings})
		if err != nil {
			t.Fatalf("%s: %v", a.Key, err)
		}
		v := fastjson.MustParseBytes(reqs[0].Body)
		if got := string(v.GetStringBytes("data", "0", "event_name")); got != names[base] {
			t.Errorf("%s: event_name %q", a.Key, got)
		}
		if got := string(v.GetStringBytes("test_event_code")); got != "TEST123" {
			t.Errorf("%s: test_event_code %q", a.Key, got)
		}
		if reqs[0].URL != "https://graph.facebook.com/v24.0/123456/events" {
			t.Errorf("%s: URL %s", a.Key, reqs[0].URL)
		}
	}
}

func TestAppDataAndLimitedDataUse(t *testing.T) {
	p := desttest.Validate(t, Definition, "custom", `{"action_source":"app","event_name":"Level Up","event_time":"2024-05-01T10:00:00Z",`+
		`"user_data":{"madId":"ad-1"},"data_processing_options":true,"data_processing_options_state":1000,`+
		`"app_data_field":{"use_app_data":true,"advertiser_tracking_enabled":true,"version":"i2","packageName":"com.example","osVersion":"17.4"}}`)
	inst := desttest.Instance(t, Definition, map[string]any{"pixelId": "1", "accessToken": "t", "testEventCode": "FROMSETTINGS"})
	reqs, err := Custom.Perform(&destkit.Input{Payload: fastjson.MustParseBytes(p), Settings: inst.Settings})
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, reqs[0].Body, `{"data":[{"event_name":"Level Up","event_time":"2024-05-01T10:00:00Z","action_source":"app",`+
		`"user_data":{"madid":"ad-1"},"app_data":{"advertiser_tracking_enabled":1,"application_tracking_enabled":0,`+
		`"extinfo":["i2","com.example","","","17.4","","","","","","","","","","",""]},`+
		`"data_processing_options":["LDU"],"data_processing_options_country":0,"data_processing_options_state":1000}],`+
		`"test_event_code":"FROMSETTINGS"}`)
}

func TestValidationErrors(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	for _, tc := range []struct{ action, payload, field string }{
		{"purchase", `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.c"},"currency":"EURO","value":1}`, "currency"},
		{"pageView", `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{}}`, "user_data"},
		{"purchase", `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a"}}`, "currency"},
		// What the default contents mapping renders for a search without products.
		{"search", `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.c"},"contents":[{}]}`, "contents"},
		{"addToCart", `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.c"},"contents":[{"id":"p-1","delivery_category":"drone"}]}`, "contents"},
	} {
		a := Definition.Action(tc.action)
		p, err := a.Validate([]byte(tc.payload))
		if err == nil {
			err = destkit.NewClient().Send(context.Background(), inst, a, p)
		}
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: got %v", tc.payload, err)
		}
	}
}

func TestErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 401: destkit.Fail, 403: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry, 503: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"error":{"message":"x","code":100}}`})
		p := desttest.Validate(t, Definition, "pageView", `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.c"}}`)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), PageView, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%d: %v (%v)", status, got, err)
		}
	}
}

func BenchmarkPurchase(b *testing.B) {
	v := fastjson.MustParse(`{"action_source":"website","event_time":"2024-05-01T10:00:00Z","currency":"EUR","value":42.5,` +
		`"user_data":{"email":"ada@example.com","phone":"+33612345678","firstName":"Ada","lastName":"Lovelace","externalId":["user-1234"],` +
		`"client_ip_address":"203.0.113.9","client_user_agent":"Mozilla/5.0"},"content_ids":["p-1"],"event_id":"m-1"}`)
	inst, _ := destkit.NewInstance("b", Definition, settings)
	in := &destkit.Input{Payload: v, Settings: inst.Settings}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Purchase.Perform(in); err != nil {
			b.Fatal(err)
		}
	}
}
