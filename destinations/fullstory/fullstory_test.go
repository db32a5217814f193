package fullstory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "fs-key"}

// trackEv and identifyEv carry the awkward names and values the
// normalisation has to handle; the expected bodies are what Segment's
// implementation sends for them.
const trackEv = `{"type":"track","event":"Order Completed","userId":"user 1/é","anonymousId":"anon-1","messageId":"m-1","timestamp":"2026-03-02T10:15:00.123Z","properties":{"order_id":"o-1","total":42.5,"first-name":"Ada","coupon":null,"tags":["a","b"],"empty":[],"flags":[true,false],"nums":[1,2.5],"items":[{"sku":"s","q":1}],"mixed":[1,"a",{"x-y":1}],"nested":{"Level 2":{"l3":{"l4":{"l5":{"l6":{"deep key":1}}}}}},"price_real":"9","name_str":5,"x_constructor":1,"a_b":true,"12":"twelve","1-2":"onetwo"}}`

const identifyEv = `{"type":"identify","userId":"u-42","anonymousId":"anon-9","messageId":"m-2","timestamp":"2026-03-02T10:16:00Z","traits":{"name":"Ada Lovelace","email":"ada@example.com","first_name":"Ada","Plan Type":"pro","seats":4,"isAdmin":true,"createdAt":"2025-01-01","address":{"street_name":"Main","zip-code":"12345"},"email_str":"x","displayName":"ignored","9lives":1}}`

func send(t *testing.T, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "Authorization", "Basic fs-key")
	desttest.Header(t, r, "Integration-Source", "segment")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

func TestActions(t *testing.T) {
	for _, c := range []struct {
		action         *destkit.Action
		event, rawPath string
		path, query    string
		want           string
	}{
		{TrackEvent, trackEv, "/users/v1/individual/user%201%2F%C3%A9/customevent", "/users/v1/individual/user 1/é/customevent", "integration=segment",
			`{"event":{"event_name":"Order Completed","event_data":{"12_str":"onetwo","order_id_str":"o-1","total_real":42.5,"firstname_str":"Ada","coupon":null,"tags_strs":["a","b"],"empty_strs":[],"flags_bools":[true,false],"nums_reals":[1,2.5],"items_objs":[{"sku":"s","q":1}],"mixed":{"2":{"xy_real":1},"0_real":1,"1_str":"a"},"nested":{"Level2":{"l3":{"l4":{"l5":{"l6":{"deep key":1}}}}}},"price_real":"9","name_str":5,"x_constructor":1,"a_b_bool":true},"timestamp":"2026-03-02T10:15:00.123Z"}}`},
		{TrackEventV2, trackEv, "/v2/events", "/v2/events", "",
			`{"name":"Order Completed","properties":{"12":"onetwo","order_id":"o-1","total":42.5,"firstname":"Ada","coupon":null,"tags":["a","b"],"empty":[],"flags":[true,false],"nums":[1,2.5],"items":[{"sku":"s","q":1}],"mixed":{"0":1,"1":"a","2":{"xy":1}},"nested":{"Level2":{"l3":{"l4":{"l5":{"l6":{"deep key":1}}}}}},"price_real":"9","name_str":5,"x_constructor":1,"a_b":true},"user":{"uid":"user 1/é"},"timestamp":"2026-03-02T10:15:00.123Z"}`},
		{IdentifyUser, identifyEv, "/users/v1/individual/u-42/customvars", "/users/v1/individual/u-42/customvars", "integration=segment",
			`{"name_str":"Ada Lovelace","email_str":"x","firstName_str":"Ada","planType_str":"pro","seats_real":4,"isAdmin_bool":true,"createdAt_str":"2025-01-01","address":{"streetName_str":"Main","zipCode_str":"12345"},"displayName_str":"ignored","9Lives_real":1,"segmentAnonymousId_str":"anon-9","email":"ada@example.com","displayName":"Ada Lovelace"}`},
		{IdentifyUserV2, identifyEv, "/v2/users", "/v2/users", "",
			`{"uid":"u-42","email":"ada@example.com","display_name":"Ada Lovelace","properties":{"name":"Ada Lovelace","email":"ada@example.com","first_name":"Ada","PlanType":"pro","seats":4,"isAdmin":true,"createdAt":"2025-01-01","address":{"street_name":"Main","zipcode":"12345"},"email_str":"x","displayName":"ignored","9lives":1,"segmentAnonymousId":"anon-9"}}`},
	} {
		t.Run(c.action.Key, func(t *testing.T) {
			p := desttest.RenderDefault(t, Definition, c.action.Key, c.event)
			reqs, err := c.action.Perform(&destkit.Input{Payload: parse(t, p), Settings: desttest.Instance(t, Definition, settings).Settings})
			if err != nil || reqs[0].URL != apiBase+c.rawPath+map[bool]string{true: "?" + c.query}[c.query != ""] {
				t.Fatalf("url %v (%v)", reqs, err)
			}
			r := send(t, c.action, p)
			if r.Method != "POST" || r.Path != c.path || r.RawQuery != c.query {
				t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
			}
			desttest.JSONEqual(t, r.Body, c.want)
		})
	}
}

