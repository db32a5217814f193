package klaviyo

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"api_key": "pk_test_123"}

func inst(t *testing.T) *destkit.Instance { return desttest.Instance(t, Definition, settings) }

// checkHeaders asserts what every Klaviyo request carries.
func checkHeaders(t *testing.T, r desttest.Recorded) {
	t.Helper()
	desttest.Header(t, r, "Authorization", "Klaviyo-API-Key pk_test_123")
	desttest.Header(t, r, "revision", "2025-01-15")
	desttest.Header(t, r, "Accept", "application/json")
	desttest.Header(t, r, "Content-Type", "application/json")
}

func want(t *testing.T, r desttest.Recorded, method, path, query string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != query {
		t.Fatalf("got %s %s?%s, want %s %s?%s", r.Method, r.Path, r.RawQuery, method, path, query)
	}
	checkHeaders(t, r)
}

const identify = `{"type":"identify","userId":"user-1234","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","title":"Countess",` +
	`"company":{"name":"Analytical Engines"},"address":{"city":"London","postal_code":"W1","country":"GB"}},` +
	`"context":{"traits":{"phone":"020 7946 0018"}},"properties":{"plan":"pro"}}`

func TestUpsertProfileDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"data":{"type":"profile","id":"01PROF"}}`})
	m := destkit.JSON(`{"email":{"@path":"$.traits.email"},"phone_number":{"@path":"$.context.traits.phone"},"country_code":"GB",` +
		`"external_id":{"@path":"$.userId"},"first_name":{"@path":"$.traits.firstName"},"last_name":{"@path":"$.traits.lastName"},` +
		`"organization":{"@path":"$.traits.company.name"},"title":{"@path":"$.traits.title"},` +
		`"location":{"city":{"@path":"$.traits.address.city"},"zip":{"@path":"$.traits.address.postal_code"},"country":{"@path":"$.traits.address.country"}},` +
		`"properties":{"@path":"$.properties"}}`)
	p := desttest.Render(t, Definition, "upsertProfile", m, identify)
	if err := srv.Client().Send(context.Background(), inst(t), UpsertProfile, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/profiles/", "")
	// The national UK number becomes E.164; identifiers come first.
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"profile","attributes":{"email":"ada@example.com","external_id":"user-1234",`+
		`"phone_number":"+442079460018","first_name":"Ada","last_name":"Lovelace","organization":"Analytical Engines",`+
		`"title":"Countess","location":{"city":"London","zip":"W1","country":"GB"},"properties":{"plan":"pro"}}}}`)
}

func TestUpsertProfileDefaultFields(t *testing.T) {
	// Every default mapping renders and validates for a typical identify.
	p := desttest.RenderDefault(t, Definition, "upsertProfile", identify)
	desttest.JSONEqual(t, p, `{"email":"ada@example.com","phone_number":"020 7946 0018","first_name":"Ada","last_name":"Lovelace",`+
		`"organization":"Analytical Engines","title":"Countess","location":{"city":"London","zip":"W1","country":"GB"},`+
		`"properties":{"plan":"pro"},"batch_size":10000,"batch_keys":["list_id","override_list_id"]}`)
	// Without a country the national number cannot be converted.
	err := destkit.NewClient().Send(context.Background(), inst(t), UpsertProfile, p)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Message != "020 7946 0018 is not a valid phone number and cannot be converted to E.164 format." {
		t.Fatal(err)
	}
}

func TestUpsertProfileConflictUpdatesAndAddsToList(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 409, Body: `{"errors":[{"status":409,"code":"duplicate_profile","detail":"exists","meta":{"duplicate_profile_id":"01DUP"}}]}`},
		desttest.Reply{Status: 200, Body: `{"data":{"id":"01DUP"}}`},
		desttest.Reply{Status: 204, Body: ``})
	p := desttest.Validate(t, Definition, "upsertProfile",
		`{"email":"ada@example.com","first_name":"Ada","list_id":"L1","override_list_id":"L2","enable_batching":false}`)
	if err := srv.Client().Send(context.Background(), inst(t), UpsertProfile, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	want(t, rs[1], "PATCH", "/api/profiles/01DUP", "")
	desttest.JSONEqual(t, rs[1].Body, `{"data":{"type":"profile","attributes":{"email":"ada@example.com","first_name":"Ada"},"id":"01DUP"}}`)
	// The list from the event overrides the mapped one.
	want(t, rs[2], "POST", "/api/lists/L2/relationships/profiles/", "")
	desttest.JSONEqual(t, rs[2].Body, `{"data":[{"type":"profile","id":"01DUP"}]}`)
}

