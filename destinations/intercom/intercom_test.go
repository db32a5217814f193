package intercom

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"oauth": map[string]any{"access_token": "dG9rOmFiYw=="}}

func run(t *testing.T, srv *desttest.Server, a *destkit.Action, p []byte) ([]desttest.Recorded, error) {
	t.Helper()
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
	return srv.Requests(), err
}

func want(t *testing.T, r desttest.Recorded, method, path, body string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want %s %s", r.Method, r.Path, r.RawQuery, method, path)
	}
	desttest.Header(t, r, "Authorization", "Bearer dG9rOmFiYw==")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

var (
	oneContact = desttest.Reply{Body: `{"type":"list","total_count":1,"data":[{"type":"contact","id":"66a1b2c3d4"}]}`}
	noContact  = desttest.Reply{Body: `{"type":"list","total_count":0,"data":[]}`}
	twoContact = desttest.Reply{Body: `{"type":"list","total_count":2,"data":[{"id":"1"},{"id":"2"}]}`}
)

const identify = `{"type":"identify","userId":"user-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"traits":{"email":"ada@example.com","name":"Ada Lovelace","phone":"+44 20 7946 0018","avatar":"https://example.com/ada.png"}}`

// identifyMapping is the default mapping plus the role, which has none.
var identifyMapping = destkit.JSON(`{"role":"user","external_id":{"@path":"$.userId"},"email":{"@path":"$.traits.email"},` +
	`"phone":{"@path":"$.traits.phone"},"name":{"@path":"$.traits.name"},"avatar":{"@path":"$.traits.avatar"},"last_seen_at":{"@path":"$.timestamp"}}`)

const contactBody = `{"role":"user","external_id":"user-1","email":"ada@example.com","phone":"+44 20 7946 0018","name":"Ada Lovelace",` +
	`"avatar":"https://example.com/ada.png","last_seen_at":1714557600}`

func TestIdentifyContactUpdatesTheContactFound(t *testing.T) {
	srv := desttest.NewServer(t, oneContact, desttest.Reply{Body: `{"id":"66a1b2c3d4"}`})
	rs, err := run(t, srv, IdentifyContact, desttest.Render(t, Definition, "identifyContact", identifyMapping, identify))
	if err != nil || len(rs) != 2 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
	want(t, rs[0], "POST", "/contacts/search", `{"query":{"field":"external_id","operator":"=","value":"user-1"}}`)
	want(t, rs[1], "PUT", "/contacts/66a1b2c3d4", contactBody)
}

func TestIdentifyContactCreates(t *testing.T) {
	for name, search := range map[string]desttest.Reply{"none found": noContact, "several found": twoContact} {
		srv := desttest.NewServer(t, search, desttest.Reply{Body: `{"id":"new"}`})
		rs, err := run(t, srv, IdentifyContact, desttest.Render(t, Definition, "identifyContact", identifyMapping, identify))
		if err != nil || len(rs) != 2 {
			t.Fatalf("%s: %v, %d requests", name, err, len(rs))
		}
		want(t, rs[1], "POST", "/contacts", contactBody)
	}
	// A lead with only an email is searched by email; timestamps in Unix
	// seconds, as digit strings or numbers, stay numbers.
	srv := desttest.NewServer(t, noContact)
	rs, err := run(t, srv, IdentifyContact, desttest.Validate(t, Definition, "identifyContact",
		`{"role":"lead","email":"lead@example.com","signed_up_at":"1714557600","last_seen_at":1714557601,"custom_attributes":{"tier":"gold"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want(t, rs[0], "POST", "/contacts/search", `{"query":{"field":"email","operator":"=","value":"lead@example.com"}}`)
	want(t, rs[1], "POST", "/contacts", `{"role":"lead","email":"lead@example.com","signed_up_at":1714557600,"last_seen_at":1714557601,"custom_attributes":{"tier":"gold"}}`)
}

func TestIdentifyContactWithoutIdentifiersSkipsSearch(t *testing.T) {
	srv := desttest.NewServer(t)
	rs, err := run(t, srv, IdentifyContact, desttest.Validate(t, Definition, "identifyContact", `{"role":"lead","name":"Anon"}`))
	if err != nil || len(rs) != 1 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
	want(t, rs[0], "POST", "/contacts", `{"role":"lead","name":"Anon"}`)
}

func TestIdentifyContactConflictRetries(t *testing.T) {
	srv := desttest.NewServer(t, noContact, desttest.Reply{Status: 409, Body: `{"type":"error.list","errors":[{"code":"conflict"}]}`})
	_, err := run(t, srv, IdentifyContact, desttest.Render(t, Definition, "identifyContact", identifyMapping, identify))
	if destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}

const group = `{"type":"group","userId":"user-1","groupId":"acme-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"traits":{"name":"Acme","plan":"enterprise","employees":120,"website":"https://acme.example","industry":"Manufacturing",` +
	`"monthly_spend":999.5,"createdAt":"2020-01-02T03:04:05Z","email":"ada@example.com"}}`

const companyBody = `{"remote_created_at":1577934245,"company_id":"acme-1","name":"Acme","monthly_spend":999.5,"plan":"enterprise",` +
	`"size":120,"website":"https://acme.example","industry":"Manufacturing"}`

func TestGroupIdentifyContactDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, oneContact, desttest.Reply{Body: `{"type":"company","id":"5f2c0a"}`}, desttest.Reply{Body: `{}`})
	rs, err := run(t, srv, GroupIdentifyContact, desttest.RenderDefault(t, Definition, "groupIdentifyContact", group))
	if err != nil || len(rs) != 3 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
	want(t, rs[0], "POST", "/contacts/search", `{"query":{"field":"external_id","operator":"=","value":"user-1"}}`)
	want(t, rs[1], "POST", "/companies", companyBody)
	want(t, rs[2], "POST", "/contacts/66a1b2c3d4/companies", `{"id":"5f2c0a"}`)
}

func TestGroupIdentifyContactVariants(t *testing.T) {
	// A mapped Contact ID is attached without a search.
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"id":"5f2c0a"}`})
	rs, err := run(t, srv, GroupIdentifyContact, desttest.Validate(t, Definition, "groupIdentifyContact", `{"company_id":"c","contact_id":"abc"}`))
	if err != nil || len(rs) != 2 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
	want(t, rs[0], "POST", "/companies", `{"company_id":"c"}`)
	want(t, rs[1], "POST", "/contacts/abc/companies", `{"id":"5f2c0a"}`)
	// No contact found: the company alone.
	srv = desttest.NewServer(t, noContact, desttest.Reply{Body: `{"id":"5f2c0a"}`})
	rs, err = run(t, srv, GroupIdentifyContact, desttest.RenderDefault(t, Definition, "groupIdentifyContact", group))
	if err != nil || len(rs) != 2 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
	want(t, rs[1], "POST", "/companies", companyBody)
	// A company response without an id cannot be attached to.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{}`})
	_, err = run(t, srv, GroupIdentifyContact, desttest.Validate(t, Definition, "groupIdentifyContact", `{"company_id":"c","contact_id":"abc"}`))
	if destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}

