package snapconversionsapi

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{
	"pixel_id": "px-123", "snap_app_id": "snap-app-9", "app_id": "123456789",
	"oauth": map[string]any{"access_token": "acc-tok", "refresh_token": "ref-tok", "clientId": "cid", "clientSecret": "csecret"},
}

// Digests of the normalised values, from sha256sum.
const (
	hEmail   = "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72" // ada@example.com
	hPhone   = "7d96bf8dcc518f4f54fc72fbb470bd9c90086da3e8e44f8b8f03300fa2836b34" // 330612345678
	hPhone2  = "e07e247c5698bc9784a04cabcc3fe30284ac9f95fa5e1fb67515e131acb83215" // 33612
	hCountry = "67ad8f41a7bb0a18c45f3efd8f6a32bdcd832bcf8f3f2eb44006c03d53076e18" // fr
	hCity    = "f56206ec0f42e0474400bc38e96d4d0afb5a41fd462de98ef4ba4475445b02c8" // lyon
	hDOB     = "1218be09d200795c825ee23e4cfc39c5d786e4dc453ad4a55e833430448d615d" // 19901210
	hUser    = "c61a1c5012d6c65245f90fa22c6b97542be011998474fc9887ee6299ab93e3e1" // user-1234
	hFemale  = "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111" // f
	hState   = "1b06e2003f8420d6fa42badd8f77ec0f706b976b7a48b13c567dc5a559681683" // ny
	hZip     = "7309c92d0afb2f3de0768c77cc16ec01ad9bbd5ddcc22a113b97accd213f564e" // 69001
)

const orderCompleted = `{"type":"track","event":"Order Completed","userId":"user-1234","anonymousId":"anon-1","messageId":"m-1",` +
	`"timestamp":"2024-05-01T10:00:00.000Z","properties":{"email":" Ada@Example.com ","phone":"+33 (0)6 12 34 56 78","currency":"eur",` +
	`"revenue":42.5,"order_id":"o-9","quantity":2,"products":[{"product_id":"p-1","category":"Books","brand":"Acme"},{"category":"No ID"},` +
	`{"product_id":"p-2"}]},"context":{"ip":"203.0.113.9","userAgent":"Mozilla/5.0","page":{"url":"https://shop.example/thanks"},` +
	`"traits":{"firstName":"Ada","lastName":"Lovelace","address":{"city":"Lyon","state":"New York","postalCode":"69 001","country":"France"},` +
	`"gender":"Female","birthday":"19901210"}}}`

func preset(t *testing.T, name string) destkit.JSON {
	for _, p := range Definition.Presets {
		if p.Name == name {
			return p.Mapping
		}
	}
	t.Fatalf("no preset %q", name)
	return ""
}

func send(t *testing.T, mapping destkit.JSON, event string) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"VALID"}`})
	p := desttest.Render(t, Definition, "reportConversionEvent", mapping, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), ReportConversionEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "Authorization", "Bearer acc-tok")
	desttest.Header(t, r, "Content-Type", "application/json")
	if r.Method != "POST" || r.RawQuery != "access_token=acc-tok" {
		t.Fatalf("got %s ?%s", r.Method, r.RawQuery)
	}
	return r
}

// The bodies are what Segment's implementation sends for the same
// settings, mapping and event.
func TestPurchasePreset(t *testing.T) {
	r := send(t, preset(t, "Purchase"), orderCompleted)
	if r.Path != "/v3/px-123/events" {
		t.Fatal(r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"data":[{"integration":"segment","event_id":"m-1","event_name":"PURCHASE",`+
		`"event_source_url":"https://shop.example/thanks","event_time":1714557600000,"user_data":{"client_ip_address":"203.0.113.9",`+
		`"client_user_agent":"Mozilla/5.0","country":"`+hCountry+`","ct":"`+hCity+`","db":"`+hDOB+`","em":["`+hEmail+`"],`+
		`"external_id":["`+hUser+`"],"ge":"`+hFemale+`","ph":["`+hPhone+`"],"st":"`+hState+`","zp":"`+hZip+`"},`+
		`"custom_data":{"brands":["Acme",""],"content_category":["Books",""],"content_ids":["p-1","p-2"],"currency":"EUR","num_items":2,`+
		`"order_id":"o-9","value":42.5},"action_source":"website"}]}`)
}

