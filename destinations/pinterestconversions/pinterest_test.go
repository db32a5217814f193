package pinterestconversions

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"ad_account_id": "549755885175", "conversion_token": "pin-tok"}

// Digests of the normalised values, from sha256sum.
const (
	hEmail   = "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72" // ada@example.com
	hABC     = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // abc (sent as a digest)
	hPhone   = "8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661" // 33612345678
	hN       = "1b16b1df538ba12dc3f97edbb85caa7050d46c148134290feba80f8236c83db9" // n
	hDOB     = "1218be09d200795c825ee23e4cfc39c5d786e4dc453ad4a55e833430448d615d" // 19901210
	hLast    = "fb1e7ec987523d2cb9e022cec1d6ae7c99dc46edfae4fe51254025fe4bea571f" // lovelace
	hFirst   = "fdee430d40bd57deeac186cd9790033d0f06f909a8806e7ce6e717ab7c7d5029" // ada
	hCity    = "f56206ec0f42e0474400bc38e96d4d0afb5a41fd462de98ef4ba4475445b02c8" // lyon
	hState   = "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126" // ca
	hZip     = "7309c92d0afb2f3de0768c77cc16ec01ad9bbd5ddcc22a113b97accd213f564e" // 69001
	hCountry = "67ad8f41a7bb0a18c45f3efd8f6a32bdcd832bcf8f3f2eb44006c03d53076e18" // fr
	hUser    = "c61a1c5012d6c65245f90fa22c6b97542be011998474fc9887ee6299ab93e3e1" // user-1234
	hMaid    = "10413e1053ddd87840224411ac5e7130210e560cb1969174d7ef9742dd63740e" // aaaa-bbbb
)

const orderCompleted = `{"type":"track","event":"Order Completed","userId":"user-1234","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"properties":{"email":"Ada@Example.com","value":42.5,"currency":"EUR","order_id":"o-9","products":[{"product_id":"p-1","price":21.25,` +
	`"quantity":2,"brand":"Acme","category":"Books","name":"Notes"},{"product_id":"p-2"}]},"context":{"ip":"203.0.113.9","userAgent":"Mozilla/5.0",` +
	`"locale":"en-US","timezone":"Europe/Paris","page":{"url":"https://shop.example/thanks"}}}`

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
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"num_events_received":1,"num_events_processed":1}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), ReportConversionEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/v5/ad_accounts/549755885175/events" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer pin-tok")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

// The bodies in these tests are what Segment's current source (newer than
// the published 3.497.0, which lacks the latest fields) sends for the same
// settings, mapping and event.

// The Checkout preset (latest fields) on a web order: values and prices as
// text, app and device info from the context.
func TestCheckoutPreset(t *testing.T) {
	r := send(t, desttest.Render(t, Definition, "reportConversionEvent", preset(t, "Checkout"), orderCompleted))
	desttest.JSONEqual(t, r.Body, `{"data":[{"event_name":"checkout","action_source":"web","event_time":1714557600,"event_id":"m-1",`+
		`"event_source_url":"https://shop.example/thanks","partner_name":"ss-segment","opt_out":true,`+
		`"user_data":{"em":["`+hEmail+`"],"client_ip_address":"203.0.113.9","client_user_agent":"Mozilla/5.0"},`+
		`"custom_data":{"currency":"EUR","value":"42.5","contents":[{"id":"p-1","item_price":"21.25","quantity":2,"item_brand":"Acme",`+
		`"item_category":"Books","item_name":"Notes"},{"id":"p-2"}],"order_id":"o-9","np":"ss-segment"},`+
		`"app_info":{"user_agent":"Mozilla/5.0"},"device_info":{"locale":"en-US","timezone":"Europe/Paris"}}]}`)
}

// The legacy fields, with every hashed user field.
func TestLegacyFieldsAndHashing(t *testing.T) {
	p := desttest.Validate(t, Definition, "reportConversionEvent", `{"data_format":"legacy","event_name":"signup","action_source":"app_ios",`+
		`"event_time":"2024-05-01T10:00:00Z","event_id":"m-2","opt_out":false,"user_data":{"email":["Ada@Example.com","`+hABC+`"],`+
		`"phone":"+33 6 12 34 56 78","gender":"Non-Binary","date_of_birth":"1990 12 10","last_name":"Love Lace","first_name":"Ada",`+
		`"city":"Lyon","state":"CA","zip":"69 001","country":"FR","external_id":"User-1234","hashed_maids":"AAAA-BBBB","click_id":null},`+
		`"custom_data":{"currency":"EUR","value":10,"contents":[{"id":"p-1","quantity":1},{"id":"p-2","item_price":5.5}],"num_items":2},`+
		`"app_id":"com.example","app_name":"Example","wifi":true,"language":"fr","app_info":{"app_id":"ignored"}}`)
	r := send(t, p)
	desttest.JSONEqual(t, r.Body, `{"data":[{"event_name":"signup","action_source":"app_ios","event_time":1714557600,"event_id":"m-2",`+
		`"partner_name":"ss-segment","opt_out":false,"user_data":{"em":["`+hEmail+`","`+hABC+`"],"ph":["`+hPhone+`"],"ge":["`+hN+`"],`+
		`"db":["`+hDOB+`"],"ln":["`+hLast+`"],"fn":["`+hFirst+`"],"ct":["`+hCity+`"],"st":["`+hState+`"],"zp":["`+hZip+`"],`+
		`"country":["`+hCountry+`"],"external_id":["`+hUser+`"],"hashed_maids":["`+hMaid+`"],"click_id":null},`+
		`"custom_data":{"currency":"EUR","value":"10","contents":[{"id":"p-1","quantity":1},{"id":"p-2","item_price":"5.5"}],"num_items":2,"np":"ss-segment"},`+
		`"app_id":"com.example","app_name":"Example","wifi":true,"language":"fr"}]}`)
}