func TestUpsertProfileErrors(t *testing.T) {
	for i, tc := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
		after time.Duration
	}{
		{desttest.Reply{Status: 400, Body: `{"errors":[{"code":"invalid","detail":"bad"}]}`}, destkit.Fail, 0},
		{desttest.Reply{Status: 401}, destkit.Fail, 0},
		{desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, destkit.Retry, 7 * time.Second},
		{desttest.Reply{Status: 503}, destkit.Retry, 0},
	} {
		srv := desttest.NewServer(t, tc.reply)
		p := desttest.Validate(t, Definition, "upsertProfile", `{"email":"ada@example.com"}`)
		err := srv.Client().Send(context.Background(), inst(t), UpsertProfile, p)
		if v := destkit.Classify(err); v.Outcome != tc.want || v.RetryAfter != tc.after {
			t.Errorf("%d: %v %v", i, v, err)
		}
	}
	var api *destkit.APIError
	srv := desttest.NewServer(t, desttest.Reply{Status: 400, Body: `{"errors":[{"code":"invalid_email","detail":"bad"}]}`})
	err := srv.Client().Send(context.Background(), inst(t), UpsertProfile, desttest.Validate(t, Definition, "upsertProfile", `{"email":"ada@example.com"}`))
	if !errors.As(err, &api) || api.Code != "invalid_email" {
		t.Fatal(err)
	}
	// Without any identifier nothing is sent.
	err = destkit.NewClient().Send(context.Background(), inst(t), UpsertProfile, desttest.Validate(t, Definition, "upsertProfile", `{"first_name":"Ada"}`))
	if destkit.Classify(err).Outcome != destkit.Fail || err.Error() != "One of External ID, Phone Number or Email is required." {
		t.Fatal(err)
	}
}

func TestUpsertProfileBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: `{"data":{"type":"profile-bulk-import-job","id":"job1"}}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "upsertProfile", `{"email":"a@example.com","list_id":"L1","first_name":"A","batch_size":100,"enable_batching":true}`),
		desttest.Validate(t, Definition, "upsertProfile", `{"list_id":"L1","first_name":"nobody"}`),
		desttest.Validate(t, Definition, "upsertProfile", `{"phone_number":"06 12 34 56 78","country_code":"FR","external_id":"u2","list_id":"L1"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), inst(t), UpsertProfile, ps)
	if errs[0] != nil || errs[2] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatal(errs)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/profile-bulk-import-jobs/", "")
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[`+
		`{"type":"profile","attributes":{"email":"a@example.com","first_name":"A"}},`+
		`{"type":"profile","attributes":{"phone_number":"+33612345678","external_id":"u2"}}]}},`+
		`"relationships":{"lists":{"data":[{"type":"list","id":"L1"}]}}}}`)

	for status, outcome := range map[int]destkit.Outcome{400: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		errs := srv.Client().SendBatch(context.Background(), inst(t), UpsertProfile, ps[:1])
		if destkit.Classify(errs[0]).Outcome != outcome {
			t.Errorf("%d: %v", status, errs[0])
		}
	}
}

const audienceEntered = `{"type":"track","event":"Audience Entered","userId":"user-1234",` +
	`"properties":{"firstName":"Ada","avatar":"https://img.example.com/ada.png","properties":{"vip":true}},` +
	`"context":{"traits":{"email":"ada@example.com"},"personas":{"computation_class":"audience","external_audience_id":"LIST9"}}}`

func TestAddProfileToList(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"data":{"id":"01NEW"}}`}, desttest.Reply{Status: 204})
	p := desttest.RenderDefault(t, Definition, "addProfileToList", audienceEntered)
	if err := srv.Client().Send(context.Background(), inst(t), AddProfileToList, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	want(t, rs[0], "POST", "/api/profiles/", "")
	desttest.JSONEqual(t, rs[0].Body, `{"data":{"type":"profile","attributes":{"email":"ada@example.com",`+
		`"first_name":"Ada","image":"https://img.example.com/ada.png","location":{},"properties":{"vip":true}}}}`)
	want(t, rs[1], "POST", "/api/lists/LIST9/relationships/profiles/", "")
	desttest.JSONEqual(t, rs[1].Body, `{"data":[{"type":"profile","id":"01NEW"}]}`)

	// Klaviyo's own email check is stricter than the field format.
	err := destkit.NewClient().Send(context.Background(), inst(t), AddProfileToList,
		desttest.Validate(t, Definition, "addProfileToList", `{"email":"ada@localhost.x","list_id":"L"}`))
	if err == nil || err.Error() != "Email must be a valid email address." {
		t.Fatal(err)
	}
}

func TestAddProfileToListBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: `{"data":{"id":"job"}}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "addProfileToList", `{"email":"a@example.com","list_id":"LIST9","first_name":"A","country_code":"FR"}`),
		desttest.Validate(t, Definition, "addProfileToList", `{"phone_number":"12","country_code":"FR","list_id":"LIST9"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), inst(t), AddProfileToList, ps)
	if errs[0] != nil || errs[1] == nil {
		t.Fatal(errs)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/profile-bulk-import-jobs/", "")
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[`+
		`{"type":"profile","attributes":{"email":"a@example.com","first_name":"A"}}]}},`+
		`"relationships":{"lists":{"data":[{"type":"list","id":"LIST9"}]}}}}`)
}

func TestRemoveProfileFromList(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"data":[{"type":"profile","id":"01A"}]}`},
		desttest.Reply{Body: `{"data":[{"type":"profile","id":"01A"},{"type":"profile","id":"01B"}]}`},
		desttest.Reply{Status: 204})
	p := desttest.Render(t, Definition, "removeProfileFromList",
		destkit.JSON(`{"email":{"@path":"$.context.traits.email"},"external_id":{"@path":"$.userId"},"list_id":`+string(audienceList)+`}`),
		`{"type":"track","event":"Audience Exited","userId":"user-1234","context":{"traits":{"email":"ada@example.com"},"personas":{"external_audience_id":"LIST9"}}}`)
	if err := srv.Client().Send(context.Background(), inst(t), RemoveProfileFromList, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	want(t, rs[0], "GET", "/api/profiles/", rs[0].RawQuery)
	q, _ := url.ParseQuery(rs[0].RawQuery)
	if q.Get("filter") != `any(external_id,["user-1234"])` || q.Get("page[size]") != "100" {
		t.Fatal(rs[0].RawQuery)
	}
	q, _ = url.ParseQuery(rs[1].RawQuery)
	if q.Get("filter") != `any(email,["ada@example.com"])` {
		t.Fatal(rs[1].RawQuery)
	}
	want(t, rs[2], "DELETE", "/api/lists/LIST9/relationships/profiles/", "")
	desttest.JSONEqual(t, rs[2].Body, `{"data":[{"type":"profile","id":"01A"},{"type":"profile","id":"01B"}]}`)
}