const track = `{"type":"track","event":"Order Completed","userId":"user-1","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"properties":{"order_id":"o-9","revenue":19.99,"currency":"EUR","email":"ada@example.com","items":2}}`

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: ``})
	rs, err := run(t, srv, TrackEvent, desttest.RenderDefault(t, Definition, "trackEvent", track))
	if err != nil || len(rs) != 1 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
	// Revenue and currency move into metadata.price, in cents.
	want(t, rs[0], "POST", "/events", `{"event_name":"Order Completed","created_at":1714557600,"user_id":"user-1","email":"ada@example.com",`+
		`"metadata":{"order_id":"o-9","items":2,"price":{"amount":1999,"currency":"EUR"}}}`)
}

func TestTrackEventByEmail(t *testing.T) {
	srv := desttest.NewServer(t, oneContact, desttest.Reply{Status: 202})
	rs, err := run(t, srv, TrackEvent, desttest.Validate(t, Definition, "trackEvent",
		`{"event_name":"Signed Up","created_at":"2024-05-01T10:00:00Z","email":"lead@example.com","revenue":0}`))
	if err != nil || len(rs) != 2 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
	want(t, rs[0], "POST", "/contacts/search", `{"query":{"field":"email","operator":"=","value":"lead@example.com"}}`)
	want(t, rs[1], "POST", "/events", `{"event_name":"Signed Up","created_at":1714557600,"email":"lead@example.com","id":"66a1b2c3d4",`+
		`"metadata":{"price":{"amount":0,"currency":"USD"}}}`)
	// No unique contact: the event fails without being sent.
	srv = desttest.NewServer(t, twoContact)
	rs, err = run(t, srv, TrackEvent, desttest.Validate(t, Definition, "trackEvent", `{"event_name":"e","created_at":"2024-05-01T10:00:00Z","email":"x@example.com"}`))
	if destkit.Classify(err).Outcome != destkit.Fail || len(rs) != 1 {
		t.Fatalf("%v, %d requests", err, len(rs))
	}
}

func TestRejects(t *testing.T) {
	for name, tc := range map[string]struct{ action, payload, field string }{
		"identify without role":    {"identifyContact", `{"email":"a@example.com"}`, "role"},
		"identify bad role":        {"identifyContact", `{"role":"admin"}`, "role"},
		"identify bad email":       {"identifyContact", `{"role":"user","email":"nope"}`, "email"},
		"group without company":    {"groupIdentifyContact", `{"name":"Acme"}`, "company_id"},
		"track without name":       {"trackEvent", `{"created_at":"2024-05-01T10:00:00Z","user_id":"u"}`, "event_name"},
		"track without created_at": {"trackEvent", `{"event_name":"e","user_id":"u"}`, "created_at"},
	} {
		_, err := Definition.Action(tc.action).Validate([]byte(tc.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
		after time.Duration
	}{
		{desttest.Reply{Status: 400, Body: `{"type":"error.list","errors":[{"code":"parameter_invalid"}]}`}, destkit.Fail, 0},
		// 401: the token cannot be refreshed, so the event fails at once.
		{desttest.Reply{Status: 401, Body: `{"type":"error.list","errors":[{"code":"unauthorized"}]}`}, destkit.Fail, 0},
		{desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "10"}}, destkit.Retry, 10 * time.Second},
		{desttest.Reply{Status: 500}, destkit.Retry, 0},
		{desttest.Reply{Status: 503}, destkit.Retry, 0},
	} {
		for _, a := range Definition.Actions {
			srv := desttest.NewServer(t, tc.reply)
			p := desttest.Validate(t, Definition, a.Key, `{"role":"lead","company_id":"c","event_name":"e","created_at":"2024-05-01T10:00:00Z"}`)
			rs, err := run(t, srv, a, p)
			if v := destkit.Classify(err); v.Outcome != tc.want || v.RetryAfter != tc.after {
				t.Errorf("%s %d: %v (%v)", a.Key, tc.reply.Status, v, err)
			}
			var ae *destkit.AuthError
			if tc.reply.Status == 401 && (!errors.As(err, &ae) || len(rs) != 1) {
				t.Errorf("%s 401: %v, %d requests", a.Key, err, len(rs))
			}
		}
	}
}
