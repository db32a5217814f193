package blackbaudraisersedgenxt

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"bbApiSubscriptionKey": "bb-key",
	"oauth": map[string]any{"access_token": "bb-access", "refresh_token": "bb-refresh", "clientId": "bb-client", "clientSecret": "bb-client-secret"}}

func init() { now = func() time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) } }

// call is one expected request: method, path with query, and body ("" for none).
type call struct{ method, path, body string }

// run sends payload through a and checks every request, its credentials
// and body, against want.
func run(t *testing.T, a *destkit.Action, payload []byte, replies []desttest.Reply, want []call) error {
	t.Helper()
	srv := desttest.NewServer(t, replies...)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, payload)
	rs := srv.Requests()
	if len(rs) != len(want) {
		for _, r := range rs {
			t.Logf("%s %s?%s %s", r.Method, r.Path, r.RawQuery, r.Body)
		}
		t.Fatalf("%d requests, want %d (%v)", len(rs), len(want), err)
	}
	for i, w := range want {
		r := rs[i]
		got := r.Path
		if r.RawQuery != "" {
			got += "?" + r.RawQuery
		}
		if r.Method != w.method || got != w.path {
			t.Fatalf("request %d: %s %s, want %s %s", i, r.Method, got, w.method, w.path)
		}
		desttest.Header(t, r, "Authorization", "Bearer bb-access")
		desttest.Header(t, r, "Bb-Api-Subscription-Key", "bb-key")
		if w.body == "" {
			if len(r.Body) != 0 {
				t.Fatalf("request %d: body %s", i, r.Body)
			}
			continue
		}
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, w.body)
	}
	return err
}

const identify = `{"type":"identify","userId":"user-1042","traits":{"email":"jane.doe@example.com","firstName":"Jane","lastName":"Doe",` +
	`"birthday":"1990-04-12T00:00:00.000Z","phone":"+1 (415) 555-0123","address":{"street":"1 Market St","city":"San Francisco","state":"CA","postalCode":"94105","country":"US"}}}`

// withTypes is the default mapping with the related records' types set, so
// they are sent.
func withTypes() destkit.JSON {
	m := string(CreateOrUpdateIndividualConstituent.DefaultMapping())
	return destkit.JSON(m[:len(m)-1] + `,"address":{"address_lines":{"@path":"$.traits.address.street"},"city":{"@path":"$.traits.address.city"},` +
		`"postal_code":{"@path":"$.traits.address.postalCode"},"state":{"@path":"$.traits.address.state"},"country":{"@path":"$.traits.address.country"},"type":"Home"},` +
		`"email":{"address":{"@path":"$.traits.email"},"type":"Email","primary":true},"phone":{"number":{"@path":"$.traits.phone"},"type":"Mobile"}}`)
}

