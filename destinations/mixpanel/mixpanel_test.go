package mixpanel

import (
	"context"
	"encoding/base64"
	"errors"
	neturl "net/url"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

const trackEvent = `{
  "type": "track", "event": "Song Played", "userId": "user-1234", "anonymousId": "anon-5678",
  "messageId": "msg-1", "timestamp": "2024-05-01T10:00:00.000Z",
  "properties": {"song": "Blue", "duration": 182},
  "context": {
    "ip": "203.0.113.9", "locale": "en-US",
    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36",
    "library": {"name": "analytics.js", "version": "2.11.1"},
    "page": {"url": "https://music.example/play", "referrer": "https://search.example/"},
    "campaign": {"source": "newsletter"}
  }
}`

var settings = map[string]any{"projectToken": "tok-1", "apiSecret": "sec-1", "sourceName": "web"}

func init() { now = func() time.Time { return time.UnixMilli(1714557600999) } }

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "trackEvent", trackEvent)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/import" || r.RawQuery != "strict=1" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("sec-1:")))
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `[{"event":"Song Played","properties":{
		"time":1714557600000,"ip":"203.0.113.9","id":"user-1234","$anon_id":"anon-5678","distinct_id":"user-1234",
		"$browser":"Chrome","$browser_version":"124.0.6367.91","$current_url":"https://music.example/play",
		"$device_id":"anon-5678","$identified_id":"user-1234","$insert_id":"msg-1","$lib_version":"2.11.1","$locale":"en-US",
		"$referrer":"https://search.example/","$source":"segment","$user_id":"user-1234","mp_lib":"Segment Actions: analytics.js",
		"segment_source_name":"web","utm_source":"newsletter","event_original_name":"Song Played","song":"Blue","duration":182}}]`)
}

func batchOf(t *testing.T, events ...string) [][]byte {
	var ps [][]byte
	for _, e := range events {
		ps = append(ps, desttest.Validate(t, Definition, "trackEvent", e))
	}
	return ps
}

func TestTrackEventBatchMultiStatus(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 400, Body: `{"code":400,"status":"Bad Request","num_records_imported":2,` +
		`"failed_records":[{"index":1,"$insert_id":"b","field":"properties.time","message":"'properties.time' is invalid"}]}`})
	ps := batchOf(t,
		`{"event":"A","distinct_id":"u1","insert_id":"a","time":"2024-05-01T10:00:00Z"}`,
		`{"event":"B","distinct_id":"u2","insert_id":"b","time":"2024-05-01T10:00:01Z"}`,
		`{"event":"C","distinct_id":"u3","insert_id":"c","time":"2024-05-01T10:00:02Z"}`)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, ps)
	if errs[0] != nil || errs[2] != nil {
		t.Fatalf("delivered events reported as failed: %v", errs)
	}
	if v := destkit.Classify(errs[1]); v.Outcome != destkit.Fail {
		t.Fatalf("event 1: %v (%v)", v.Outcome, errs[1])
	}
	r := srv.Only(t)
	desttest.JSONEqual(t, r.Body, `[`+
		`{"event":"A","properties":{"time":1714557600000,"id":"u1","distinct_id":"u1","$insert_id":"a","$source":"segment","segment_source_name":"web"}},`+
		`{"event":"B","properties":{"time":1714557601000,"id":"u2","distinct_id":"u2","$insert_id":"b","$source":"segment","segment_source_name":"web"}},`+
		`{"event":"C","properties":{"time":1714557602000,"id":"u3","distinct_id":"u3","$insert_id":"c","$source":"segment","segment_source_name":"web"}}]`)
}

