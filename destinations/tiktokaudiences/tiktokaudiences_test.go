package tiktokaudiences

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

// Known digests: SHA-256 of the normalised values.
const (
	janeHash  = "c4d25e9c90ff23e9145397bc6fbd5385ca5fbe78211222ccbecd0b369ebb19a6" // janedoe@example.com
	phoneHash = "36a2cef4ff9bf7a1abd2a93359136b870393be4106e6c5d19b72ff564f9deca4" // +14155550123
	adHash    = "3998b555839ef100de5695406c2325fa2779d58a39a28f7caf83c14bbf117f34" // ad-1
)

func settings(advertisers string) map[string]any {
	return map[string]any{"advertiser_ids": advertisers, "oauth": map[string]any{"access_token": "tt-token", "refresh_token": "rt"}}
}

func audienceEvent(event string) string {
	return `{"type":"track","event":"` + event + `","userId":"u-1","properties":{"audience_key":"vip"},` +
		`"context":{"traits":{"email":"Jane.Doe+ads@Example.com","phone":"+14155550123"},"device":{"advertisingId":"ad-1"},` +
		`"personas":{"computation_key":"vip","external_audience_id":"aud-9"}}}`
}

func send(t *testing.T, srv *desttest.Server, a *destkit.Action, p []byte, s map[string]any) error {
	t.Helper()
	return srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, p)
}

func wantMapping(t *testing.T, r desttest.Recorded, body string) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/open_api/v1.3/segment/mapping/" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Access-Token", "tt-token")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

func user(audience string) string {
	return `[{"id":"` + janeHash + `","audience_ids":["` + audience + `"]},{"id":"` + phoneHash + `","audience_ids":["` + audience + `"]},` +
		`{"id":"` + adHash + `","audience_ids":["` + audience + `"]}]`
}

const schema = `["EMAIL_SHA256","PHONE_SHA256","IDFA_SHA256"]`

func TestAddToAudienceDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"code":0,"message":"OK"}`})
	p := desttest.RenderDefault(t, Definition, "addToAudience", audienceEvent("Audience Entered"))
	if err := send(t, srv, AddToAudience, p, settings("7001")); err != nil {
		t.Fatal(err)
	}
	wantMapping(t, srv.Only(t), `{"advertiser_ids":["7001"],"action":"add","id_schema":`+schema+`,"batch_data":[`+user("aud-9")+`]}`)
	// The advertiser is the setting's only one.
	var pv *destkit.PayloadValidationError
	if err := send(t, desttest.NewServer(t), AddToAudience, p, settings("7001, 7002")); !errors.As(err, &pv) || pv.Field != "advertiser_ids" {
		t.Fatalf("two advertisers: %v", err)
	}
}

func hashOf(s string) string { h, _ := destkit.HashSHA256(s, nil); return h }

// A batch: the first event's flags make the schema for every row (the
// second event's send_email false does not shift its columns); leave {} columns out of the schema; a user
// without the value of a column gets {}; one with no email nor advertising
// ID fails alone.
func TestRemoveFromAudienceBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	m := `{"email":{"@path":"$.context.traits.email"},"advertising_id":{"@path":"$.context.device.advertisingId"},"send_email":true,"send_phone":false,` +
		`"send_advertising_id":true,"external_audience_id":{"@path":"$.context.personas.external_audience_id"},"enable_batching":true}`
	ps := [][]byte{
		desttest.Render(t, Definition, "removeFromAudience", destkit.JSON(m), audienceEvent("Audience Exited")),
		desttest.Validate(t, Definition, "removeFromAudience", `{"email":"X@example.com","send_email":false,"send_phone":false,"send_advertising_id":true,"external_audience_id":"aud-9"}`),
		desttest.Validate(t, Definition, "removeFromAudience", `{"phone":"+14155550123","send_email":true,"send_phone":false,"send_advertising_id":true,"external_audience_id":"aud-9"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings("7001")), RemoveFromAudience, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[1] != nil || !errors.As(errs[2], &pv) || pv.Field != "email" {
		t.Fatalf("errors %v", errs)
	}
	wantMapping(t, srv.Only(t), `{"advertiser_ids":["7001"],"action":"delete","id_schema":["EMAIL_SHA256","IDFA_SHA256"],"batch_data":[`+
		`[{"id":"`+janeHash+`","audience_ids":["aud-9"]},{"id":"`+adHash+`","audience_ids":["aud-9"]}],`+
		`[{"id":"`+hashOf("x@example.com")+`","audience_ids":["aud-9"]},{}]]}`)
}

