package googleenhancedconversions

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// Known digests (hex SHA-256 of the normalised value; web-safe base64 for
// the legacy endpoint).
const (
	janeEmailHex = "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d" // jane.doe@example.com
	janePhoneHex = "36a2cef4ff9bf7a1abd2a93359136b870393be4106e6c5d19b72ff564f9deca4" // +14155550123
	janeFirstHex = "4f23798d92708359b734a18172c9c864f1d48044a754115a0d4b843bca3a5332" // Jane
	doeLastHex   = "fd53ef835b15485572a6e82cf470dcb41fd218ae5751ab7531c956a2a6bcd3c7" // Doe
	streetHex    = "d8d4f4295e91c5d840b00f1d7e8df8af7ea7f0ca7d922dc22feb796224aee17d" // 1 Market St
	gmailHex     = "7c00db8fe05c962d72f1bfe61f3ffb1552697b330f6622f932efb1ef09307b38" // janedoe.x@gmail.com

	janeEmailB64 = "huC55WwXzE0SOH4ZSbhQU_vnO8POWhGIcTqdMAzGEz0=" // jane.doe@example.com
	janePhoneB64 = "NqLO9P-b96Gr0qkzWRNrhwOTvkEG5sXRm3L_Vk-d7KQ=" // +14155550123
	janeFirstB64 = "gfj23eiDZfOSh5bseqU_coILBtuGZPX-dqfrE-JFRqI=" // jane
	doeLastB64   = "eZ75KhGvkY4_t0HfQpNPO1aO0tk6wd908bjUGieTKm8=" // doe
	streetB64    = "IcjpxLWSnM5KqojC3wirpKhpqDpr2BRdc8cUg7i9UvE=" // 1 market st
)

func settings() map[string]any {
	return map[string]any{
		"conversionTrackingId": "987654321", "customerId": "123-456-7890", "loginCustomerId": " 111-222-3333 ",
		"developerToken": "dev-token-1",
		"oauth":          map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "clientId": "cid", "clientSecret": "csecret"},
	}
}

const order = `{"type":"track","event":"Order Completed","userId":"u-1","messageId":"m-1","timestamp":"2026-03-02T10:15:42.500Z",` +
	`"properties":{"orderId":"ord-1","total":99.5,"currency":"USD","email":"Jane.Doe@Example.com","phone":"(415) 555-0123","gad_source":"1",` +
	`"firstName":"Jane","lastName":"Doe","address":{"street":"1 Market St","city":"San Francisco","state":"CA","postalCode":"94105","country":"US"},` +
	`"products":[{"product_id":"sku-1","quantity":2,"price":49.75}]},` +
	`"context":{"ip":"203.0.113.7","userAgent":"UA/1.0","page":{"url":"https://shop.example.com/?gad_source=1","referrer":"https://www.google.com/"},` +
	`"traits":{"email":"other@example.com","firstName":"Jane","lastName":"Doe","address":{"city":"San Francisco","state":"CA","postalCode":"94105","country":"US","street":"1 Market St"}}}}`

// render renders the action's default mapping with extra fields set over it.
func render(t *testing.T, action, extra, event string) []byte {
	t.Helper()
	m := map[string]json.RawMessage{}
	json.Unmarshal(Definition.Action(action).DefaultMapping(), &m)
	var e map[string]json.RawMessage
	if err := json.Unmarshal([]byte(extra), &e); err != nil {
		t.Fatal(err)
	}
	for k, v := range e {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return desttest.Render(t, Definition, action, destkit.JSON(b), event)
}

func send(t *testing.T, srv *desttest.Server, a *destkit.Action, p []byte, s map[string]any) error {
	t.Helper()
	return srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, p)
}

// wantAds checks a Google Ads API request's method, path and headers.
func wantAds(t *testing.T, r desttest.Recorded, path, token string) {
	t.Helper()
	if r.Method != "POST" || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want POST %s", r.Method, r.Path, r.RawQuery, path)
	}
	desttest.Header(t, r, "Authorization", "Bearer "+token)
	desttest.Header(t, r, "developer-token", "dev-token-1")
	desttest.Header(t, r, "login-customer-id", "1112223333")
	desttest.Header(t, r, "Content-Type", "application/json")
}

func TestPostConversionDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	p := render(t, "postConversion", `{"conversion_label":"lbl-1","phone_number":"+1 415 555 0123","value":{"@path":"$.properties.total"}}`, order)
	if err := send(t, srv, PostConversion, p, settings()); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/ads/event/api/v1" || r.RawQuery != "conversion_tracking_id=987654321" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.Header(t, r, "developer-token", "") // the legacy endpoint gets no developer token
	// Names keep letters only; city and region are sent lower-cased in
	// the clear; the time is in microseconds.
	desttest.JSONEqual(t, r.Body, `{"pii_data":{"hashed_email":"`+janeEmailB64+`","hashed_phone_number":["`+janePhoneB64+`"],`+
		`"address":[{"hashed_first_name":"`+janeFirstB64+`","hashed_last_name":"`+doeLastB64+`","hashed_street_address":"`+streetB64+`",`+
		`"city":"sanfrancisco","region":"ca","postcode":"94105","country":"US"}]},`+
		`"oid":"ord-1","user_agent":"UA/1.0","conversion_time":1772446542500000,"label":"lbl-1","value":99.5,"currency_code":"USD"}`)
}

func TestPostConversionLegacyHashing(t *testing.T) {
	for in, want := range map[string]string{
		"Jane.Doe@Example.com":  janeEmailB64,
		"Jane.Doe.X @Gmail.com": "ctq_79-HTFJxhgWAAltuiDYhjdqhFXxlsqdsnnUPR74=", // janedoex@gmail.com
	} {
		if got := hashLegacy(in, legacyEmail); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
	if got := legacyPhone("+1 (415) 555-0123 ext 99999"); got != "+14155550123999" {
		t.Errorf("phone cut to 15 characters: %s", got)
	}
	// A name without letters still hashes (the empty string), as in Segment.
	if hashLegacy("123", lettersOnly) == "" || hashLegacy("", lettersOnly) != "" {
		t.Error("empty handling")
	}
}

// Google answers an expired token with 400 INVALID_OAUTH_TOKEN: the token is
// renewed and the conversion sent again.
func TestPostConversionRefreshesOnInvalidOAuthToken(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 400, Body: `{"error_statuses":[{"error_code":"INVALID_OAUTH_TOKEN","error_message":"expired"}]}`},
		desttest.Reply{Status: 200, Body: `{"access_token":"at-2","expires_in":3599}`},
		desttest.Reply{Status: 200})
	p := render(t, "postConversion", `{"conversion_label":"lbl-1"}`, order)
	if err := send(t, srv, PostConversion, p, settings()); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[1].Path != "/oauth2/v4/token" {
		t.Fatalf("%d requests", len(rs))
	}
	form, _ := url.ParseQuery(string(rs[1].Body))
	if form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != "rt-1" || form.Get("client_id") != "cid" {
		t.Fatalf("refresh form %v", form)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer at-2")
	// Any other 400 fails the event.
	bad := desttest.NewServer(t, desttest.Reply{Status: 400, Body: `{"error_statuses":[{"error_code":"INVALID_CONVERSION"}]}`})
	if v := destkit.Classify(send(t, bad, PostConversion, p, settings())); v.Outcome != destkit.Fail || len(bad.Requests()) != 1 {
		t.Fatalf("400: %v", v)
	}
}

func TestPostConversionRefuses(t *testing.T) {
	s := settings()
	delete(s, "conversionTrackingId")
	p := render(t, "postConversion", `{"conversion_label":"lbl-1"}`, order)
	err := send(t, desttest.NewServer(t), PostConversion, p, s)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "conversionTrackingId" {
		t.Fatalf("no conversion id: %v", err)
	}
	desttest.ErrorPathsFor(t, Definition, settings(), PostConversion, p, desttest.Statuses(`{"error":"bad"}`))
}

const clickPath = "/v21/customers/1234567890:uploadClickConversions"

func TestUploadClickConversionDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	p := render(t, "uploadClickConversion", `{"conversion_action":555}`, order)
	if err := send(t, srv, UploadClickConversion, p, settings()); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantAds(t, r, clickPath, "at-1")
	// The email is trimmed and lower-cased, the phone gets +1; the session
	// attributes come from the page because no encoded string was given.
	desttest.JSONEqual(t, r.Body, `{"conversions":[{"conversionAction":"customers/1234567890/conversionActions/555",`+
		`"conversionDateTime":"2026-03-02 10:15:42+00:00","userIpAddress":"203.0.113.7",`+
		`"sessionAttributesKeyValuePairs":{"keyValuePairs":[{"sessionAttributeKey":"gad_source","sessionAttributeValue":"1"},`+
		`{"sessionAttributeKey":"landing_page_url","sessionAttributeValue":"https://shop.example.com/?gad_source=1"},`+
		`{"sessionAttributeKey":"landing_page_referrer","sessionAttributeValue":"https://www.google.com/"},`+
		`{"sessionAttributeKey":"landing_page_user_agent","sessionAttributeValue":"UA/1.0"}]},`+
		`"orderId":"ord-1","conversionValue":99.5,"currencyCode":"USD","cartData":{"items":[{"productId":"sku-1","quantity":2,"unitPrice":49.75}]},`+
		`"userIdentifiers":[{"hashedEmail":"`+janeEmailHex+`"},{"hashedPhoneNumber":"`+janePhoneHex+`"}]}],"partialFailure":true}`)
}

// Custom variables are looked up once per batch; Google's partial failure
// fails only the conversion it names.
func TestUploadClickConversionBatchCustomVariablesPartialFailure(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `[{"results":[{"conversionCustomVariable":{"resourceName":"customers/1234567890/conversionCustomVariables/77","name":"tier","id":"77"}}]}]`},
		desttest.Reply{Body: `{"partialFailureError":{"code":3,"message":"1 error","details":[{"errors":[{"message":"bad gclid",` +
			`"location":{"fieldPathElements":[{"fieldName":"conversions","index":1},{"fieldName":"gclid"}]}}]}]},"results":[{},{}]}`})
	extra := `{"conversion_action":555,"enable_batching":true,"gclid":"gc-1","session_attributes_encoded":"enc-1",` +
		`"custom_variables":{"tier":"gold","unknown":"x"},"ad_user_data_consent_state":"GRANTED","ad_personalization_consent_state":"DENIED",` +
		`"conversion_environment":"WEB","merchant_id":"m-9","local_cost":1.5}`
	p := render(t, "uploadClickConversion", extra, order)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), UploadClickConversion, [][]byte{p, p})
	if errs[0] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatalf("errors %v", errs)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantAds(t, rs[0], "/v21/customers/1234567890/googleAds:searchStream", "at-1")
	desttest.JSONEqual(t, rs[0].Body, `{"query":"SELECT conversion_custom_variable.id, conversion_custom_variable.name FROM conversion_custom_variable"}`)
	wantAds(t, rs[1], clickPath, "at-1")
	one := `{"conversionAction":"customers/1234567890/conversionActions/555","conversionDateTime":"2026-03-02 10:15:42+00:00","gclid":"gc-1",` +
		`"userIpAddress":"203.0.113.7","sessionAttributesEncoded":"enc-1","orderId":"ord-1","conversionValue":99.5,"currencyCode":"USD",` +
		`"conversionEnvironment":"WEB","cartData":{"merchantId":"m-9","localTransactionCost":1.5,"items":[{"productId":"sku-1","quantity":2,"unitPrice":49.75}]},` +
		`"userIdentifiers":[{"hashedEmail":"` + janeEmailHex + `"},{"hashedPhoneNumber":"` + janePhoneHex + `"}],` +
		`"consent":{"adUserData":"GRANTED","adPersonalization":"DENIED"},` +
		`"customVariables":[{"conversionCustomVariable":"customers/1234567890/conversionCustomVariables/77","value":"gold"}]}`
	desttest.JSONEqual(t, rs[1].Body, `{"conversions":[`+one+`,`+one+`],"partialFailure":true}`)
}