func TestTrackEventBatchWholeFailure(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{401: destkit.Fail, 413: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"code":` + itoa(status) + `,"error":"nope"}`})
		ps := batchOf(t, `{"event":"A","distinct_id":"u1","insert_id":"a"}`, `{"event":"B","distinct_id":"u2","insert_id":"b"}`)
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, ps)
		for i, err := range errs {
			if got := destkit.Classify(err).Outcome; got != want {
				t.Errorf("%d event %d: got %v (%v)", status, i, got, err)
			}
		}
	}
}

func TestRegionAndStrictMode(t *testing.T) {
	inst := desttest.Instance(t, Definition, map[string]any{"projectToken": "tok-1", "apiRegion": regionEU, "strictMode": "0"})
	p := desttest.Validate(t, Definition, "trackEvent", `{"event":"A","distinct_id":"u1","insert_id":"a"}`)
	reqs, err := TrackEvent.Perform(&destkit.Input{Payload: fastjson.MustParseBytes(p), Settings: inst.Settings})
	if err != nil || reqs[0].URL != "https://api-eu.mixpanel.com/import?strict=0" {
		t.Fatalf("%v %+v", err, reqs)
	}
	// Without a secret the project token authenticates the import.
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), inst, TrackEvent, p); err != nil {
		t.Fatal(err)
	}
	desttest.Header(t, srv.Only(t), "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("tok-1:")))
}

func TestInsertIDIsStableWhenUnmapped(t *testing.T) {
	p := fastjson.MustParse(`{"event":"A","distinct_id":"u1","time":"2024-05-01T10:00:00Z"}`)
	a, b := derivedInsertID(p, "A"), derivedInsertID(p, "A")
	if a != b || len(a) != 32 || a == derivedInsertID(p, "B") {
		t.Fatalf("%s %s", a, b)
	}
}

func TestTrackPurchasePerProduct(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 400, Body: `{"code":400,"failed_records":[{"index":2,"field":"x","message":"bad"}]}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "trackPurchase", `{"event":"Order Completed","distinct_id":"u1","insert_id":"o1",`+
			`"generatePurchaseEventPerProduct":true,"time":"2024-05-01T10:00:00Z","event_properties":{"total":30},`+
			`"products":[{"product_id":"a","category":"Mugs","price":10},{"product_id":"b","price":20}]}`),
		desttest.Validate(t, Definition, "trackPurchase", `{"event":"Order Completed","distinct_id":"u2","insert_id":"o2","time":"2024-05-01T10:00:00Z"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackPurchase, ps)
	// Event 2 is the second product of the first order, so the first order
	// failed and the second was delivered.
	if errs[0] == nil || errs[1] != nil {
		t.Fatalf("errs %v", errs)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `[{"event":"Order Completed","properties":{"time":1714557600000,"id":"u1","distinct_id":"u1","$insert_id":"o1","$source":"segment","segment_source_name":"web","total":30}},{"event":"Product Purchased","properties":{"time":1714557599999,"id":"u1","distinct_id":"u1","$insert_id":"0o1","$source":"segment","segment_source_name":"web","product_id":"a","category":"Mugs","price":10}},{"event":"Product Purchased","properties":{"time":1714557599998,"id":"u1","distinct_id":"u1","$insert_id":"1o1","$source":"segment","segment_source_name":"web","product_id":"b","price":20}},{"event":"Order Completed","properties":{"time":1714557600000,"id":"u2","distinct_id":"u2","$insert_id":"o2","$source":"segment","segment_source_name":"web"}}]`)
}

func TestIdentifyUser(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "identifyUser", `{"type":"identify","userId":"user-1234","anonymousId":"anon-5678",`+
		`"traits":{"email":"a@example.com","plan":"pro"},"context":{"ip":"203.0.113.9"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), IdentifyUser, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 || rs[0].Path != "/track" || rs[1].Path != "/engage" {
		t.Fatalf("%+v", rs)
	}
	desttest.Header(t, rs[0], "Authorization", "")
	formDataEqual(t, rs[0], `{"event":"$identify","properties":{"$identified_id":"user-1234","$anon_id":"anon-5678","token":"tok-1","segment_source_name":"web"}}`)
	formDataEqual(t, rs[1], `{"$token":"tok-1","$distinct_id":"user-1234","$ip":"203.0.113.9","$set":{"plan":"pro","$email":"a@example.com"}}`)
}

func TestGroupIdentifyUser(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "groupIdentifyUser", `{"group_key":"company_id","group_id":"acme","traits":{"employees":50}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), GroupIdentifyUser, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Path != "/groups" {
		t.Fatal(r.Path)
	}
	formDataEqual(t, r, `{"$token":"tok-1","$group_key":"company_id","$group_id":"acme","$set":{"employees":50}}`)
}

func TestAlias(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "alias", `{"type":"alias","userId":"user-1234","previousId":"anon-5678"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), Alias, p); err != nil {
		t.Fatal(err)
	}
	formDataEqual(t, srv.Only(t), `{"event":"$create_alias","properties":{"distinct_id":"anon-5678","alias":"user-1234","token":"tok-1","segment_source_name":"web"}}`)
}

