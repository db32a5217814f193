package optimizelyfeatureexperimentationactions

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{
	"accountId":   "18269245474",
	"dataFileUrl": "https://cdn.optimizely.com/datafiles/QEKyyyZcqZqUbXZHyFruS.json",
}

// datafile is a trimmed datafile: two events (one key twice), two declared
// attributes, anonymizeIP and botFiltering.
const datafile = `{"version":"4","projectId":"18269245474","accountId":"18269245474","anonymizeIP":true,"botFiltering":false,` +
	`"attributes":[{"id":"18531090301","key":"plan"},{"id":"22344715353","key":"beta"}],` +
	`"events":[{"experimentIds":[],"id":"21235440822","key":"Test"},{"experimentIds":["22406922845"],"id":"22020998834","key":"Order Completed"},` +
	`{"experimentIds":[],"id":"99999999999","key":"Order Completed"}],"revision":"55"}`

const track = `{"type":"track","event":"Order Completed","userId":"user-1234","anonymousId":"anon-1","messageId":"msg-7",` +
	`"timestamp":"2024-05-01T10:00:00.250Z","properties":{"revenue":1999,"value":3.5,"currency":"USD","coupon":"SPRING"},` +
	`"context":{"traits":{"plan":"pro","beta":true,"email":"ada@example.com","address":{"city":"London"}}}}`

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 200, Body: datafile}, desttest.Reply{Status: 204})
	p := desttest.RenderDefault(t, Definition, "trackEvent", track)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	if r := rs[0]; r.Method != "GET" || r.Path != "/datafiles/QEKyyyZcqZqUbXZHyFruS.json" || len(r.Body) != 0 || r.Header.Get("Authorization") != "" {
		t.Fatalf("datafile request %s %s %q", r.Method, r.Path, r.Body)
	}
	r := rs[1]
	if r.Method != "POST" || r.Path != "/v1/events" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "Authorization", "")
	// Email and address are not declared attributes; revenue and value
	// leave the tags; the first "Order Completed" wins.
	desttest.JSONEqual(t, r.Body, `{"account_id":"18269245474","anonymize_ip":true,"client_name":"Segment","enrich_decisions":true,
		"visitors":[{"snapshots":[{"events":[{"entity_id":"22020998834","timestamp":1714557600250,"uuid":"msg-7","key":"Order Completed",
		"revenue":1999,"value":3.5,"tags":{"currency":"USD","coupon":"SPRING"}}],"decisions":[]}],"visitor_id":"user-1234",
		"attributes":[{"entity_id":"18531090301","key":"plan","value":"pro","type":"custom"},{"entity_id":"22344715353","key":"beta","value":true,"type":"custom"},
		{"entity_id":"$opt_bot_filtering","key":"$opt_bot_filtering","type":"custom","value":false}]}]}`)
}

func TestTrackEventMinimal(t *testing.T) {
	// No attributes, tags, revenue or value; a datafile without
	// anonymizeIP or botFiltering.
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"accountId":"1","events":[{"id":"5","key":"Signed Up"}]}`}, desttest.Reply{})
	p := desttest.Validate(t, Definition, "trackEvent", `{"eventKey":"Signed Up","userId":"anon-1","timestamp":1714557600000,"uuid":"m"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Requests()[1].Body, `{"account_id":"1","client_name":"Segment","enrich_decisions":true,"visitors":[{"snapshots":[{"events":`+
		`[{"entity_id":"5","timestamp":1714557600000,"uuid":"m","key":"Signed Up","tags":{}}],"decisions":[]}],"visitor_id":"anon-1","attributes":[]}]}`)
}

func TestTrackEventRejects(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	for name, tc := range map[string]struct {
		payload string
		field   string
		sent    int
	}{
		"unknown event": {`{"eventKey":"Nope","userId":"u","timestamp":"2024-05-01T10:00:00Z","uuid":"m"}`, "eventKey", 1},
		"bad timestamp": {`{"eventKey":"Test","userId":"u","timestamp":"yesterday","uuid":"m"}`, "timestamp", 0},
		"no user":       {`{"eventKey":"Test","timestamp":"2024-05-01T10:00:00Z","uuid":"m"}`, "userId", 0},
		"float revenue": {`{"eventKey":"Test","userId":"u","timestamp":"2024-05-01T10:00:00Z","uuid":"m","revenue":19.99}`, "revenue", 0},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: datafile})
		p, err := TrackEvent.Validate([]byte(tc.payload))
		if err == nil {
			err = srv.Client().Send(context.Background(), inst, TrackEvent, p)
		}
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: got %v", name, err)
		}
		if n := len(srv.Requests()); n != tc.sent {
			t.Errorf("%s: %d requests", name, n)
		}
	}
}

func TestTrackEventErrors(t *testing.T) {
	ok := desttest.Reply{Body: datafile}
	for name, tc := range map[string]struct {
		replies []desttest.Reply
		want    destkit.Outcome
		after   time.Duration
	}{
		"deactivated project": {[]desttest.Reply{{Body: "// This Optimizely project has been deactivated.", Header: map[string]string{"Content-Type": "application/javascript"}}}, destkit.Fail, 0},
		"datafile 404":        {[]desttest.Reply{{Status: 404}}, destkit.Fail, 0},
		"datafile 503":        {[]desttest.Reply{{Status: 503}}, destkit.Retry, 0},
		"events 400":          {[]desttest.Reply{ok, {Status: 400, Body: `{"error":"bad"}`}}, destkit.Fail, 0},
		"events 401":          {[]desttest.Reply{ok, {Status: 401}}, destkit.Fail, 0},
		"events 429":          {[]desttest.Reply{ok, {Status: 429, Header: map[string]string{"Retry-After": "4"}}}, destkit.Retry, 4 * time.Second},
		"events 500":          {[]desttest.Reply{ok, {Status: 500}}, destkit.Retry, 0},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		p := desttest.RenderDefault(t, Definition, "trackEvent", track)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, p)
		if v := destkit.Classify(err); v.Outcome != tc.want || v.RetryAfter != tc.after {
			t.Errorf("%s: got %v (%v)", name, v, err)
		}
	}
}