func TestAddUserLegacy(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, "addUser", destkit.JSON(`{"selected_advertiser_id":"7001","audience_id":"aud-1","email":{"@path":"$.context.traits.email"},`+
		`"phone":{"@path":"$.context.traits.phone"},"advertising_id":{"@path":"$.context.device.advertisingId"},"send_email":true,"send_phone":true,"send_advertising_id":true}`),
		audienceEvent("Audience Entered"))
	if err := send(t, srv, AddUser, p, settings("7001,7002")); err != nil {
		t.Fatal(err)
	}
	// Legacy actions send every advertiser of the settings.
	wantMapping(t, srv.Only(t), `{"advertiser_ids":["7001","7002"],"action":"add","id_schema":`+schema+`,"batch_data":[`+user("aud-1")+`]}`)
	srv = desttest.NewServer(t)
	if err := send(t, srv, RemoveUser, desttest.Validate(t, Definition, "removeUser", `{"selected_advertiser_id":"7001","audience_id":"aud-1","advertising_id":"ad-1","send_email":true,"send_phone":false,"send_advertising_id":false}`), settings("7001")); err != nil {
		t.Fatal(err)
	}
	wantMapping(t, srv.Only(t), `{"advertiser_ids":["7001"],"action":"delete","id_schema":["EMAIL_SHA256"],"batch_data":[[{}]]}`)
}

func TestCreateAudience(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"code":0,"message":"OK","data":{"audience_id":"aud-new"}}`})
	p := desttest.Validate(t, Definition, "createAudience", `{"selected_advertiser_id":"7001","custom_audience_name":"VIPs"}`)
	if err := send(t, srv, CreateAudience, p, settings("7001")); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/open_api/v1.3/segment/audience/" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"custom_audience_name":"VIPs","advertiser_id":"7001","action":"create"}`)
	// The audience config creates and checks audiences the same way.
	inst := desttest.Instance(t, Definition, settings("7001"))
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"code":0,"message":"OK","data":{"audience_id":"aud-7"}}`},
		desttest.Reply{Body: `{"code":0,"message":"OK","data":{"list":[{"audience_details":{"audience_id":"aud-7"}}]}}`})
	d, _ := srv.Client().Doer(context.Background(), inst)
	as := fastjson.MustParse(`{"advertiserId":"7001"}`)
	if id, err := Definition.Audience.Create(context.Background(), d, &destkit.AudienceRequest{Name: "vip", AudienceSettings: as}); err != nil || id != "aud-7" {
		t.Fatalf("create: %q %v", id, err)
	}
	if id, err := Definition.Audience.Get(context.Background(), d, &destkit.AudienceRequest{ExternalID: "aud-7", AudienceSettings: as}); err != nil || id != "aud-7" {
		t.Fatalf("get: %q %v", id, err)
	}
	q, _ := url.ParseQuery(srv.Requests()[1].RawQuery)
	if srv.Requests()[1].Path != "/open_api/v1.3/dmp/custom_audience/get" || q.Get("advertiser_id") != "7001" || q.Get("custom_audience_ids") != `["aud-7"]` {
		t.Fatalf("get query %v", q)
	}
}

// Sync Audience splits a batch into adds and removes by event name.
func TestSyncAudience(t *testing.T) {
	srv := desttest.NewServer(t)
	ps := [][]byte{
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("Audience Exited")),
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("Audience Entered")),
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("Order Completed")),
		desttest.Validate(t, Definition, "syncAudience", `{"event_name":"Audience Entered","send_email":true,"external_audience_id":"aud-9"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings("7001")), SyncAudience, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[1] != nil || !errors.As(errs[2], &pv) || pv.Field != "event_name" || !errors.As(errs[3], &pv) || pv.Field != "email" {
		t.Fatalf("errors %v", errs)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantMapping(t, rs[0], `{"advertiser_ids":["7001"],"action":"add","id_schema":`+schema+`,"batch_data":[`+user("aud-9")+`]}`)
	wantMapping(t, rs[1], `{"advertiser_ids":["7001"],"action":"delete","id_schema":`+schema+`,"batch_data":[`+user("aud-9")+`]}`)
}