func TestIncrementProperties(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "incrementProperties", `{"user_id":"user-1234","increment":{"logins":1}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), IncrementProperties, p); err != nil {
		t.Fatal(err)
	}
	formDataEqual(t, srv.Only(t), `{"$token":"tok-1","$distinct_id":"user-1234","$add":{"logins":1}}`)
}

func TestBrowserDetection(t *testing.T) {
	for ua, want := range map[string][2]string{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1": {"Mobile Safari", "17.4"},
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0":                                                        {"Firefox", "125.0"},
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51":       {"Microsoft Edge", "124.0.2478.51"},
		"curl/8.0": {"", ""},
	} {
		b := browser(ua)
		if b != want[0] || browserVersion(ua, b) != want[1] {
			t.Errorf("%s: got %s %s", ua, b, browserVersion(ua, b))
		}
	}
}

func itoa(i int) string { return string(destkit.AppendJSNumber(nil, float64(i))) }

func BenchmarkTrackEventBatch100(b *testing.B) {
	v := fastjson.MustParse(`{"event":"Song Played","distinct_id":"user-1234","anonymous_id":"anon-5678","insert_id":"m-1",` +
		`"time":"2024-05-01T10:00:00.000Z","ip":"203.0.113.9","url":"https://music.example/play","library_name":"analytics.js",` +
		`"userAgent":"Mozilla/5.0 (Macintosh) AppleWebKit/537.36 Chrome/124.0.6367.91 Safari/537.36",` +
		`"utm_properties":{"utm_source":"newsletter"},"event_properties":{"song":"Blue","duration":182}}`)
	inst, _ := destkit.NewInstance("b", Definition, settings)
	in := &destkit.BatchInput{Payloads: make([]*fastjson.Value, 100), Settings: inst.Settings}
	for i := range in.Payloads {
		in.Payloads[i] = v
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := trackBatch(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/event")
}

func BenchmarkTrackPurchaseBatch100(b *testing.B) {
	v := fastjson.MustParse(`{"event":"Order Completed","distinct_id":"user-1234","insert_id":"m-1","time":"2024-05-01T10:00:00.000Z",` +
		`"generatePurchaseEventPerProduct":true,"event_properties":{"total":30},"products":[{"product_id":"a","price":10},{"product_id":"b","price":20}]}`)
	inst, _ := destkit.NewInstance("b", Definition, settings)
	in := &destkit.BatchInput{Payloads: make([]*fastjson.Value, 100), Settings: inst.Settings}
	for i := range in.Payloads {
		in.Payloads[i] = v
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := purchaseBatch(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/event")
}

// formDataEqual fails the test unless r is a form post whose only field,
// data, holds exactly the JSON object want, as Segment sends to Mixpanel.
func formDataEqual(t *testing.T, r desttest.Recorded, want string) {
	t.Helper()
	desttest.Header(t, r, "Content-Type", "application/x-www-form-urlencoded")
	form, err := neturl.ParseQuery(string(r.Body))
	if err != nil || len(form) != 1 || len(form["data"]) != 1 {
		t.Fatalf("body is not one data field: %s", r.Body)
	}
	desttest.JSONEqual(t, []byte(form.Get("data")), want)
}

// TestIncrementPropertiesValues: numeric strings are added as numbers and other values
// left out; with nothing to increment no call is made, and a non-numeric string fails.
func TestIncrementPropertiesValues(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	p := desttest.Validate(t, Definition, "incrementProperties", `{"anonymous_id":"anon-1","increment":{"logins":"2","flag":true,"score":1.5}}`)
	if err := srv.Client().Send(context.Background(), inst, IncrementProperties, p); err != nil {
		t.Fatal(err)
	}
	formDataEqual(t, srv.Only(t), `{"$token":"tok-1","$distinct_id":"anon-1","$add":{"logins":2,"score":1.5}}`)

	empty := desttest.NewServer(t)
	p = desttest.Validate(t, Definition, "incrementProperties", `{"user_id":"u-1","increment":{}}`)
	if err := empty.Client().Send(context.Background(), inst, IncrementProperties, p); err != nil || len(empty.Requests()) != 0 {
		t.Fatalf("nothing to increment: err %v, %d requests", err, len(empty.Requests()))
	}
	p = desttest.Validate(t, Definition, "incrementProperties", `{"user_id":"u-1","increment":{"logins":"many"}}`)
	var pv *destkit.PayloadValidationError
	if err := empty.Client().Send(context.Background(), inst, IncrementProperties, p); !errors.As(err, &pv) || pv.Field != "increment" {
		t.Fatalf("non-numeric: %v", err)
	}
}