func TestUploadClickConversionErrors(t *testing.T) {
	p := render(t, "uploadClickConversion", `{"conversion_action":555}`, order)
	desttest.ErrorPathsFor(t, Definition, settings(), UploadClickConversion, p, desttest.Statuses(`{"error":{"code":400}}`))
	// A partial failure of a single conversion fails it.
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"partialFailureError":{"code":3,"message":"The gclid is invalid"}}`})
	err := send(t, srv, UploadClickConversion, p, settings())
	if v := destkit.Classify(err); v.Outcome != destkit.Fail || err.Error() != "The gclid is invalid" {
		t.Fatalf("partial failure: %v", err)
	}
	noCustomer := settings()
	delete(noCustomer, "customerId")
	for name, tc := range map[string]struct {
		settings map[string]any
		payload  string
		field    string
	}{
		"no customer id": {noCustomer, `{}`, "customerId"},
		"invalid email":  {settings(), `,"email_address":"not an email"`, "email_address"},
	} {
		srv := desttest.NewServer(t)
		q := desttest.Validate(t, Definition, "uploadClickConversion", `{"conversion_action":555,"conversion_timestamp":"2026-03-02T10:15:42Z"`+strings.TrimPrefix(tc.payload, "{}")+`}`)
		err := send(t, srv, UploadClickConversion, q, tc.settings)
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v, %d requests", name, err, len(srv.Requests()))
		}
	}
	// Without a developer token no Google Ads call is made.
	s := settings()
	delete(s, "developerToken")
	srv = desttest.NewServer(t)
	if err := send(t, srv, UploadClickConversion, p, s); destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("no developer token: %v", err)
	}
}

func TestUploadClickConversion2SyncMode(t *testing.T) {
	srv := desttest.NewServer(t)
	p := render(t, "uploadClickConversion2", `{"conversion_action":555,"__segment_internal_sync_mode":"add"}`, order)
	if err := send(t, srv, UploadClickConversion2, p, settings()); err != nil {
		t.Fatal(err)
	}
	wantAds(t, srv.Only(t), clickPath, "at-1")
	q := render(t, "uploadClickConversion2", `{"conversion_action":555,"__segment_internal_sync_mode":"upsert"}`, order)
	var pv *destkit.PayloadValidationError
	if err := send(t, srv, UploadClickConversion2, q, settings()); !errors.As(err, &pv) || pv.Field != destkit.SyncModeKey {
		t.Fatalf("upsert: %v", err)
	}
}

func TestUploadCallConversionDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	p := render(t, "uploadCallConversion", `{"conversion_action":556,"caller_id":"+14155550123","call_timestamp":"2026-03-02T10:00:00Z"}`, order)
	if err := send(t, srv, UploadCallConversion, p, settings()); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantAds(t, r, "/v21/customers/1234567890:uploadCallConversions", "at-1")
	desttest.JSONEqual(t, r.Body, `{"conversions":[{"conversionAction":"customers/1234567890/conversionActions/556","callerId":"+14155550123",`+
		`"callStartDateTime":"2026-03-02 10:00:00+00:00","conversionDateTime":"2026-03-02 10:15:42+00:00","conversionValue":99.5,"currencyCode":"USD"}],"partialFailure":true}`)
	desttest.ErrorPathsFor(t, Definition, settings(), UploadCallConversion, p, desttest.Statuses(`{"error":{"code":400}}`))
}

func TestUploadCallConversion2(t *testing.T) {
	srv := desttest.NewServer(t)
	p := render(t, "uploadCallConversion2", `{"conversion_action":556,"caller_id":"+14155550123","call_timestamp":"2026-03-02T10:00:00Z",`+
		`"__segment_internal_sync_mode":"add","enable_batching":true,"custom_variables":{"tier":"gold"}}`, order)
	srv = desttest.NewServer(t, desttest.Reply{Body: `[{"results":[{"conversionCustomVariable":{"resourceName":"customers/1234567890/conversionCustomVariables/77","name":"tier"}}]}]`})
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), UploadCallConversion2, [][]byte{p})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.JSONEqual(t, rs[1].Body, `{"conversions":[{"conversionAction":"customers/1234567890/conversionActions/556","callerId":"+14155550123",`+
		`"callStartDateTime":"2026-03-02 10:00:00+00:00","conversionDateTime":"2026-03-02 10:15:42+00:00","conversionValue":99.5,"currencyCode":"USD",`+
		`"customVariables":[{"conversionCustomVariable":"customers/1234567890/conversionCustomVariables/77","value":"gold"}]}],"partialFailure":true}`)
}

const adjustmentPath = "/v21/customers/1234567890:uploadConversionAdjustments"

func TestUploadConversionAdjustmentDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	p := render(t, "uploadConversionAdjustment", `{"conversion_action":557,"adjustment_type":"ENHANCEMENT","gclid":"gc-1",`+
		`"conversion_timestamp":"2026-03-01T09:00:00.123Z","restatement_value":120,"restatement_currency_code":"USD"}`, order)
	if err := send(t, srv, UploadConversionAdjustment, p, settings()); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantAds(t, r, adjustmentPath, "at-1")
	// The address defaults read properties.address.city, (with a comma, as
	// in Segment's defaults), so the context's address is used.
	desttest.JSONEqual(t, r.Body, `{"conversionAdjustments":[{"conversionAction":"customers/1234567890/conversionActions/557","adjustmentType":"ENHANCEMENT",`+
		`"adjustmentDateTime":"2026-03-02 10:15:42+00:00","orderId":"ord-1","gclidDateTimePair":{"gclid":"gc-1","conversionDateTime":"2026-03-01 09:00:00+00:00"},`+
		`"userIdentifiers":[{"hashedEmail":"`+janeEmailHex+`"},{"hashedPhoneNumber":"`+janePhoneHex+`"},`+
		`{"addressInfo":{"hashedFirstName":"`+janeFirstHex+`","hashedLastName":"`+doeLastHex+`","hashedStreetAddress":"`+streetHex+`",`+
		`"city":"San Francisco","state":"CA","countryCode":"US","postalCode":"94105"}}],"userAgent":"UA/1.0",`+
		`"restatementValue":{"adjustedValue":120,"currencyCode":"USD"}}],"partialFailure":true}`)
	desttest.ErrorPathsFor(t, Definition, settings(), UploadConversionAdjustment, p, desttest.Statuses(`{"error":{"code":400}}`))
}

// A retraction has no restated value; an adjustment without a time is dated now.
func TestUploadConversionAdjustment2Retraction(t *testing.T) {
	old := now
	now = func() time.Time { return time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "uploadConversionAdjustment2", `{"conversion_action":557,"adjustment_type":"RETRACTION","order_id":"ord-1",`+
		`"__segment_internal_sync_mode":"add"}`)
	if err := send(t, srv, UploadConversionAdjustment2, p, settings()); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"conversionAdjustments":[{"conversionAction":"customers/1234567890/conversionActions/557",`+
		`"adjustmentType":"RETRACTION","adjustmentDateTime":"2026-03-05 08:00:00+00:00","orderId":"ord-1","gclidDateTimePair":{},"userIdentifiers":[]}],"partialFailure":true}`)
}