func TestErrors(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "addToAudience", audienceEvent("Audience Entered"))
	statuses := append(desttest.Statuses(`{"code":40001,"message":"bad"}`),
		desttest.Status{Reply: desttest.Reply{Body: `{"code":40002,"message":"No permission"}`}, Outcome: destkit.Fail},
		desttest.Status{Reply: desttest.Reply{Body: `{"code":40100,"message":"Too many requests"}`}, Outcome: destkit.Retry})
	desttest.ErrorPathsFor(t, Definition, settings("7001"), AddToAudience, p, statuses)
	none := desttest.Validate(t, Definition, "addToAudience", `{"email":"a@example.com","send_email":false,"send_phone":false,"send_advertising_id":false,"external_audience_id":"aud-9"}`)
	srv := desttest.NewServer(t)
	if err := send(t, srv, AddToAudience, none, settings("7001")); destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("nothing to send: %v", err)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Jane.Doe+ads@Example.com": "janedoe@example.com",
		"a+b+c@x.io":               "a@x.io",
		"no-at.sign":               "no-at.sign",
		"j.d@sub.example.com":      "jd@sub.example.com",
	} {
		if got := normalizeEmail(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if !containsDigest("x"+janeHash) || containsDigest(janeHash[:63]) {
		t.Error("containsDigest")
	}
}

func TestDynamicChoices(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings("7001,7002"))
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"code":0,"message":"OK","data":{"list":[{"advertiser_id":7001,"name":"Shop"},{"advertiser_id":"7002","name":"App"}]}}`})
	cs, err := srv.Client().FieldChoices(context.Background(), inst, AddUser, "selected_advertiser_id", nil)
	if err != nil || len(cs) != 2 || cs[0].Value != "7001" || cs[1].Label != "App" {
		t.Fatalf("advertisers %v %v", cs, err)
	}
	if q, _ := url.ParseQuery(srv.Only(t).RawQuery); q.Get("advertiser_ids") != `["7001","7002"]` {
		t.Fatalf("advertiser query %v", q)
	}
	srv = desttest.NewServer(t,
		desttest.Reply{Body: `{"code":0,"data":{"page_info":{"total_page":2},"list":[{"audience_id":"a1","name":"VIPs"}]}}`},
		desttest.Reply{Body: `{"code":0,"data":{"page_info":{"total_page":2},"list":[{"audience_id":"a2","name":"Churned"}]}}`})
	cs, err = srv.Client().FieldChoices(context.Background(), inst, AddUser, "audience_id", []byte(`{"selected_advertiser_id":"7001"}`))
	if err != nil || len(cs) != 2 || cs[1].Value != "a2" {
		t.Fatalf("audiences %v %v", cs, err)
	}
	if q, _ := url.ParseQuery(srv.Requests()[1].RawQuery); srv.Requests()[1].Path != "/open_api/v1.3/dmp/custom_audience/list/" || q.Get("page") != "2" || q.Get("advertiser_id") != "7001" {
		t.Fatalf("second page %v", q)
	}
}
