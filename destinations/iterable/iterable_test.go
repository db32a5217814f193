package iterable

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "itbl-key"}

func fixedNow(t *testing.T) {
	old := now
	now = func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

func send(t *testing.T, srv *desttest.Server, s map[string]any, a *destkit.Action, p []byte) []desttest.Recorded {
	t.Helper()
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, p); err != nil {
		t.Fatal(err)
	}
	return srv.Requests()
}

func want(t *testing.T, r desttest.Recorded, path, body string) {
	t.Helper()
	if r.Method != "POST" || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want POST %s", r.Method, r.Path, r.RawQuery, path)
	}
	desttest.Header(t, r, "Api-Key", "itbl-key")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

const identify = `{"type":"identify","userId":"u-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"traits":{"email":"ada@example.com","firstName":"Ada","phone":"+14158675309","createdAt":"2024-01-15T09:30:00.123Z",` +
	`"birthday":"1990-04-01","address":{"since":"2020-02-02 02:02:02+02:00","city":"London"},"bogus":"2024-05-01T25:00:00Z","tags":["2024-03-01T00:00:00Z"]}}`

const userData = `{"email":"ada@example.com","firstName":"Ada","phone":"+14158675309","createdAt":"2024-01-15 09:30:00 +00:00",` +
	`"birthday":"1990-04-01","address":{"since":"2020-02-02 00:02:02 +00:00","city":"London"},"bogus":null,"tags":["2024-03-01 00:00:00 +00:00"],` +
	`"phoneNumber":"+14158675309"}`

func TestUpdateUserDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"msg":"","code":"Success"}`})
	rs := send(t, srv, settings, UpdateUser, desttest.RenderDefault(t, Definition, "updateUser", identify))
	if len(rs) != 1 {
		t.Fatalf("%d requests", len(rs))
	}
	// Dates anywhere in the data become Iterable dates; date-only strings
	// stay; an impossible date becomes null.
	want(t, rs[0], "/api/users/update", `{"email":"ada@example.com","userId":"u-1","dataFields":`+userData+`,"mergeNestedObjects":false}`)
}

func TestUpdateUserNewEmailAndRegion(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "updateUser", `{"userId":"u-1","newEmail":"new@example.com","dataFields":{"plan":"pro"},"phoneNumber":null}`)
	rs := send(t, srv, map[string]any{"apiKey": "itbl-key", "dataCenterLocation": "europe"}, UpdateUser, p)
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	want(t, rs[0], "/api/users/update", `{"userId":"u-1","dataFields":{"plan":"pro","phoneNumber":null}}`)
	want(t, rs[1], "/api/users/updateEmail", `{"currentUserId":"u-1","newEmail":"new@example.com"}`)
	if got := endpoint(desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "dataCenterLocation": "europe"}).Settings, "/x"); got != "https://api.eu.iterable.com/x" {
		t.Fatal(got)
	}
}

func TestUpdateUserBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"successCount":2,"failCount":0}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "updateUser", `{"email":"a@example.com","dataFields":{"email":"a@example.com"},"newEmail":"b@example.com","updateOnly":true,"enable_batching":true}`),
		desttest.Validate(t, Definition, "updateUser", `{"dataFields":{"x":1}}`),
		desttest.Validate(t, Definition, "updateUser", `{"userId":"u-2","phoneNumber":"+33612345678","updateOnly":true}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), UpdateUser, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[2] != nil || !errors.As(errs[1], &pv) {
		t.Fatal(errs)
	}
	want(t, srv.Only(t), "/api/users/bulkUpdate", `{"updateOnly":true,"users":[{"email":"a@example.com","dataFields":{"email":"b@example.com"}},`+
		`{"userId":"u-2","dataFields":{"phoneNumber":"+33612345678"}}]}`)
}

const track = `{"type":"track","event":"Webinar Registered","userId":"u-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"properties":{"webinar":"Go at scale","startsAt":"2024-05-20T16:00:00Z","campaignId":1234},"context":{"traits":{"email":"ada@example.com"}}}`

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	rs := send(t, srv, settings, TrackEvent, desttest.RenderDefault(t, Definition, "trackEvent", track))
	// Segment's body keeps the batching members.
	want(t, rs[0], "/api/events/track", `{"email":"ada@example.com","userId":"u-1","eventName":"Webinar Registered",`+
		`"dataFields":{"webinar":"Go at scale","startsAt":"2024-05-20 16:00:00 +00:00","campaignId":1234},"id":"m-2","createdAt":1714557600,`+
		`"campaignId":1234,"enable_batching":true,"batch_size":1001}`)
}