func TestCreateOrUpdateIndividualConstituentCreates(t *testing.T) {
	p := desttest.Render(t, Definition, "createOrUpdateIndividualConstituent", withTypes(), identify)
	err := run(t, CreateOrUpdateIndividualConstituent, p, []desttest.Reply{{Body: `{"count":0,"value":[]}`}, {Body: `{"id":"280"}`}}, []call{
		{"GET", "/constituent/v1/constituents/search?search_field=email_address&search_text=jane.doe%40example.com", ""},
		{"POST", "/constituent/v1/constituents", `{"first":"Jane","last":"Doe","birthdate":{"d":"12","m":"4","y":"1990"},"type":"Individual",
			"address":{"address_lines":"1 Market St","city":"San Francisco","postal_code":"94105","state":"CA","country":"US","type":"Home"},
			"email":{"address":"jane.doe@example.com","type":"Email","primary":true},
			"phone":{"number":"+1 (415) 555-0123","type":"Mobile"}}`},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCreateOrUpdateIndividualConstituentUpdates(t *testing.T) {
	p := desttest.Render(t, Definition, "createOrUpdateIndividualConstituent", withTypes(), identify)
	// Found by email: the constituent is updated; the address is new (the
	// only one, so primary), the email is known but inactive, the phone is
	// known by its digits and unchanged.
	err := run(t, CreateOrUpdateIndividualConstituent, p, []desttest.Reply{
		{Body: `{"count":1,"value":[{"id":"280"}]}`},
		{Body: `{}`},
		{Body: `{"count":0,"value":[]}`},
		{Body: `{"id":"a-1"}`},
		{Body: `{"count":1,"value":[{"id":"e-1","address":"JANE.DOE@example.com","type":"Email","primary":true,"inactive":true}]}`},
		{Body: `{}`},
		{Body: `{"count":1,"value":[{"id":"p-1","number":"14155550123","type":"Mobile","inactive":false}]}`},
	}, []call{
		{"GET", "/constituent/v1/constituents/search?search_field=email_address&search_text=jane.doe%40example.com", ""},
		{"PATCH", "/constituent/v1/constituents/280", `{"first":"Jane","last":"Doe","birthdate":{"d":"12","m":"4","y":"1990"}}`},
		{"GET", "/constituent/v1/constituents/280/addresses?include_inactive=true", ""},
		{"POST", "/constituent/v1/addresses", `{"address_lines":"1 Market St","city":"San Francisco","postal_code":"94105","state":"CA","country":"US","type":"Home","primary":true,"constituent_id":"280"}`},
		{"GET", "/constituent/v1/constituents/280/emailaddresses?include_inactive=true", ""},
		{"PATCH", "/constituent/v1/emailaddresses/e-1", `{"address":"jane.doe@example.com","type":"Email","primary":true,"inactive":false}`},
		{"GET", "/constituent/v1/constituents/280/phones?include_inactive=true", ""},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdateFailures(t *testing.T) {
	p := desttest.Validate(t, Definition, "createOrUpdateIndividualConstituent", `{"constituent_id":"280","first":"Jane",`+
		`"email":{"address":"jane@example.com","type":"Email"},"phone":{"number":"555","type":"Home"}}`)
	inst := desttest.Instance(t, Definition, settings)
	for _, tc := range []struct {
		name    string
		replies []desttest.Reply
		want    destkit.Outcome
		calls   int
	}{
		// A refused update goes on to the related records and fails at the end.
		{"constituent refused", []desttest.Reply{{Status: 400}, {Body: `{"count":0}`}, {}, {Body: `{"count":0}`}, {}}, destkit.Fail, 5},
		// A 5xx or 429 retries at once.
		{"email list down", []desttest.Reply{{}, {Status: 503}}, destkit.Retry, 2},
		{"phone creation throttled", []desttest.Reply{{}, {Body: `{"count":0}`}, {}, {Body: `{"count":0}`}, {Status: 429}}, destkit.Retry, 5},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		err := srv.Client().Send(context.Background(), inst, CreateOrUpdateIndividualConstituent, p)
		if got := destkit.Classify(err).Outcome; got != tc.want || len(srv.Requests()) != tc.calls {
			t.Errorf("%s: %v (%v), %d requests", tc.name, got, err, len(srv.Requests()))
		}
	}
}

func TestSearchOutcomes(t *testing.T) {
	p := desttest.Validate(t, Definition, "createOrUpdateIndividualConstituent", `{"lookup_id":"L 7","last":"Doe","email":{"address":"a@example.com"}}`)
	inst := desttest.Instance(t, Definition, settings)
	for body, want := range map[string]destkit.Outcome{
		`{"count":2,"value":[{"id":"1"},{"id":"2"}]}`: destkit.Fail,
		`{"value":[]}`: destkit.Retry,
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: body})
		err := srv.Client().Send(context.Background(), inst, CreateOrUpdateIndividualConstituent, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%s: %v (%v)", body, got, err)
		}
		// The lookup id wins over the email address.
		if q, _ := url.ParseQuery(srv.Requests()[0].RawQuery); q.Get("search_field") != "lookup_id" || q.Get("search_text") != "L 7" {
			t.Errorf("query %s", srv.Requests()[0].RawQuery)
		}
	}
	// A new constituent needs a last name.
	srv := desttest.NewServer(t)
	np := desttest.Validate(t, Definition, "createOrUpdateIndividualConstituent", `{"first":"Jane"}`)
	if err := srv.Client().Send(context.Background(), inst, CreateOrUpdateIndividualConstituent, np); destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("%v, %d requests", err, len(srv.Requests()))
	}
}

func TestCreateGift(t *testing.T) {
	ev := `{"type":"track","event":"Donation Completed","userId":"user-1042","properties":{"revenue":50,"fundId":"12","paymentMethod":"PersonalCheck",` +
		`"checkNumber":"1001","checkDate":"2026-03-01","lastName":"Doe","email":"jane.doe@example.com","acknowledgement":{"status":"ACKNOWLEDGED","date":"2026-03-03"},` +
		`"receipt":{"status":"NEEDSRECEIPT","date":"2026-03-03"},"batchNumber":"B-7"},"timestamp":"2026-03-02T10:15:42.500Z"}`
	p := desttest.RenderDefault(t, Definition, "createGift", ev)
	// The constituent fields find nobody (the email object is incomplete, so
	// only the last name is used): the constituent is created first.
	err := run(t, CreateGift, p, []desttest.Reply{{Body: `{"id":"280"}`}}, []call{
		{"POST", "/constituent/v1/constituents", `{"last":"Doe","type":"Individual"}`},
		{"POST", "/gift/v1/gifts", `{"amount":{"value":50},"constituent_id":"280","is_manual":true,"post_status":"NotPosted","type":"Donation",
			"batch_number":"B-7","batch_prefix":"API","date":"2026-03-02T12:00:00.000Z",
			"acknowledgements":[{"status":"ACKNOWLEDGED","date":"2026-03-03"}],
			"gift_splits":[{"amount":{"value":50},"fund_id":"12"}],
			"payments":[{"payment_method":"PersonalCheck","check_number":"1001","check_date":{"d":"1","m":"3","y":"2026"}}],
			"receipts":[{"status":"NEEDSRECEIPT"}]}`},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCreateGiftByID(t *testing.T) {
	p := desttest.Validate(t, Definition, "createGift", `{"constituent_id":"280","amount":25,"fund_id":"12","payment_method":"Cash",`+
		`"date":"2026-03-02T10:15:42.500Z","post_status":"Posted","type":"RecurringGift","recurring_gift_schedule":{"frequency":"Monthly"}}`)
	// With only the id, the constituent is updated with nothing: no call.
	err := run(t, CreateGift, p, nil, []call{
		{"POST", "/gift/v1/gifts", `{"amount":{"value":25},"constituent_id":"280","date":"2026-03-02T10:15:42.500Z","is_manual":true,
			"post_status":"Posted","type":"RecurringGift","gift_splits":[{"amount":{"value":25},"fund_id":"12"}],"payments":[{"payment_method":"Cash"}],
			"post_date":"2026-03-02T10:15:42.500Z","recurring_gift_schedule":{"frequency":"Monthly","start_date":""}}`},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Neither an id nor constituent fields: nothing to attach the gift to.
	np := desttest.Validate(t, Definition, "createGift", `{"amount":25,"fund_id":"12","payment_method":"Cash"}`)
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), CreateGift, np); destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("%v", err)
	}
}

func TestCreateConstituentAction(t *testing.T) {
	p := desttest.Validate(t, Definition, "createConstituentAction", `{"constituent_id":"280","date":"2026-03-02T10:15:42.500Z",`+
		`"category":"Phone Call","description":"Thanked them for the spring gift",`+
		`"direction":"Outbound","priority":"High","summary":"Thank-you call","type":"Phone Call","completed":false,"fundraisers":["281"]}`)
	err := run(t, CreateConstituentAction, p, nil, []call{
		{"POST", "/constituent/v1/actions", `{"constituent_id":"280","date":"2026-03-02T10:15:42.500Z","category":"Phone Call",
			"description":"Thanked them for the spring gift","direction":"Outbound","fundraisers":["281"],
			"priority":"High","summary":"Thank-you call","type":"Phone Call"}`},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTokenRefresh(t *testing.T) {
	// A 401 renews the token with Blackbaud's grant and sends again.
	srv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"bb-access-2","refresh_token":"bb-refresh-2","expires_in":3600}`})
	p := desttest.Validate(t, Definition, "createConstituentAction", `{"constituent_id":"280","date":"2026-03-02T10:15:42.500Z","category":"Email"}`)
	if err := srv.Client(destkit.WithTokenStore(destkit.NewMemoryTokenStore())).Send(context.Background(), desttest.Instance(t, Definition, settings), CreateConstituentAction, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[1].Path != "/token" || rs[2].Header.Get("Authorization") != "Bearer bb-access-2" {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.Header(t, rs[1], "Content-Type", "application/x-www-form-urlencoded")
	form, _ := url.ParseQuery(string(rs[1].Body))
	want := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"bb-refresh"}, "preserve_refresh_token": {"true"},
		"client_id": {"bb-client"}, "client_secret": {"bb-client-secret"}}
	if form.Encode() != want.Encode() {
		t.Fatalf("form %s", rs[1].Body)
	}
}

func TestErrorPaths(t *testing.T) {
	p := `{"constituent_id":"280","date":"2026-03-02T10:15:42.500Z","category":"Meeting","amount":1,"fund_id":"1","payment_method":"Cash"}`
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{CreateGift, CreateConstituentAction}, p, []desttest.Status{
		{Reply: desttest.Reply{Status: 400, Body: `[{"message":"Fund not found","error_code":400}]`}, Outcome: destkit.Fail},
		{Reply: desttest.Reply{Status: 403}, Outcome: destkit.Fail},
		{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, Outcome: destkit.Retry, RetryAfter: 7 * time.Second},
		{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
	})
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "createGift", Payload: `{"amount":1,"payment_method":"Cash"}`, Field: "fund_id"},
		{Action: "createGift", Payload: `{"amount":1,"fund_id":"1","payment_method":"Bitcoin"}`, Field: "payment_method"},
		{Action: "createConstituentAction", Payload: `{"date":"2026-03-02T10:15:42.500Z"}`, Field: "category"},
		{Action: "createConstituentAction", Payload: `{"date":"2026-03-02T10:15:42.500Z","category":"Fax"}`, Field: "category"},
	})
}