func TestAppEvent(t *testing.T) {
	event := `{"type":"track","event":"Application Installed","userId":"user-1234","messageId":"m-2","timestamp":"1714557600","properties":{},` +
		`"context":{"ip":"203.0.113.9","userAgent":"Snap/1.0","device":{"id":"IDFV-1","advertisingId":"AAAA-BBBB","adTrackingEnabled":true,` +
		`"model":"iPhone15,2"},"app":{"namespace":"com.example.app","version":"2.1"},"os":{"version":"17.4"},"locale":"fr-FR",` +
		`"screen":{"width":390,"height":844,"density":3},"timezone":"Europe/Paris"}}`
	mapping := `{"event_name":"APP_INSTALL","action_source":"app","event_id":{"@path":"$.messageId"},"event_time":{"@path":"$.timestamp"},` +
		`"user_data":{"externalId":{"@path":"$.userId"},"client_ip_address":{"@path":"$.context.ip"},"client_user_agent":{"@path":"$.context.userAgent"},` +
		`"idfv":{"@path":"$.context.device.id"},"madid":{"@path":"$.context.device.advertisingId"},"phone":"0033 6 12"},` +
		`"app_data":{"application_tracking_enabled":{"@path":"$.context.device.adTrackingEnabled"},"packageName":{"@path":"$.context.app.namespace"},` +
		`"longVersion":{"@path":"$.context.app.version"},"osVersion":{"@path":"$.context.os.version"},"deviceName":{"@path":"$.context.device.model"},` +
		`"locale":{"@path":"$.context.locale"},"width":{"@path":"$.context.screen.width"},"height":{"@path":"$.context.screen.height"},` +
		`"density":{"@path":"$.context.screen.density"},"deviceTimezone":{"@path":"$.context.timezone"}},"products":[],` +
		`"data_processing_options":true,"data_processing_options_country":0,"data_processing_options_state":1000}`
	r := send(t, destkit.JSON(mapping), event)
	if r.Path != "/v3/snap-app-9/events" {
		t.Fatal(r.Path)
	}
	// A unix time that is not a date is sent as typed; leading zeros of the
	// phone number go before hashing.
	desttest.JSONEqual(t, r.Body, `{"data":[{"integration":"segment","event_id":"m-2","event_name":"APP_INSTALL","event_time":1714557600,`+
		`"user_data":{"client_ip_address":"203.0.113.9","client_user_agent":"Snap/1.0","external_id":["`+hUser+`"],"idfv":"IDFV-1",`+
		`"madid":"aaaa-bbbb","ph":["`+hPhone2+`"]},"custom_data":{"brands":[],"content_category":[],"content_ids":[],"num_items":0},`+
		`"action_source":"app","app_data":{"app_id":"123456789","advertiser_tracking_enabled":0,"application_tracking_enabled":1,`+
		`"extinfo":["i2","com.example.app","","2.1","17.4","iPhone15,2","fr-FR","","","390","844","3","","","","Europe/Paris"]},`+
		`"data_processing_options":["LDU"],"data_processing_options_country":0,"data_processing_options_state":1000}]}`)
}

// The deprecated description validates but, as in Segment, is sent nowhere.
func TestDeprecatedFields(t *testing.T) {
	p := desttest.Validate(t, Definition, "reportConversionEvent", `{"event_type":"SIGN_UP","event_conversion_type":"OFFLINE",`+
		`"timestamp":"2024-05-01T10:00:00Z","email":"ADA@example.com","item_ids":"a; b;;c","item_category":"x,y","number_items":"3 items",`+
		`"transaction_id":" t-1 ","price":9,"currency":"usd","description":"free text","client_dedup_id":"d-1","page_url":"https://x.example/","uuid_c1":"c1","click_id":"ck"}`)
	reqs, err := desttest.Perform(ReportConversionEvent, desttest.Instance(t, Definition, settings), p)
	if err != nil {
		t.Fatal(err)
	}
	if reqs[0].URL != "https://tr.snapchat.com/v3/px-123/events" {
		t.Fatal(reqs[0].URL)
	}
	desttest.JSONEqual(t, reqs[0].Body, `{"data":[{"integration":"segment","event_id":"d-1","event_name":"SIGN_UP",`+
		`"event_source_url":"https://x.example/","event_time":1714557600000,"user_data":{"em":["`+hEmail+`"],"sc_click_id":"ck","sc_cookie1":"c1"},`+
		`"custom_data":{"content_category":["x","y"],"content_ids":["a","b","c"],"currency":"USD","num_items":3,"order_id":"t-1","value":9},`+
		`"action_source":"OFFLINE"}]}`)
}