func TestTrackEventBatch(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"successCount":2}`})
	ps := [][]byte{
		desttest.RenderDefault(t, Definition, "trackEvent", track),
		desttest.Validate(t, Definition, "trackEvent", `{"eventName":"e"}`),
		desttest.Validate(t, Definition, "trackEvent", `{"userId":"u-3","eventName":"Logged In","createdAt":1714557600999}`),
		desttest.Validate(t, Definition, "trackEvent", `{"userId":"u-4","eventName":"No Time"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, ps)
	if errs[0] != nil || errs[1] == nil || errs[2] != nil || errs[3] != nil {
		t.Fatal(errs)
	}
	// Milliseconds become seconds; no timestamp is now.
	want(t, srv.Only(t), "/api/events/trackBulk", `{"events":[{"email":"ada@example.com","userId":"u-1","eventName":"Webinar Registered",`+
		`"dataFields":{"webinar":"Go at scale","startsAt":"2024-05-20 16:00:00 +00:00","campaignId":1234},"id":"m-2","createdAt":1714557600,`+
		`"campaignId":1234,"enable_batching":true,"batch_size":1001},`+
		`{"userId":"u-3","eventName":"Logged In","createdAt":1714557600,"dataFields":{}},`+
		`{"userId":"u-4","eventName":"No Time","dataFields":{},"createdAt":1717200000}]}`)
}

const cartEvent = `{"type":"track","event":"Cart Updated","userId":"u-1","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"properties":{"products":[{"product_id":"p-1","sku":"SKU-1","category":"Mugs","name":"Café mug","price":12.5,"quantity":2,` +
	`"url":"https://shop.example/p-1","image_url":"https://shop.example/p-1.png","description":"Stoneware, 300 ml"},{"product_id":"p-2","name":"Tea","price":4,"quantity":1}]},` +
	`"context":{"traits":{"email":"ada@example.com","phone":"+14158675309","vip":true}}}`

const cartItems = `[{"id":"p-1","sku":"SKU-1","name":"Café mug","price":12.5,"quantity":2,"url":"https://shop.example/p-1",` +
	`"imageUrl":"https://shop.example/p-1.png","description":"Stoneware, 300 ml","dataFields":{"description":"Stoneware, 300 ml"},"categories":["Mugs"]},{"id":"p-2","name":"Tea","price":4,"quantity":1,"dataFields":{}}]`

func TestUpdateCartDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	rs := send(t, srv, settings, UpdateCart, desttest.RenderDefault(t, Definition, "updateCart", cartEvent))
	want(t, rs[0], "/api/commerce/updateCart", `{"user":{"email":"ada@example.com","userId":"u-1",`+
		`"dataFields":{"email":"ada@example.com","phone":"+14158675309","vip":true,"phoneNumber":"+14158675309"},"mergeNestedObjects":false},"items":`+cartItems+`}`)
}

func TestItemsExtraMembers(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "updateCart", `{"user":{"email":"a@example.com"},"items":[{"id":"p","name":"n","price":1,"quantity":1,`+
		`"color":"red","addedAt":"2024-05-01T10:00:00Z","dataFields":{"dropped":true}}]}`)
	rs := send(t, srv, settings, UpdateCart, p)
	want(t, rs[0], "/api/commerce/updateCart", `{"user":{"email":"a@example.com","dataFields":{}},"items":[{"id":"p","name":"n","price":1,"quantity":1,`+
		`"color":"red","addedAt":"2024-05-01T10:00:00Z","dataFields":{"color":"red","addedAt":"2024-05-01 10:00:00 +00:00"}}]}`)
}

func TestTrackPurchaseDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	order := `{"type":"track","event":"Order Completed","userId":"u-1","messageId":"m-4","timestamp":"2024-05-01T10:00:00.000Z",` +
		`"properties":{"order_id":"o-77","total":29,"currency":"USD","products":[{"product_id":"p-2","name":"Tea","price":4,"quantity":1,"description":"Green tea"}]},` +
		`"context":{"traits":{"email":"ada@example.com"}}}`
	rs := send(t, srv, settings, TrackPurchase, desttest.RenderDefault(t, Definition, "trackPurchase", order))
	// The products leave the event data: they are the items.
	want(t, rs[0], "/api/commerce/trackPurchase", `{"id":"o-77","user":{"email":"ada@example.com","userId":"u-1",`+
		`"dataFields":{"email":"ada@example.com"},"mergeNestedObjects":false},"dataFields":{"order_id":"o-77","total":29,"currency":"USD"},`+
		`"items":[{"id":"p-2","name":"Tea","price":4,"quantity":1,"description":"Green tea","dataFields":{"description":"Green tea"}}],"total":29,"createdAt":1714557600}`)
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct{ action, payload, field string }{
		"user without ids":      {"updateUser", `{"dataFields":{"a":1}}`, "email"},
		"event without ids":     {"trackEvent", `{"eventName":"e"}`, "email"},
		"event without name":    {"trackEvent", `{"userId":"u"}`, "eventName"},
		"cart without user ids": {"updateCart", `{"user":{"dataFields":{}},"items":[{"id":"p","name":"n","price":1,"quantity":1}]}`, "user"},
		"cart item without id":  {"updateCart", `{"user":{"userId":"u"},"items":[{"name":"n","price":1,"quantity":1}]}`, "items[0].id"},
		"purchase no total":     {"trackPurchase", `{"user":{"userId":"u"},"items":[{"id":"p","name":"n","price":1,"quantity":1}]}`, "total"},
		"bad campaign":          {"trackEvent", `{"userId":"u","eventName":"e","campaignId":1.5}`, "campaignId"},
	} {
		a := Definition.Action(tc.action)
		p, err := a.Validate([]byte(tc.payload))
		if err == nil {
			err = destkit.NewClient().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
		}
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	payload := `{"userId":"u","eventName":"e","user":{"userId":"u"},"items":[{"id":"p","name":"n","price":1,"quantity":1}],"total":1}`
	for _, tc := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
		after time.Duration
	}{
		{desttest.Reply{Status: 400, Body: `{"msg":"bad","code":"BadParams"}`}, destkit.Fail, 0},
		{desttest.Reply{Status: 401, Body: `{"code":"BadApiKey"}`}, destkit.Fail, 0},
		{desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "2"}}, destkit.Retry, 2 * time.Second},
		{desttest.Reply{Status: 500}, destkit.Retry, 0},
		{desttest.Reply{Status: 503}, destkit.Retry, 0},
	} {
		for _, a := range Definition.Actions {
			srv := desttest.NewServer(t, tc.reply)
			p := desttest.Validate(t, Definition, a.Key, payload)
			err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
			if v := destkit.Classify(err); v.Outcome != tc.want || v.RetryAfter != tc.after {
				t.Errorf("%s %d: %v (%v)", a.Key, tc.reply.Status, v, err)
			}
		}
		// Batches classify the same way.
		srv := desttest.NewServer(t, tc.reply)
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent,
			[][]byte{desttest.Validate(t, Definition, "trackEvent", payload)})
		if v := destkit.Classify(errs[0]); v.Outcome != tc.want || v.RetryAfter != tc.after {
			t.Errorf("batch %d: %v", tc.reply.Status, v)
		}
	}
}

// Dates are read as JavaScript's Date reads them (checked with Node).
func TestParseISO(t *testing.T) {
	for in, want := range map[string]string{
		"2024-02-31T00:00:00Z":           "2024-03-02 00:00:00 +00:00",
		"2023-02-29T10:00:00Z":           "2023-03-01 10:00:00 +00:00",
		"2024-05-01T24:00:00Z":           "2024-05-02 00:00:00 +00:00",
		"2024-05-01T10:00:00+0200":       "2024-05-01 08:00:00 +00:00",
		"2020-02-02 02:02:02+02:00":      "2020-02-02 00:02:02 +00:00",
		"2024-05-01 10:00:00":            "2024-05-01 10:00:00 +00:00",
		"2024-05-01T10:00Z":              "2024-05-01 10:00:00 +00:00",
		"2024-05-01T10:00:00.999999999Z": "2024-05-01 10:00:00 +00:00",
		"2024-05-01T1000Z":               "",
		"2024-05-01T10:0000Z":            "",
		"2024-05-01T10:00:00,5Z":         "",
		"2024-05-01T10:00:00+02":         "",
		"2024-05-01T25:00:00Z":           "",
		"2024-05-01T24:30:00Z":           "",
		"2024-05-01T10:60:00Z":           "",
		"2024-05-01T10:00:00+0260":       "",
	} {
		got, ok := parseISO(in)
		if s := got.Format("2006-01-02 15:04:05") + " +00:00"; (want == "") == ok || (ok && s != want) {
			t.Errorf("%s: %v %s, want %q", in, ok, s, want)
		}
	}
}