func TestRemoveProfileFromListNotFound(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"data":[]}`})
	err := srv.Client().Send(context.Background(), inst(t), RemoveProfileFromList,
		desttest.Validate(t, Definition, "removeProfileFromList", `{"email":"ghost@example.com","list_id":"L"}`))
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) {
		t.Fatal(err)
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 500})
	err = srv.Client().Send(context.Background(), inst(t), RemoveProfileFromList,
		desttest.Validate(t, Definition, "removeProfileFromList", `{"email":"ghost@example.com","list_id":"L"}`))
	if destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}

func TestRemoveProfileBatch(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"data":[{"id":"01A"}]}`},
		desttest.Reply{Body: `{"data":[{"id":"01B"}]}`},
		desttest.Reply{Status: 204})
	ps := [][]byte{
		desttest.Validate(t, Definition, "removeProfile", `{"email":"a@example.com","list_id":"L1"}`),
		desttest.Validate(t, Definition, "removeProfile", `{"list_id":"L1"}`),
		desttest.Validate(t, Definition, "removeProfile", `{"phone_number":"+14155550100","list_id":"L1"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), inst(t), RemoveProfile, ps)
	if errs[0] != nil || errs[2] != nil || errs[1] == nil {
		t.Fatal(errs)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	q, _ := url.ParseQuery(rs[1].RawQuery)
	if q.Get("filter") != `any(phone_number,["+14155550100"])` {
		t.Fatal(rs[1].RawQuery)
	}
	want(t, rs[2], "DELETE", "/api/lists/L1/relationships/profiles/", "")
	desttest.JSONEqual(t, rs[2].Body, `{"data":[{"type":"profile","id":"01A"},{"type":"profile","id":"01B"}]}`)

	srv = desttest.NewServer(t, desttest.Reply{Status: 429})
	errs = srv.Client().SendBatch(context.Background(), inst(t), RemoveProfile, ps)
	if destkit.Classify(errs[0]).Outcome != destkit.Retry || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatal(errs)
	}
}

const songPlayed = `{"type":"track","event":"Song Played","userId":"user-1234","anonymousId":"anon-5678",` +
	`"messageId":"msg-1","timestamp":"2024-05-01T12:00:00+02:00","properties":{"song":"Blue","revenue":1.5}}`

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202})
	p := desttest.Render(t, Definition, "trackEvent", destkit.JSON(`{"profile":{"external_id":{"@path":"$.userId"},`+
		`"anonymous_id":{"@path":"$.anonymousId"},"plan":"pro"},"metric_name":{"@path":"$.event"},"properties":{"@path":"$.properties"},`+
		`"time":{"@path":"$.timestamp"},"value":{"@path":"$.properties.revenue"},"unique_id":{"@path":"$.messageId"}}`), songPlayed)
	if err := srv.Client().Send(context.Background(), inst(t), TrackEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/events/", "")
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"event","attributes":{"properties":{"song":"Blue","revenue":1.5},`+
		`"time":"2024-05-01T10:00:00.000Z","value":1.5,"unique_id":"msg-1",`+
		`"metric":{"data":{"type":"metric","attributes":{"name":"Song Played"}}},`+
		`"profile":{"data":{"type":"profile","attributes":{"external_id":"user-1234","anonymous_id":"anon-5678","plan":"pro"}}}}}}`)
}

