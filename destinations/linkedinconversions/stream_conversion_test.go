package linkedinconversions

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// sha256("ada@example.com")
const adaHash = "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72"

func settings() map[string]any {
	return map[string]any{"oauth": map[string]any{
		"access_token": "at-1", "refresh_token": "rt-1", "clientId": "cid", "clientSecret": "csecret",
	}}
}

func fixedNow(t *testing.T) {
	old := now
	now = func() time.Time { return time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

// mapping is the default mapping plus what the hook saved.
var mapping = destkit.JSON(`{"conversionHappenedAt":{"@path":"$.timestamp"},` +
	`"conversionValue":{"currencyCode":{"@path":"$.properties.currency"},"amount":{"@path":"$.properties.revenue"}},` +
	`"eventId":{"@path":"$.messageId"},"email":{"@path":"$.traits.email"},"enable_batching":true,"batch_size":5000,` +
	`"onMappingSave":{"inputs":{"adAccountId":"urn:li:sponsoredAccount:51234560"},"outputs":{"id":"104012","name":"Purchases",` +
	`"conversionType":"PURCHASE","attribution_type":"LAST_TOUCH_BY_CAMPAIGN","post_click_attribution_window_size":30,"view_through_attribution_window_size":7}}}`)

const track = `{"type":"track","event":"Order Completed","userId":"u-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"properties":{"currency":"USD","revenue":42.5},"traits":{"email":"Ada@Example.com "}}`

func wantRequest(t *testing.T, r desttest.Recorded, token string) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/rest/conversionEvents" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer "+token)
	desttest.Header(t, r, "LinkedIn-Version", "202603")
	desttest.Header(t, r, "X-Restli-Protocol-Version", "2.0.0")
	desttest.Header(t, r, "Content-Type", "application/json")
}

func TestStreamConversionDefaultMapping(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: ``})
	p := desttest.Render(t, Definition, "streamConversion", mapping, track)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantRequest(t, r, "at-1")
	desttest.Header(t, r, "X-RestLi-Method", "")
	// The email is trimmed and lower-cased before hashing; the revenue
	// became a decimal string in validation.
	desttest.JSONEqual(t, r.Body, `{"conversion":"urn:lla:llaPartnerConversion:104012","conversionHappenedAt":1714557600000,`+
		`"conversionValue":{"currencyCode":"USD","amount":"42.5"},"eventId":"m-1",`+
		`"user":{"userIds":[{"idType":"SHA256_EMAIL","idValue":"`+adaHash+`"}]}}`)
}

func TestStreamConversionIdentifiers(t *testing.T) {
	fixedNow(t)
	for name, tc := range map[string]struct{ payload, body string }{
		"all ids, user info, first external id, epoch string": {
			`{"conversionHappenedAt":"1714557600123","email":"` + adaHash + `","linkedInUUID":"li-uuid","acxiomID":"ax-1","oracleID":"or-1",` +
				`"userInfo":{"firstName":"Ada","lastName":"Lovelace","title":"CTO"},"externalIds":["crm-1","crm-2"],"onMappingSave":{"outputs":{"id":"7"}}}`,
			`{"conversion":"urn:lla:llaPartnerConversion:7","conversionHappenedAt":1714557600123,"user":{"userIds":[` +
				`{"idType":"SHA256_EMAIL","idValue":"` + adaHash + `"},{"idType":"LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID","idValue":"li-uuid"},` +
				`{"idType":"AXCIOM_ID","idValue":"ax-1"},{"idType":"ORACLE_MOAT_ID","idValue":"or-1"}],` +
				`"userInfo":{"firstName":"Ada","lastName":"Lovelace","title":"CTO"},"externalIds":["crm-1"]}}`},
		// Segment saves the rule id LinkedIn returned, a number.
		"date with offset, numeric rule id": {
			`{"conversionHappenedAt":"2024-05-01T12:00:00+02:00","linkedInUUID":"x","onMappingSave":{"outputs":{"id":7}}}`,
			`{"conversion":"urn:lla:llaPartnerConversion:7","conversionHappenedAt":1714557600000,"user":{"userIds":[{"idType":"LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID","idValue":"x"}]}}`},
	} {
		srv := desttest.NewServer(t)
		p := desttest.Validate(t, Definition, "streamConversion", tc.payload)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		desttest.JSONEqual(t, srv.Only(t).Body, tc.body)
	}
}

func TestStreamConversionRejects(t *testing.T) {
	fixedNow(t)
	const rule = `,"onMappingSave":{"outputs":{"id":"7"}}`
	for name, tc := range map[string]struct{ payload, field string }{
		"no rule":           {`{"conversionHappenedAt":"2024-05-01T00:00:00Z","linkedInUUID":"x"}`, "onMappingSave"},
		"no identifier":     {`{"conversionHappenedAt":"2024-05-01T00:00:00Z","email":"   "` + rule + `}`, "email"},
		"too old":           {`{"conversionHappenedAt":"2024-01-01T00:00:00Z","linkedInUUID":"x"` + rule + `}`, "conversionHappenedAt"},
		"not a date":        {`{"conversionHappenedAt":"last tuesday","linkedInUUID":"x"` + rule + `}`, "conversionHappenedAt"},
		"beyond 2100 epoch": {`{"conversionHappenedAt":"99999999999999","linkedInUUID":"x"` + rule + `}`, "conversionHappenedAt"},
	} {
		srv := desttest.NewServer(t)
		p := desttest.Validate(t, Definition, "streamConversion", tc.payload)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, p)
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v, %d requests", name, err, len(srv.Requests()))
		}
	}
	// Validation names nested requirements.
	_, err := StreamConversion.Validate([]byte(`{"conversionHappenedAt":"1","userInfo":{"firstName":"Ada"}}`))
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "userInfo.lastName" {
		t.Errorf("userInfo: %v", err)
	}
}

