package vwo

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"vwoAccountId": 654321, "region": "EU"}

const (
	uuid = "D7E2F4A9B1C34E5F8A6B9C0D1E2F3A4B"
	ctx  = `"context":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11)","page":{"url":"https://shop.example.com/p/1","path":"/p/1","referrer":"https://www.google.com/"}}`
	// 2026-03-02T10:15:42.500Z
	wantTime = 1772446542500
	page     = `{"url":"https://shop.example.com/p/1","path":"/p/1","referrer":"https://www.google.com/","referrerUrl":"https://www.google.com/"}`
)

func TestMain(m *testing.M) {
	now = func() time.Time { return time.UnixMilli(1772450000123) }
	m.Run()
}

func sendDefault(t *testing.T, a *destkit.Action, settings map[string]any, event string) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"success"}`})
	p := desttest.RenderDefault(t, Definition, a.Key, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

func expect(t *testing.T, r desttest.Recorded, path, query string) {
	t.Helper()
	if r.Method != "POST" || r.Path != path || r.RawQuery != query {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
}

func TestTrackEvent(t *testing.T) {
	r := sendDefault(t, TrackEvent, settings, `{"type":"track","event":"Order Completed","userId":"u-1","timestamp":"2026-03-02T10:15:42.500Z",`+
		`"properties":{"vwo_uuid":"`+uuid+`","revenue":42.5,"page":"checkout"},`+ctx+`}`)
	expect(t, r, "/eu01/events/t", "en=segment.Order+Completed&a=654321")
	desttest.Header(t, r, "User-Agent", "Mozilla/5.0 (X11)")
	desttest.Header(t, r, "X-Forwarded-For", "203.0.113.7")
	// The property "page" keeps its place, with the page's value.
	desttest.JSONEqual(t, r.Body, `{"d":{"msgId":"`+uuid+`-1772446542","visId":"`+uuid+`","event":{"props":{"revenue":42.5,"page":`+page+`,`+
		`"isCustomEvent":true,"vwoMeta":{"source":"segment.cloud","metric":{},"ogName":"Order Completed"}},"name":"segment.Order Completed","time":1772446542500},`+
		`"sessionId":1772446542}}`)
}

func TestSDKKey(t *testing.T) {
	// With an SDK key the visitor ID is VWO's UUID v5 of the VWO UUID (the
	// digest checked against Segment's implementation run under Node).
	const visitor = "AC3099A49E5458FBBB40F30CB70E21CB"
	if got := visitorUUID(uuid, "654321"); got != visitor {
		t.Fatalf("visitor UUID %s", got)
	}
	r := sendDefault(t, IdentifyUser, map[string]any{"vwoAccountId": "654321", "apikey": "fs-env-key"},
		`{"type":"identify","userId":"u-1","timestamp":"2026-03-02T10:15:42.500Z","traits":{"vwo_uuid":"`+uuid+`","plan":"pro","seats":3}}`)
	expect(t, r, "/events/t", "en=vwo_syncVisitorProp&a=654321")
	desttest.JSONEqual(t, r.Body, `{"d":{"msgId":"`+visitor+`-1772446542","visId":"`+visitor+`","event":{"props":{"page":{},"isCustomEvent":true,`+
		`"vwoMeta":{"source":"segment.cloud","metric":{}},"$visitor":{"props":{"vwo_fs_environment":"fs-env-key","segment.plan":"pro","segment.seats":3}}},`+
		`"name":"vwo_syncVisitorProp","time":1772446542500},"sessionId":1772446542,`+
		`"visitor":{"props":{"vwo_fs_environment":"fs-env-key","segment.plan":"pro","segment.seats":3}}}}`)
}

func TestIdentifyUser(t *testing.T) {
	r := sendDefault(t, IdentifyUser, settings, `{"type":"identify","userId":"u-1","traits":{"vwo_uuid":"`+uuid+`","plan":"pro"},`+ctx+`}`)
	// No timestamp: the time of sending.
	desttest.JSONEqual(t, r.Body, `{"d":{"msgId":"`+uuid+`-1772450000","visId":"`+uuid+`","event":{"props":{"page":`+page+`,"isCustomEvent":true,`+
		`"vwoMeta":{"source":"segment.cloud","metric":{}},"$visitor":{"props":{"segment.plan":"pro"}}},"name":"vwo_syncVisitorProp","time":1772450000123},`+
		`"sessionId":1772450000,"visitor":{"props":{"segment.plan":"pro"}}}}`)
}

func TestPageVisit(t *testing.T) {
	r := sendDefault(t, PageVisit, settings, `{"type":"page","userId":"u-1","timestamp":"2026-03-02T10:15:42.500Z","properties":{"vwo_uuid":"`+uuid+`"},`+ctx+`}`)
	expect(t, r, "/eu01/events/t", "en=segment.pageView&a=654321")
	desttest.JSONEqual(t, r.Body, `{"d":{"msgId":"`+uuid+`-1772446542","visId":"`+uuid+`","event":{"props":{"page":`+page+`,"isCustomEvent":false,`+
		`"vwoMeta":{"source":"segment.cloud","metric":{}},"url":"https://shop.example.com/p/1"},"name":"segment.pageView","time":1772446542500},"sessionId":1772446542}}`)
}

func TestSyncAudience(t *testing.T) {
	r := sendDefault(t, SyncAudience, settings, `{"type":"track","event":"Audience Exited","anonymousId":"anon-1","properties":{"audience_key":"vip_buyers"}}`)
	expect(t, r, "/eu01/collect/events/t", "en=vwo_integration&a=654321")
	desttest.JSONEqual(t, r.Body, `{"d":{"event":{"name":"vwo_integration","time":1772450000123,"props":{"action":"audience_exited",`+
		`"audienceName":"vip_buyers","audienceId":"vip_buyers","identifier":"anon-1","accountId":654321,"integration":"segment"}}}}`)
}

func TestRefusesAndErrors(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "trackEvent", Payload: `{"name":"Signed Up"}`, Field: "vwoUuid"},
		{Action: "identifyUser", Payload: `{"vwoUuid":"x"}`, Field: "attributes"},
		{Action: "syncAudience", Payload: `{"name":"Audience Entered","userId":"u"}`, Field: "audienceId"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		`{"name":"Audience Entered","vwoUuid":"`+uuid+`","attributes":{"a":1},"audienceId":"vip"}`, desttest.Statuses(`{"error":"invalid account"}`))
}