func TestSessions(t *testing.T) {
	for _, c := range []struct {
		action  *destkit.Action
		payload string
		want    string
	}{
		{TrackEventV2, `{"name":"E","sessionUrl":"https://app.fullstory.com/ui/o-1/session/1234%3A5678","useRecentSession":true}`,
			`{"name":"E","properties":{},"session":{"id":"1234:5678","use_most_recent":true}}`},
		{TrackEventV2, `{"name":"E","useRecentSession":false}`, `{"name":"E","properties":{}}`},
		{TrackEventV2, `{"name":"E","useRecentSession":true}`, `{"name":"E","properties":{},"session":{"use_most_recent":true}}`},
		{TrackEvent, `{"userId":"u","name":"E","sessionUrl":"https://app.fullstory.com/ui/o-1/session/1234","useRecentSession":true}`,
			`{"event":{"event_name":"E","event_data":{},"use_recent_session":true,"session_url":"https://app.fullstory.com/ui/o-1/session/1234"}}`},
	} {
		r := send(t, c.action, desttest.Validate(t, Definition, c.action.Key, c.payload))
		desttest.JSONEqual(t, r.Body, c.want)
	}
	_, err := trackEventV2(&destkit.Input{Payload: parse(t, []byte(`{"name":"E","sessionUrl":"https://x/session/%zz"}`))})
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "sessionUrl" {
		t.Fatalf("malformed session URL: %v", err)
	}
}

// TestUTCTimestamp: what Segment's date library makes of timestamps.
func TestUTCTimestamp(t *testing.T) {
	for in, want := range map[string]string{
		`"2026-03-02T10:15:00.123Z"`:   "2026-03-02T10:15:00.123Z",
		`"2026-03-02T12:15:00+02:00"`:  "2026-03-02T10:15:00.000Z",
		`"2026-03-02T10:15:00.123456"`: "2026-03-02T10:15:00.123Z", // no zone: UTC
		`"2026-03-02"`:                 "2026-03-02T00:00:00.000Z",
		`"1700000000"`:                 "1699-11-30T00:00:00.000Z", // read as a date, parts rolling over
		`1772446500123`:                "2026-03-02T10:15:00.123Z", // milliseconds
		`"next tuesday"`:               "",
		`""`:                           "",
		`null`:                         "",
	} {
		if got := utcTimestamp(parse(t, []byte(in))); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestCamelCase(t *testing.T) {
	// Expected values are lodash's camelCase output.
	for in, want := range map[string]string{
		"first_name": "firstName", "XMLHttpRequest": "xmlHttpRequest", "myXMLParser": "myXmlParser",
		"21ST CENTURY": "21stCentury", "the 2nd place": "the2ndPlace", "11th hour": "11ThHour",
		"Ünïcödé nämé": "unicodeName", "straße": "strasse", "don't stop": "dontStop", "emoji😀name": "emoji😀Name",
		"a1b2c3": "a1B2C3", "ABCdef": "abCdef", "": "", "-_-": "",
	} {
		if got := camelCase(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestEncodeURIComponent(t *testing.T) {
	if got := encodeURIComponent("a b/c?d=é&*'()!~_.-"); got != "a%20b%2Fc%3Fd%3D%C3%A9%26*'()!~_.-" {
		t.Fatal(got)
	}
}

func TestDeleteUser(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Delete(context.Background(), inst, "user 1", "a"); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "DELETE" || r.Path != "/v2/users" || r.RawQuery != "uid=user%201" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Basic fs-key")
	if err := srv.Client().Delete(context.Background(), inst, "", "a"); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("no user id: %v", err)
	}
}

func TestRejectsIncompletePayloads(t *testing.T) {
	for _, c := range []struct {
		a              *destkit.Action
		field, payload string
	}{
		{TrackEvent, "userId", `{"name":"E"}`},
		{TrackEvent, "name", `{"userId":"u","name":""}`},
		{TrackEventV2, "name", `{"userId":"u"}`},
		{TrackEventV2, "timestamp", `{"name":"E","timestamp":"yesterday-ish"}`},
		{IdentifyUser, "userId", `{"traits":{"a":1}}`},
		{IdentifyUserV2, "properties", `{"uid":"u","properties":"x"}`},
	} {
		_, err := c.a.Validate([]byte(c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field {
			t.Errorf("%s %s: %v", c.a.Key, c.field, err)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPathsFor(t, Definition, settings, TrackEventV2,
		desttest.RenderDefault(t, Definition, "trackEventV2", trackEv),
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"code":"invalid_argument"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "6"}}, Outcome: destkit.Retry, RetryAfter: 6 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