func TestStreamConversionBatch(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t, desttest.Reply{Status: 200, Body: `{"elements":[{"status":201},{"status":201}]}`})
	ps := [][]byte{
		desttest.Render(t, Definition, "streamConversion", mapping, track),
		desttest.Validate(t, Definition, "streamConversion", `{"conversionHappenedAt":"2020-01-01T00:00:00Z","linkedInUUID":"old","onMappingSave":{"outputs":{"id":"104012"}}}`),
		desttest.Validate(t, Definition, "streamConversion", `{"conversionHappenedAt":"1714557600000","acxiomID":"ax-9","eventId":"m-3","onMappingSave":{"outputs":{"id":"104012"}}}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, ps)
	if errs[0] != nil || errs[2] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatal(errs)
	}
	r := srv.Only(t)
	wantRequest(t, r, "at-1")
	desttest.Header(t, r, "X-RestLi-Method", "BATCH_CREATE")
	desttest.JSONEqual(t, r.Body, `{"elements":[{"conversion":"urn:lla:llaPartnerConversion:104012","conversionHappenedAt":1714557600000,`+
		`"conversionValue":{"currencyCode":"USD","amount":"42.5"},"eventId":"m-1","user":{"userIds":[{"idType":"SHA256_EMAIL","idValue":"`+adaHash+`"}]}},`+
		`{"conversion":"urn:lla:llaPartnerConversion:104012","conversionHappenedAt":1714557600000,"eventId":"m-3","user":{"userIds":[{"idType":"AXCIOM_ID","idValue":"ax-9"}]}}]}`)
}

// A 401 refreshes the token at LinkedIn's token endpoint and sends again.
func TestStreamConversionRefreshesToken(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 401, Body: `{"status":401,"code":"EXPIRED_ACCESS_TOKEN","message":"expired"}`},
		desttest.Reply{Status: 200, Body: `{"access_token":"at-2","expires_in":5184000}`},
		desttest.Reply{Status: 201})
	p := desttest.Render(t, Definition, "streamConversion", mapping, track)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[1].Method != "POST" || rs[1].Path != "/oauth/v2/accessToken" {
		t.Fatalf("refresh went to %s %s", rs[1].Method, rs[1].Path)
	}
	form, _ := url.ParseQuery(string(rs[1].Body))
	if form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != "rt-1" || form.Get("client_id") != "cid" || form.Get("client_secret") != "csecret" {
		t.Fatalf("refresh form %v", form)
	}
	wantRequest(t, rs[2], "at-2")
	// A batch refreshes the same way.
	bsrv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"at-3"}`}, desttest.Reply{Status: 200})
	errs := bsrv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, [][]byte{p})
	if errs[0] != nil || len(bsrv.Requests()) != 3 {
		t.Fatalf("batch: %v, %d requests", errs, len(bsrv.Requests()))
	}
	wantRequest(t, bsrv.Requests()[2], "at-3")
}

func TestStreamConversionErrors(t *testing.T) {
	fixedNow(t)
	for _, tc := range []struct {
		replies []desttest.Reply
		want    destkit.Outcome
		after   time.Duration
	}{
		{[]desttest.Reply{{Status: 400, Body: `{"status":400,"message":"bad"}`}}, destkit.Fail, 0},
		// The refresh itself is refused: a person has to reconnect.
		{[]desttest.Reply{{Status: 401}, {Status: 400, Body: `{"error":"invalid_grant"}`}}, destkit.Fail, 0},
		{[]desttest.Reply{{Status: 429, Header: map[string]string{"Retry-After": "60"}}}, destkit.Retry, time.Minute},
		{[]desttest.Reply{{Status: 500}}, destkit.Retry, 0},
		{[]desttest.Reply{{Status: 503}}, destkit.Retry, 0},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		p := desttest.Render(t, Definition, "streamConversion", mapping, track)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, p)
		if v := destkit.Classify(err); v.Outcome != tc.want || v.RetryAfter != tc.after {
			t.Errorf("%d: got %v (%v)", tc.replies[0].Status, v, err)
		}
	}
}

func TestHashEmail(t *testing.T) {
	for in, want := range map[string]string{
		"ada@example.com": adaHash,
		"ADA@EXAMPLE.COM": adaHash,
		adaHash:           adaHash,
		// Upper-case hex is recognised as a hash and kept as it is.
		"B5FC85E55755F9E0D030A10AB4429B6B2944855F9A0D60077FE832BECBC41D72": "B5FC85E55755F9E0D030A10AB4429B6B2944855F9A0D60077FE832BECBC41D72",
	} {
		if got := hashEmail(in); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}
