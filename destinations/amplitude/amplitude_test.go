package amplitude

import (
	"context"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// A realistic track event from analytics.js.
const trackEvent = `{
  "type": "track", "event": "Product Viewed", "userId": "user-1234", "anonymousId": "anon-5678",
  "messageId": "msg-1", "timestamp": "2024-05-01T10:00:00.000Z",
  "properties": {"product_id": "p-1", "price": 19.99, "currency": "USD"},
  "context": {
    "ip": "203.0.113.9", "locale": "en-US", "userAgent": "Mozilla/5.0",
    "library": {"name": "analytics.js", "version": "2.11.1"},
    "page": {"referrer": "https://search.example/"},
    "campaign": {"source": "newsletter", "medium": "email", "name": "spring"},
    "location": {"country": "France", "city": "Lyon"}
  },
  "integrations": {"Actions Amplitude": {"session_id": "1714557000000"}}
}`

var settings = map[string]any{"apiKey": "amp-key", "secretKey": "amp-secret"}

func send(t *testing.T, srv *desttest.Server, a *destkit.Action, payload []byte, s map[string]any) {
	t.Helper()
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, payload); err != nil {
		t.Fatal(err)
	}
}

func TestLogEventV2DefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	send(t, srv, LogEventV2, desttest.RenderDefault(t, Definition, "logEventV2", trackEvent), settings)
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/2/httpapi" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "Authorization", "")
	desttest.JSONEqual(t, r.Body, `{"api_key":"amp-key","events":[{"user_id":"user-1234","device_id":"anon-5678","event_type":"Product Viewed","session_id":1714557000000,"time":1714557600000,"event_properties":{"product_id":"p-1","price":19.99,"currency":"USD"},"user_properties":{"$setOnce":{"initial_referrer":"https://search.example/","initial_utm_source":"newsletter","initial_utm_medium":"email","initial_utm_campaign":"spring"},"$set":{"referrer":"https://search.example/","utm_source":"newsletter","utm_medium":"email","utm_campaign":"spring"}},"platform":"Web","country":"France","city":"Lyon","language":"en-US","ip":"203.0.113.9","use_batch_endpoint":false,"library":"analytics.js"}]}`)
}