func TestTrackEventBatchPointsAtBadEvents(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 400, Body: `{"errors":[{"status":400,"code":"invalid",` +
		`"detail":"bad metric","source":{"pointer":"/data/attributes/events-bulk-create/data/1/attributes/events"}}]}`})
	ev := func(id string) []byte {
		return desttest.Validate(t, Definition, "trackEvent", `{"profile":{"external_id":"`+id+`"},"metric_name":"M",`+
			`"properties":{},"time":1714557600000}`)
	}
	ps := [][]byte{ev("a"), desttest.Validate(t, Definition, "trackEvent", `{"profile":{"plan":"x"},"metric_name":"M","properties":{}}`), ev("b"), ev("c")}
	errs := srv.Client().SendBatch(context.Background(), inst(t), TrackEvent, ps)
	// Event 1 never left; event 2 is the second of the job and was refused;
	// 0 and 3 are retried.
	var pv *destkit.PayloadValidationError
	var api *destkit.APIError
	if !errors.As(errs[1], &pv) || !errors.As(errs[2], &api) || api.Status != 400 || string(api.Body) != "bad metric" ||
		destkit.Classify(errs[0]).Outcome != destkit.Retry || destkit.Classify(errs[3]).Outcome != destkit.Retry {
		t.Fatal(errs)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/event-bulk-create-jobs/", "")
	item := func(id string) string {
		return `{"type":"event-bulk-create","attributes":{"profile":{"data":{"type":"profile","attributes":{"external_id":"` + id + `"}}},` +
			`"events":{"data":[{"type":"event","attributes":{"metric":{"data":{"type":"metric","attributes":{"name":"M"}}},` +
			`"properties":{},"time":"2024-05-01T10:00:00.000Z"}}]}}}`
	}
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"event-bulk-create-job","attributes":{"events-bulk-create":{"data":[`+
		item("a")+`,`+item("b")+`,`+item("c")+`]}}}}`)

	srv = desttest.NewServer(t, desttest.Reply{Status: 202})
	errs = srv.Client().SendBatch(context.Background(), inst(t), TrackEvent, ps)
	if errs[0] != nil || errs[1] == nil || errs[2] != nil || errs[3] != nil {
		t.Fatal(errs)
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 503, Body: `oops`})
	errs = srv.Client().SendBatch(context.Background(), inst(t), TrackEvent, ps[:1])
	if destkit.Classify(errs[0]).Outcome != destkit.Retry {
		t.Fatal(errs)
	}
}

func TestOrderCompleted(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202}, desttest.Reply{Status: 202}, desttest.Reply{Status: 202})
	p := desttest.Render(t, Definition, "orderCompleted", destkit.JSON(`{"profile":{"email":{"@path":"$.context.traits.email"}},`+
		`"properties":{"@path":"$.properties"},"time":{"@path":"$.timestamp"},"value":{"@path":"$.properties.total"},`+
		`"unique_id":{"@path":"$.messageId"},"products":{"@path":"$.properties.products"},"event_name":"Order Completed",`+
		`"product_event_name":"Ordered Product"}`),
		`{"type":"track","event":"Order Completed","messageId":"ord-msg","timestamp":"2024-05-01T10:00:00Z",`+
			`"context":{"traits":{"email":"ada@example.com"}},"properties":{"order_id":"o1","total":30,`+
			`"products":[{"sku":"A","price":10},{"sku":"B","price":20,"order_id":"override"}]}}`)
	if err := srv.Client().Send(context.Background(), inst(t), OrderCompleted, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	prof := `"profile":{"data":{"type":"profile","attributes":{"email":"ada@example.com"}}}`
	want(t, rs[0], "POST", "/api/events/", "")
	desttest.JSONEqual(t, rs[0].Body, `{"data":{"type":"event","attributes":{"properties":{"order_id":"o1","total":30,`+
		`"products":[{"sku":"A","price":10},{"sku":"B","price":20,"order_id":"override"}]},"time":"2024-05-01T10:00:00.000Z",`+
		`"value":30,"unique_id":"ord-msg","metric":{"data":{"type":"metric","attributes":{"name":"Order Completed"}}},`+prof+`}}}`)
	uuid := regexp.MustCompile(`"unique_id":"([0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"`)
	ids := [2]string{}
	for i, body := range []string{
		`{"order_id":"o1","total":30,"sku":"A","price":10}`,
		`{"order_id":"override","total":30,"sku":"B","price":20}`,
	} {
		m := uuid.FindSubmatch(rs[i+1].Body)
		if m == nil {
			t.Fatalf("product %d has no derived unique_id: %s", i, rs[i+1].Body)
		}
		ids[i] = string(m[1])
		desttest.JSONEqual(t, rs[i+1].Body, `{"data":{"type":"event","attributes":{"properties":`+body+`,"unique_id":"`+ids[i]+`",`+
			`"metric":{"data":{"type":"metric","attributes":{"name":"Ordered Product"}}},"time":"2024-05-01T10:00:00.000Z",`+prof+`}}}`)
	}
	// A retried order yields the same product event IDs.
	if ids[0] == ids[1] || ids[0] != productEventID(fastjsonMust(p), nil, 0) {
		t.Fatal(ids)
	}

	srv = desttest.NewServer(t, desttest.Reply{Status: 202}, desttest.Reply{Status: 500})
	if err := srv.Client().Send(context.Background(), inst(t), OrderCompleted, p); destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}

func TestSubscribeProfile(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202})
	p := desttest.RenderDefault(t, Definition, "subscribeProfile",
		`{"type":"track","event":"User Subscribed","timestamp":"2024-05-01T10:00:00Z",`+
			`"context":{"traits":{"email":"ada@example.com","phone":"+14155550100"}}}`)
	if err := srv.Client().Send(context.Background(), inst(t), SubscribeProfile, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/profile-subscription-bulk-create-jobs/", "")
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"historical_import":false,`+
		`"profiles":{"data":[{"type":"profile","attributes":{"subscriptions":{"email":{"marketing":{"consent":"SUBSCRIBED"}},`+
		`"sms":{"marketing":{"consent":"SUBSCRIBED"}}},"email":"ada@example.com","phone_number":"+14155550100"}}]},`+
		`"custom_source":"-59"}}}`)
}

func TestSubscribeProfileBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202}, desttest.Reply{Status: 400, Body: `{"errors":[{"code":"bad_list"}]}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "subscribeProfile", `{"email":"a@example.com","list_id":"L1","historical_import":true,"consented_at":"2020-01-01T00:00:00Z"}`),
		desttest.Validate(t, Definition, "subscribeProfile", `{"list_id":"L1"}`),
		desttest.Validate(t, Definition, "subscribeProfile", `{"email":"b@example.com","list_id":"L2","custom_source":"shop"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), inst(t), SubscribeProfile, ps)
	if errs[0] != nil || errs[1] == nil || destkit.Classify(errs[2]).Outcome != destkit.Fail {
		t.Fatal(errs)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.JSONEqual(t, rs[0].Body, `{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"historical_import":true,`+
		`"profiles":{"data":[{"type":"profile","attributes":{"subscriptions":{"email":{"marketing":{"consent":"SUBSCRIBED",`+
		`"consented_at":"2020-01-01T00:00:00Z"}}},"email":"a@example.com"}}]},"custom_source":"-59"},`+
		`"relationships":{"list":{"data":{"type":"list","id":"L1"}}}}}`)
	desttest.JSONEqual(t, rs[1].Body, `{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"historical_import":true,`+
		`"profiles":{"data":[{"type":"profile","attributes":{"subscriptions":{"email":{"marketing":{"consent":"SUBSCRIBED"}}},`+
		`"email":"b@example.com"}}]},"custom_source":"shop"},"relationships":{"list":{"data":{"type":"list","id":"L2"}}}}}`)
}

func TestUnsubscribeProfile(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202})
	p := desttest.Validate(t, Definition, "unsubscribeProfile", `{"phone_number":"(415) 555-0100","country_code":"US","list_id":"L1"}`)
	if err := srv.Client().Send(context.Background(), inst(t), UnsubscribeProfile, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/profile-subscription-bulk-delete-jobs", "")
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[`+
		`{"type":"profile","attributes":{"subscriptions":{"sms":{"marketing":{"consent":"UNSUBSCRIBED"},`+
		`"transactional":{"consent":"UNSUBSCRIBED"}}},"phone_number":"+14155550100"}}]}},`+
		`"relationships":{"list":{"data":{"type":"list","id":"L1"}}}}}`)

	// In a batch, profiles are split into jobs of 100.
	srv = desttest.NewServer(t)
	var ps [][]byte
	for range 100 {
		ps = append(ps, desttest.Validate(t, Definition, "unsubscribeProfile", `{"email":"a@example.com"}`))
	}
	ps = append(ps, desttest.Validate(t, Definition, "unsubscribeProfile", `{"email":"b@example.com","list_id":"L"}`))
	for _, err := range srv.Client().SendBatch(context.Background(), inst(t), UnsubscribeProfile, ps) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.Requests()); n != 2 {
		t.Fatalf("%d requests", n)
	}
}

func TestDeleteProfile(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202})
	if err := srv.Client().Delete(context.Background(), inst(t), "user-1234", ""); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/api/data-privacy-deletion-jobs/", "")
	desttest.JSONEqual(t, r.Body, `{"data":{"type":"data-privacy-deletion-job","attributes":{"profile":{"data":{"type":"profile","id":"user-1234"}}}}}`)
}

func TestToE164(t *testing.T) {
	for i, tc := range []struct{ in, country, want string }{
		{"+33612345678", "", "+33612345678"},
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"+33 6 12 34 56 78", "FR", "+33612345678"},
		{"0033612345678", "FR", "+33612345678"},
		{"(415) 555-0100", "US", "+14155550100"},
		{"1-415-555-0100", "US", "+14155550100"},
		{"+44 (0)20 7946 0018", "GB", "+442079460018"},
		{"06 12 34 56 78", "", ""},
		{"12", "FR", ""},
		{"+1 415 555 0100", "FR", ""},
		{"call me", "US", ""},
	} {
		got, ok := toE164(tc.in, tc.country)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%d: %q %s = %q %v, want %q", i, tc.in, tc.country, got, ok, tc.want)
		}
	}
	// Every region's pattern compiles in Go's regexp syntax.
	for region, r := range phoneRegions {
		if _, err := regexp.Compile(r.pattern); err != nil {
			t.Errorf("%s: %v", region, err)
		}
	}
}