func TestNormalisation(t *testing.T) {
	for _, tc := range []struct {
		norm     func(string) string
		in, want string
	}{
		{destkit.LowerNoSpace, " Ada@Example.COM ", "ada@example.com"},
		{phoneDigits, "+33 6 12", "33612"},
		{phoneDigits, "0033 (6) 12", "33612"},
		{phoneDigits, " 06 12", "0612"},
		{gender, " Male", "m"},
		{gender, "non-binary", "non-binary"},
		{state, "New York", "ny"},
		{state, "Bavaria", "bavaria"},
		{country, "United Kingdom", "gb"},
		{country, "Côte d'Ivoire", "côted'ivoire"},
		{country, "Cote d'Ivoire", "ci"},
	} {
		if got := tc.norm(tc.in); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
	for in, want := range map[string]int64{"2024-05-01T10:00:00Z": 1714557600000, "1714557600": 1714557600, " 42abc": 42} {
		if got, ok := eventTime(fastjson.MustParse(`"` + in + `"`)); !ok || got != want {
			t.Errorf("event time %q: %d %v", in, got, ok)
		}
	}
	if _, ok := eventTime(fastjson.MustParse(`"soon"`)); ok {
		t.Error("event time soon")
	}
}

// A token refreshed after a 401 is used in the header and the query.
func TestRefreshOn401(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 401, Body: `{"status":"FAILED"}`},
		desttest.Reply{Body: `{"access_token":"new-tok","expires_in":1800}`},
		desttest.Reply{Body: `{"status":"VALID"}`})
	p := desttest.Render(t, Definition, "reportConversionEvent", preset(t, "Purchase"), orderCompleted)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), ReportConversionEvent, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[1].Path != "/login/oauth2/access_token" {
		t.Fatalf("requests %+v", rs)
	}
	form, _ := url.ParseQuery(string(rs[1].Body))
	if form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != "ref-tok" || form.Get("client_id") != "cid" || form.Get("client_secret") != "csecret" {
		t.Fatalf("refresh form %v", form)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer new-tok")
	if rs[2].RawQuery != "access_token=new-tok" {
		t.Fatal(rs[2].RawQuery)
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "reportConversionEvent", Payload: `{"event_name":"PURCHASE","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.co"}}`, Field: "action_source"},
		{Action: "reportConversionEvent", Payload: `{"action_source":"website","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.co"}}`, Field: "event_name"},
		{Action: "reportConversionEvent", Payload: `{"action_source":"website","event_name":"PURCHASE","user_data":{"email":"a@b.co"}}`, Field: "event_time"},
		{Action: "reportConversionEvent", Payload: `{"action_source":"website","event_name":"PURCHASE","event_time":"soon","user_data":{"email":"a@b.co"}}`, Field: "event_time"},
		{Action: "reportConversionEvent", Payload: `{"action_source":"website","event_name":"PURCHASE","event_time":"2024-05-01T10:00:00Z","user_data":{"client_ip_address":"1.2.3.4"}}`, Field: "user_data"},
		{Action: "reportConversionEvent", Payload: `{"action_source":"website","event_name":"PURCHASE","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.co"},"custom_data":{"currency":"EURO"}}`, Field: "custom_data.currency"},
		{Action: "reportConversionEvent", Payload: `{"action_source":"website","event_name":"PURCHASE","event_time":"2024-05-01T10:00:00Z","user_data":{"phone":"n/a"}}`, Field: "user_data.phone"},
		{Action: "reportConversionEvent", Payload: `{"action_source":"website","event_name":"PURCHASE","event_time":"2024-05-01T10:00:00Z","user_data":{"leadID":"abc"}}`, Field: "user_data.leadID"},
	})
	// App events need the Snap App ID, web events the pixel ID.
	for _, tc := range []struct {
		settings map[string]any
		source   string
		field    string
	}{
		{map[string]any{"pixel_id": "px"}, "app", "snap_app_id"},
		{map[string]any{"snap_app_id": "s"}, "website", "pixel_id"},
		{map[string]any{"snap_app_id": "s"}, "physical_store", "pixel_id"},
	} {
		inst := desttest.Instance(t, Definition, tc.settings)
		p := desttest.Validate(t, Definition, "reportConversionEvent", `{"action_source":"`+tc.source+`","event_name":"X","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.co"}}`)
		v, _ := fastjson.ParseBytes(p)
		_, err := ReportConversionEvent.Perform(&destkit.Input{Payload: v, Settings: inst.Settings})
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: %v", tc.source, err)
		}
	}
	desttest.RefusesEmpty(t, Definition, settings, ReportConversionEvent)
}

func TestErrors(t *testing.T) {
	statuses := []desttest.Status{
		{Reply: desttest.Reply{Status: 400, Body: `{"status":"INVALID"}`}, Outcome: destkit.Fail},
		{Reply: desttest.Reply{Status: 403}, Outcome: destkit.Fail},
		{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, Outcome: destkit.Retry, RetryAfter: 7 * time.Second},
		{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
		{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
	}
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{ReportConversionEvent}, `{"action_source":"website","event_name":"X","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.co"}}`, statuses)
	// 401 twice: refreshed once, then the credentials need a person.
	srv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"t2"}`}, desttest.Reply{Status: 401})
	p := desttest.Validate(t, Definition, "reportConversionEvent", `{"action_source":"website","event_name":"X","event_time":"2024-05-01T10:00:00Z","user_data":{"email":"a@b.co"}}`)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), ReportConversionEvent, p)
	var ae *destkit.AuthError
	if !errors.As(err, &ae) || destkit.Classify(err).Outcome != destkit.Fail {
		t.Errorf("401 after refresh: %v", err)
	}
}