func TestLogEventRegionalBatchEndpoint(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "logEvent", `{"user_id":"u-12345","event_type":"Signed Up","use_batch_endpoint":true,`+
		`"platform":"ios","revenue":"12.5","min_id_length":3,"utm_properties":{"utm_source":"ads"}}`)
	send(t, srv, LogEvent, p, map[string]any{"apiKey": "k", "secretKey": "s", "endpoint": "europe"})
	r := srv.Only(t)
	if r.Path != "/batch" {
		t.Fatalf("path %s", r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"api_key":"k","events":[{"user_id":"u-12345","event_type":"Signed Up","user_properties":{"$set":{"utm_source":"ads"},"$setOnce":{"initial_utm_source":"ads"}},"platform":"iOS","use_batch_endpoint":true,"library":"segment"}],"options":{"min_id_length":3}}`)
	// The URL itself carries the region.
	reqs, _ := LogEvent.Perform(&destkit.Input{Payload: parse(t, p), Settings: desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "secretKey": "s", "endpoint": "europe"}).Settings})
	if reqs[0].URL != "https://api.eu.amplitude.com/batch" {
		t.Fatalf("URL %s", reqs[0].URL)
	}
}

func TestLogPurchasePerProduct(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "logPurchase", `{"user_id":"u-12345","event_type":"Order Completed","insert_id":"m-1",`+
		`"revenue":30,"trackRevenuePerProduct":true,"products":[{"productId":"a","price":10,"quantity":1},{"productId":"b","price":20,"quantity":1}]}`)
	send(t, srv, LogPurchase, p, settings)
	desttest.JSONEqual(t, srv.Only(t).Body, `{"api_key":"amp-key","events":[{"user_id":"u-12345","event_type":"Order Completed","insert_id":"m-1","library":"segment"},{"user_id":"u-12345","event_type":"Product Purchased","event_properties":{"productId":"a","price":10,"quantity":1},"revenue":10,"revenueType":"Purchase","quantity":1,"price":10,"productId":"a","insert_id":"m-1-2","library":"segment"},{"user_id":"u-12345","event_type":"Product Purchased","event_properties":{"productId":"b","price":20,"quantity":1},"revenue":20,"revenueType":"Purchase","quantity":1,"price":20,"productId":"b","insert_id":"m-1-3","library":"segment"}]}`)
}

func TestIdentifyUserIsFormEncoded(t *testing.T) {
	srv := desttest.NewServer(t)
	send(t, srv, IdentifyUser, desttest.RenderDefault(t, Definition, "identifyUser", `{"type":"identify","userId":"user-1234",`+
		`"anonymousId":"anon-5678","traits":{"plan":"pro"},"context":{"library":{"name":"analytics-go"}}}`), settings)
	r := srv.Only(t)
	if r.Path != "/identify" {
		t.Fatalf("path %s", r.Path)
	}
	desttest.Header(t, r, "Content-Type", "application/x-www-form-urlencoded")
	form, err := url.ParseQuery(string(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	if form.Get("api_key") != "amp-key" || form.Get("options") != "" {
		t.Fatalf("form %v", form)
	}
	desttest.JSONEqual(t, []byte(form.Get("identification")),
		`{"user_id":"user-1234","device_id":"anon-5678","user_properties":{"plan":"pro"},"library":"segment"}`)
}

func TestGroupIdentifyUserTwoCalls(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, "groupIdentifyUser", destkit.JSON(`{"user_id":{"@path":"$.userId"},"time":{"@path":"$.timestamp"},`+
		`"group_type":"company","group_value":{"@path":"$.groupId"},"group_properties":{"@path":"$.traits"}}`),
		`{"type":"group","userId":"user-1234","groupId":"acme","timestamp":"2024-05-01T10:00:00Z","traits":{"employees":50}}`)
	send(t, srv, GroupIdentifyUser, p, settings)
	rs := srv.Requests()
	if len(rs) != 2 || rs[0].Path != "/identify" || rs[1].Path != "/groupidentify" {
		t.Fatalf("requests %+v", rs)
	}
	f0, _ := url.ParseQuery(string(rs[0].Body))
	desttest.JSONEqual(t, []byte(f0.Get("identification")),
		`[{"user_id":"user-1234","time":1714557600000,"groups":{"company":"acme"},"user_properties":{"company":"acme"},"library":"segment"}]`)
	f1, _ := url.ParseQuery(string(rs[1].Body))
	desttest.JSONEqual(t, []byte(f1.Get("identification")),
		`[{"group_properties":{"employees":50},"group_value":"acme","group_type":"company","library":"segment"}]`)
}

func TestMapUser(t *testing.T) {
	srv := desttest.NewServer(t)
	send(t, srv, MapUser, desttest.RenderDefault(t, Definition, "mapUser",
		`{"type":"alias","userId":"user-1234","previousId":"anon-5678"}`), settings)
	r := srv.Only(t)
	f, _ := url.ParseQuery(string(r.Body))
	if r.Path != "/usermap" || f.Get("api_key") != "amp-key" {
		t.Fatalf("got %s %v", r.Path, f)
	}
	desttest.JSONEqual(t, []byte(f.Get("mapping")), `[{"user_id":"anon-5678","global_user_id":"user-1234"}]`)
}

func TestDeleteUser(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Delete(context.Background(), inst, "user-1234", ""); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Path != "/api/2/deletions/users" {
		t.Fatalf("path %s", r.Path)
	}
	desttest.Header(t, r, "Authorization", "Basic YW1wLWtleTphbXAtc2VjcmV0") // amp-key:amp-secret
	desttest.JSONEqual(t, r.Body, `{"user_ids":["user-1234"],"requester":"actuate"}`)
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
	}{
		{desttest.Reply{Status: 400, Body: `{"code":400,"error":"Invalid API key"}`}, destkit.Fail},
		{desttest.Reply{Status: 413}, destkit.Fail},
		{desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "30"}}, destkit.Retry},
		{desttest.Reply{Status: 500}, destkit.Retry},
		{desttest.Reply{Status: 503}, destkit.Retry},
	} {
		srv := desttest.NewServer(t, tc.reply)
		p := desttest.Validate(t, Definition, "logEventV2", `{"user_id":"u-12345","event_type":"x"}`)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), LogEventV2, p)
		if got := destkit.Classify(err).Outcome; got != tc.want {
			t.Errorf("%d: got %v (%v)", tc.reply.Status, got, err)
		}
	}
}
