package tiktokconversions

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"accessToken": "tt-tok", "pixelCode": "PX123"}

// Digests of the normalised values, from sha256sum.
const (
	hUser  = "c61a1c5012d6c65245f90fa22c6b97542be011998474fc9887ee6299ab93e3e1" // user-1234
	hPhone = "42d573cfc315801d4cd8eddd5416b416a0bf298b9b9e12d6b07442c91db42bd8" // +33612345678
	hEmail = "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72" // ada@example.com
	hFirst = "fdee430d40bd57deeac186cd9790033d0f06f909a8806e7ce6e717ab7c7d5029" // ada
	hLast  = "fb1e7ec987523d2cb9e022cec1d6ae7c99dc46edfae4fe51254025fe4bea571f" // lovelace
	hZip   = "c18d4cbad6a778b727bac4c7572a747cf105ad959e684f3d3c123d3e4071a5ca" // 42000
	hPlus  = "a318c24216defe206feeb73ef5be00033fa9c4a74d0b967f6532a26ca5906d3b" // +
)

const orderCompleted = `{"type":"track","event":"Order Completed","userId":"User-1234","anonymousId":"anon-1","messageId":"m-1",` +
	`"timestamp":"2024-05-01T10:00:00.500Z","properties":{"email":"Ada@Example.com","phone":"+33 6 12 34 56 78","currency":"EUR",` +
	`"value":42.5,"order_id":"o-9","query":"books","products":[{"product_id":"p-1","price":21.25,"quantity":2,"category":"Books",` +
	`"name":"Notes","brand":"Acme"}]},"context":{"ip":"203.0.113.9","userAgent":"Mozilla/5.0","locale":"fr-FR",` +
	`"page":{"url":"https://shop.example/thanks?ttclid=CLICK%201&x=2","referrer":"https://tiktok.com/"},` +
	`"traits":{"first_name":"Ada","last_name":" Love Lace","address":{"city":"Saint-Étienne","state":"ARA","country":"FR","postal_code":"42 000"}}}}`

func preset(t *testing.T, name string) destkit.JSON {
	for _, p := range Definition.Presets {
		if p.Name == name {
			return p.Mapping
		}
	}
	t.Fatalf("no preset %q", name)
	return ""
}

func send(t *testing.T, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"code":0,"message":"OK"}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), ReportWebEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/open_api/v1.3/event/track/" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Access-Token", "tt-tok")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

// The bodies are what Segment's implementation sends for the same
// settings, mapping and event.
func TestCompletePaymentPreset(t *testing.T) {
	r := send(t, desttest.Render(t, Definition, "reportWebEvent", preset(t, "Complete Payment"), orderCompleted))
	desttest.JSONEqual(t, r.Body, `{"event_source":"web","event_source_id":"PX123","partner_name":"Segment","data":[{`+
		`"event":"CompletePayment","event_time":1714557600,"event_id":"m-1","user":{"external_id":["`+hUser+`"],"phone":["`+hPhone+`"],`+
		`"email":["`+hEmail+`"],"first_name":"`+hFirst+`","last_name":"`+hLast+`","city":"sainttienne","state":"ara","country":"fr",`+
		`"zip_code":"`+hZip+`","ttclid":"CLICK 1","ip":"203.0.113.9","user_agent":"Mozilla/5.0","locale":"fr-FR"},`+
		`"properties":{"contents":[{"price":21.25,"quantity":2,"content_category":"Books","content_id":"p-1","content_name":"Notes","brand":"Acme"}],`+
		`"content_type":"product","currency":"EUR","value":42.5,"query":"books","order_id":"o-9"},`+
		`"page":{"url":"https://shop.example/thanks?ttclid=CLICK%201&x=2","referrer":"https://tiktok.com/"},"limited_data_use":false}]}`)
}

