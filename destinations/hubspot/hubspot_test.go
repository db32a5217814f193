package hubspot

import (
	"context"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"portalId": "4242", "oauth": map[string]any{
		"access_token": "at-1", "refresh_token": "rt-1", "clientId": "cid", "clientSecret": "csecret",
	}}
}

const identify = `{"type":"identify","userId":"user-1234","traits":{"email":"ada@example.com","firstName":"Ada",` +
	`"lastName":"Lovelace","company":"Analytical Engines","phone":"+33 6 12 34 56 78",` +
	`"address":{"city":"Lyon","country":"France","postalCode":"69001"},"website":"https://ada.example"}}`

const wantProperties = `{"email":"ada@example.com","company":"Analytical Engines","firstname":"Ada","lastname":"Lovelace",` +
	`"phone":"+33 6 12 34 56 78","city":"Lyon","country":"France","zip":"69001","website":"https://ada.example"}`

func TestUpsertContactUpdatesExisting(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 200, Body: `{"id":"51"}`})
	p := desttest.RenderDefault(t, Definition, "upsertContact", identify)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpsertContact, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "PATCH" || r.Path != "/crm/v3/objects/contacts/ada@example.com" || r.RawQuery != "idProperty=email" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.JSONEqual(t, r.Body, `{"properties":`+wantProperties+`}`)
}

func TestUpsertContactCreatesOn404(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"status":"error","category":"OBJECT_NOT_FOUND"}`},
		desttest.Reply{Status: 201, Body: `{"id":"52"}`})
	p := desttest.RenderDefault(t, Definition, "upsertContact", identify)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpsertContact, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 || rs[1].Method != "POST" || rs[1].Path != "/crm/v3/objects/contacts" {
		t.Fatalf("%+v", rs)
	}
	desttest.Header(t, rs[1], "Authorization", "Bearer at-1")
	desttest.JSONEqual(t, rs[1].Body, `{"properties":`+wantProperties+`}`)
}

// A 401 refreshes the token through HubSpot's token endpoint and the whole
// action runs again with the new token.
func TestUpsertContactRefreshesTokenOn401(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 401, Body: `{"status":"error","category":"EXPIRED_AUTHENTICATION"}`},
		desttest.Reply{Status: 200, Body: `{"access_token":"at-2","refresh_token":"rt-2","expires_in":1800}`},
		desttest.Reply{Status: 200, Body: `{"id":"51"}`})
	p := desttest.Validate(t, Definition, "upsertContact", `{"email":"ada@example.com","lifecyclestage":"Customer"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpsertContact, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.Header(t, rs[0], "Authorization", "Bearer at-1")
	if rs[1].Method != "POST" || rs[1].Path != "/oauth/v1/token" {
		t.Fatalf("refresh went to %s %s", rs[1].Method, rs[1].Path)
	}
	desttest.Header(t, rs[1], "Authorization", "")
	form, _ := url.ParseQuery(string(rs[1].Body))
	if form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != "rt-1" ||
		form.Get("client_id") != "cid" || form.Get("client_secret") != "csecret" {
		t.Fatalf("refresh form %v", form)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer at-2")
	desttest.JSONEqual(t, rs[2].Body, `{"properties":{"email":"ada@example.com","lifecyclestage":"customer"}}`)
}

func TestUpsertContactBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	ps := [][]byte{
		desttest.Validate(t, Definition, "upsertContact", `{"email":"a@example.com","firstname":"A","properties":{"plan":"pro"}}`),
		desttest.Validate(t, Definition, "upsertContact", `{"email":"b@example.com","lastname":"B"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), UpsertContact, ps)
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/crm/v3/objects/contacts/batch/upsert" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"inputs":[`+
		`{"idProperty":"email","id":"a@example.com","properties":{"email":"a@example.com","firstname":"A","plan":"pro"}},`+
		`{"idProperty":"email","id":"b@example.com","properties":{"email":"b@example.com","lastname":"B"}}]}`)
}

func TestUpsertContactBatchErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 429: destkit.Retry, 502: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		ps := [][]byte{desttest.Validate(t, Definition, "upsertContact", `{"email":"a@example.com"}`)}
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), UpsertContact, ps)
		if got := destkit.Classify(errs[0]).Outcome; got != want {
			t.Errorf("%d: %v (%v)", status, got, errs[0])
		}
	}
}

func TestSendCustomBehavioralEvent(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 204})
	p := desttest.Render(t, Definition, "sendCustomBehavioralEvent",
		destkit.JSON(`{"eventName":"pe4242_song_played","occurredAt":{"@path":"$.timestamp"},`+
			`"email":{"@path":"$.context.traits.email"},"properties":{"@path":"$.properties"}}`),
		`{"type":"track","event":"Song Played","timestamp":"2024-05-01T10:00:00.000Z","properties":{"song":"Blue"},`+
			`"context":{"traits":{"email":"ada@example.com"}}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), SendCustomBehavioralEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/events/v3/send" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.JSONEqual(t, r.Body, `{"eventName":"pe4242_song_played","occurredAt":"2024-05-01T10:00:00.000Z",`+
		`"email":"ada@example.com","properties":{"song":"Blue"}}`)
}

func TestSendCustomBehavioralEventNeedsAnIdentity(t *testing.T) {
	p := desttest.Validate(t, Definition, "sendCustomBehavioralEvent", `{"eventName":"pe1_x"}`)
	err := destkit.NewClient().Send(context.Background(), desttest.Instance(t, Definition, settings()), SendCustomBehavioralEvent, p)
	if destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
}

func TestRefreshRejectedIsAuthError(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Status: 400, Body: `{"status":"BAD_REFRESH_TOKEN"}`})
	p := desttest.Validate(t, Definition, "sendCustomBehavioralEvent", `{"eventName":"pe1_x","email":"a@b.c"}`)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), SendCustomBehavioralEvent, p)
	if v := destkit.Classify(err); v.Outcome != destkit.Fail {
		t.Fatalf("%v %v", v, err)
	}
}

func BenchmarkUpsertContactBatch100(b *testing.B) {
	inst, _ := destkit.NewInstance("b", Definition, settings())
	raw := []byte(`{"email":"ada@example.com","firstname":"Ada","lastname":"Lovelace","company":"Analytical Engines",` +
		`"city":"Lyon","country":"France","lifecyclestage":"Customer","properties":{"plan":"pro"}}`)
	in := &destkit.BatchInput{Settings: inst.Settings}
	for range 100 {
		in.Payloads = append(in.Payloads, mustParse(raw))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := upsertContactBatch(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/event")
}