func TestHashing(t *testing.T) {
	for in, want := range map[string]string{
		" Jane.Doe@Example.COM ": janeEmailHex,
		"Jane.Doe.X@gmail.com":   gmailHex, // only the first dot goes
		janeEmailHex:             janeEmailHex,
	} {
		if got, err := hashEmail("email", in); err != nil || got != want {
			t.Errorf("email %q: %s %v, want %s", in, got, err, want)
		}
	}
	for _, tc := range []struct{ phone, cc, want string }{
		{"(415) 555-0123", "", "+4155550123"}, // an empty country code adds nothing
		{"(415) 555-0123", "+1", "+14155550123"},
		{"+1 415 555 0123", "1", "+14155550123"}, // already starts with the code
		{"030 123456", "+49", "+49030123456"},
	} {
		if got := formatE164(tc.phone, tc.cc); got != tc.want {
			t.Errorf("phone %q %q: %s, want %s", tc.phone, tc.cc, got, tc.want)
		}
	}
	for in, want := range map[string]string{
		"2026-03-02T10:15:42.500Z":  "2026-03-02 10:15:42+00:00",
		"2026-03-02T10:15:42Z":      "2026-03-02 10:15:42+00:00",
		"2026-03-02T10:15:42+02:00": "2026-03-02 10:15:42+02:00",
		"2026-03-02 10:15:42":       "2026-03-02 10:15:42",
	} {
		if got := convertTimestamp(in); got != want {
			t.Errorf("time %q: %s, want %s", in, got, want)
		}
	}
}