func TestVariants(t *testing.T) {
	for _, tc := range []struct{ name, payload, body string }{
		{"crm lead, travel fields ignored", `{"event_source":"crm","event":"Lead","timestamp":"2024-05-01T10:00:00Z","event_id":42,"email":["  "],` +
			`"phone_number":["no digits"],"lead_fields":{"lead_id":"L-1","lead_event_source":"HubSpot"},"event_spec_type":"travel_fields",` +
			`"travel_fields":{"city":"Paris"},"limited_data_use":true,"test_event_code":"TEST1","ttclid":"tc-1","url":"https://x.example/?a=1"}`,
			`{"event_source":"crm","event_source_id":"PX123","partner_name":"Segment","test_event_code":"TEST1","data":[{"event":"Lead",` +
				`"event_time":1714557600,"event_id":"42","user":{"external_id":[],"phone":["` + hPlus + `"],"email":[""],"first_name":"",` +
				`"last_name":"","city":"","state":"","country":"","zip_code":"","ttclid":"tc-1"},"properties":{"contents":[]},` +
				`"page":{"url":"https://x.example/?a=1"},"lead":{"lead_id":"L-1","lead_event_source":"HubSpot"},"limited_data_use":true}]}`},
		{"vehicle", `{"event":"ViewContent","timestamp":"2024-05-01T10:00:00Z","email":["ada@example.com"],"event_spec_type":"vehicle_fields",` +
			`"vehicle_fields":{"make":"Renault","year":2020,"mileage_unit":"KM","mileage_value":12000,"preferred_price_range_min":1000,` +
			`"preferred_price_range_max":2000},"contents":[{"content_id":"v-1"}],"content_ids":["v-1"],"num_items":1,"description":"Test drive"}`,
			`{"event_source":"web","event_source_id":"PX123","partner_name":"Segment","data":[{"event":"ViewContent","event_time":1714557600,` +
				`"user":{"external_id":[],"phone":[],"email":["` + hEmail + `"],"first_name":"","last_name":"","city":"","state":"","country":"",` +
				`"zip_code":""},"properties":{"contents":[{"content_id":"v-1"}],"description":"Test drive","content_ids":["v-1"],"num_items":1,"make":"Renault","year":2020,` +
				`"mileage":{"unit":"KM","value":12000},"preferred_price_range":[1000,2000]},"limited_data_use":false}]}`},
		{"travel", `{"event":"Search","timestamp":"2024-05-01T10:00:00Z","event_spec_type":"travel_fields","travel_fields":{"city":"Paris",` +
			`"num_adults":2,"suggested_hotels":["h1","h2"],"preferred_num_stops":0}}`,
			`{"event_source":"web","event_source_id":"PX123","partner_name":"Segment","data":[{"event":"Search","event_time":1714557600,` +
				`"user":{"external_id":[],"phone":[],"email":[],"first_name":"","last_name":"","city":"","state":"","country":"","zip_code":""},` +
				`"properties":{"contents":[],"city":"Paris","num_adults":2,"suggested_hotels":["h1","h2"],"preferred_num_stops":0},` +
				`"limited_data_use":false}]}`},
	} {
		r := send(t, desttest.Validate(t, Definition, "reportWebEvent", tc.payload))
		if string(r.Body) == "" {
			t.Fatal(tc.name)
		}
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestNoTimestampIsNow(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC) }
	reqs, err := desttest.Perform(ReportWebEvent, desttest.Instance(t, Definition, settings), desttest.Validate(t, Definition, "reportWebEvent", `{"event":"X"}`))
	if err != nil {
		t.Fatal(err)
	}
	v := fastjson.MustParseBytes(reqs[0].Body)
	if got := v.GetInt64("data", "0", "event_time"); got != 1714608000 {
		t.Fatal(got)
	}
}

func TestNormalisation(t *testing.T) {
	for _, tc := range []struct {
		norm     func(string) string
		in, want string
	}{
		{e164, "+33 6 12 34 56 78", "+33612345678"},
		{e164, "001 (234) 567-8901-2345", "+00123456789012"},
		{address, "Saint-Étienne ", "sainttienne"},
		{destkit.LowerNoSpace, " Love Lace", "lovelace"},
	} {
		if got := tc.norm(tc.in); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
	for raw, want := range map[string]string{"https://a.example/?ttclid=x+y": "x y", "https://a.example/?b=1&ttclid=": "", "https://a.example/?ttclid=%zz": "%zz"} {
		if got := urlParam(raw, "ttclid"); got == nil || *got != want {
			t.Errorf("%s: %v", raw, got)
		}
	}
	if urlParam("/relative?ttclid=x", "ttclid") != nil || urlParam("https://a.example/", "ttclid") != nil {
		t.Error("ttclid from a URL without one")
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "reportWebEvent", Payload: `{"timestamp":"2024-05-01T10:00:00Z"}`, Field: "event"},
		{Action: "reportWebEvent", Payload: `{"event":"X","timestamp":"1714557600"}`, Field: "timestamp"},
		{Action: "reportWebEvent", Payload: `{"event":"X","event_source":"crm"}`, Field: "lead_fields"},
		{Action: "reportWebEvent", Payload: `{"event":"X","event_source":"app"}`, Field: "event_source"},
		{Action: "reportWebEvent", Payload: `{"event":"X","contents":[{"price":"cheap"}]}`, Field: "contents[0].price"},
	})
	desttest.RefusesEmpty(t, Definition, settings, ReportWebEvent)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{ReportWebEvent}, `{"event":"X","timestamp":"2024-05-01T10:00:00Z"}`,
		desttest.Statuses(`{"code":40001}`))
}