func TestAppInfoInstallTime(t *testing.T) {
	for in, want := range map[string]string{
		`1714557600`:             `1714557600`,
		`"1714557600"`:           `1714557600`,
		`"2024-05-01T10:00:00Z"`: `1714557600`,
	} {
		p := desttest.Validate(t, Definition, "reportConversionEvent", `{"data_format":"latest","event_name":"app_install","action_source":"app_ios",`+
			`"event_time":"2024-05-01T10:00:00Z","event_id":"e","user_data":{"hashed_maids":["x"]},"app_info":{"install_time":`+in+`,"app_name":"Ex"}}`)
		reqs, err := desttest.Perform(ReportConversionEvent, desttest.Instance(t, Definition, settings), p)
		if err != nil {
			t.Fatal(err)
		}
		v := fastjson.MustParseBytes(reqs[0].Body)
		got := string(destkit.AppendValue(nil, v.Get("data", "0", "app_info")))
		if exp := `{"install_time":` + want + `,"app_name":"Ex"}`; got != exp {
			t.Errorf("%s: %s", in, got)
		}
	}
}

func TestValidation(t *testing.T) {
	base := `"data_format":"latest","event_name":"checkout","action_source":"web","event_time":"2024-05-01T10:00:00Z","event_id":"e"`
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "reportConversionEvent", Payload: `{"data_format":"latest","action_source":"web","event_time":"2024-05-01T10:00:00Z","event_id":"e","user_data":{"email":["a@b.co"]}}`, Field: "event_name"},
		{Action: "reportConversionEvent", Payload: `{"data_format":"latest","event_name":"lead","action_source":"web","event_time":"2024-05-01T10:00:00Z","user_data":{"email":["a@b.co"]}}`, Field: "event_id"},
		{Action: "reportConversionEvent", Payload: `{` + base + `,"user_data":{"client_ip_address":"1.2.3.4"}}`, Field: "user_data"},
		{Action: "reportConversionEvent", Payload: `{` + base + `,"user_data":{"phone":["+1 555"]}}`, Field: "user_data"},
		{Action: "reportConversionEvent", Payload: `{"data_format":"latest","event_name":"checkout","action_source":"web","event_time":"soon","event_id":"e","user_data":{"email":["a@b.co"]}}`, Field: "event_time"},
		{Action: "reportConversionEvent", Payload: `{` + base + `,"user_data":{"email":["a@b.co"],"phone":["n/a"]}}`, Field: "user_data.phone"},
		{Action: "reportConversionEvent", Payload: `{` + base + `,"user_data":{"email":["a@b.co"]},"device_info":{"languages":["eng"]}}`, Field: "device_info.languages"},
		{Action: "reportConversionEvent", Payload: `{` + base + `,"event_name":"buy","user_data":{"email":["a@b.co"]}}`, Field: "event_name"},
		{Action: "reportConversionEvent", Payload: `{"data_format":"legacy","event_name":"checkout","action_source":"web","event_time":"2024-05-01T10:00:00Z","event_id":"e","user_data":{"email":["a@b.co"]}}`, Field: "app_name"},
		{Action: "reportConversionEvent", Payload: `{` + base + `,"user_data":{"email":["a@b.co"]},"contents":[{"item_brand_id":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]}`, Field: "contents[0].item_brand_id"},
	})
	desttest.RefusesEmpty(t, Definition, settings, ReportConversionEvent)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{ReportConversionEvent}, `{"data_format":"latest","event_name":"lead","action_source":"web",`+
		`"event_time":"2024-05-01T10:00:00Z","event_id":"e","user_data":{"email":["a@b.co"]}}`,
		append(desttest.Statuses(`{"code":1,"message":"bad"}`),
			desttest.Status{Reply: desttest.Reply{Status: 403}, Outcome: destkit.Fail}))
}
