package pipedrive

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"domain": "acme", "apiToken": "pd token", "personField": "id", "organizationField": "id", "dealField": "id"}

// search is the query of an itemSearch/field lookup, as Segment sends it.
func search(term, field, fieldType string) string {
	return "api_token=pd+token&headers=%5Bobject+Object%5D&term=" + term + "&field_key=" + field +
		"&exact_match=true&field_type=" + fieldType + "&return_item_ids=true"
}

var (
	none    = desttest.Reply{Body: `{"success":true,"data":[]}`}
	foundID = func(id string) desttest.Reply {
		return desttest.Reply{Body: `{"success":true,"data":[{"id":` + id + `,"type":"person"}]}`}
	}
)

type want struct{ method, path, query, body string }

func run(t *testing.T, a *destkit.Action, p []byte, replies []desttest.Reply, wants []want) error {
	t.Helper()
	srv := desttest.NewServer(t, replies...)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
	rs := srv.Requests()
	if len(rs) != len(wants) {
		t.Fatalf("%d requests, want %d: %+v", len(rs), len(wants), rs)
	}
	for i, w := range wants {
		r := rs[i]
		if r.Method != w.method || r.Path != w.path || r.RawQuery != w.query {
			t.Fatalf("request %d: %s %s?%s, want %s %s?%s", i, r.Method, r.Path, r.RawQuery, w.method, w.path, w.query)
		}
		if w.body == "" {
			if len(r.Body) != 0 {
				t.Fatalf("request %d has a body: %s", i, r.Body)
			}
			continue
		}
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, w.body)
	}
	return err
}

const token = "api_token=pd+token"

func TestCreateUpdatePerson(t *testing.T) {
	ev := `{"type":"identify","userId":"u-1","traits":{"name":"Ada","email":"ada@example.com","phone":"+33 1 23"}}`
	for _, c := range []struct {
		name    string
		mapping string
		replies []desttest.Reply
		wants   []want
	}{
		{"found by id", string(CreateUpdatePerson.DefaultMapping()), []desttest.Reply{foundID("42")}, []want{
			{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
			{"PUT", "/api/v1/persons/42", token, `{"name":"Ada","email":["ada@example.com"],"phone":["+33 1 23"]}`},
		}},
		// Not found by a custom field: created with the match value in it,
		// custom fields last, overwriting name in place.
		{"created", `{"match_field":"abc123hash","match_value":{"@path":"$.userId"},"name":{"@path":"$.traits.name"},` +
			`"email":{"@path":"$.traits.email"},"phone":{"@path":"$.traits.phone"},"add_time":1700000000,"custom_fields":{"xyz":"v","name":"Over"}}`,
			[]desttest.Reply{none}, []want{
				{"GET", "/api/v1/itemSearch/field", search("u-1", "abc123hash", "personField"), ""},
				{"POST", "/api/v1/persons", token, `{"name":"Over","email":["ada@example.com"],"phone":["+33 1 23"],"add_time":"1700000000","abc123hash":"u-1","xyz":"v"}`},
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := desttest.Render(t, Definition, "createUpdatePerson", destkit.JSON(c.mapping), ev)
			if err := run(t, CreateUpdatePerson, p, c.replies, c.wants); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCustomFieldsKeepStandardPlaces: a custom field named like a standard
// field that was not mapped takes that field's place, as in Segment's
// object literal.
func TestCustomFieldsKeepStandardPlaces(t *testing.T) {
	p := desttest.Validate(t, Definition, "createUpdatePerson", `{"match_value":"u-1","name":"Ada","email":"ada@example.com","custom_fields":{"xyz":"v","add_time":"2026-01-01","name":"Over"}}`)
	if err := run(t, CreateUpdatePerson, p, []desttest.Reply{none}, []want{
		{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
		{"POST", "/api/v1/persons", token, `{"name":"Over","email":["ada@example.com"],"add_time":"2026-01-01","xyz":"v"}`},
	}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateUpdateOrganization(t *testing.T) {
	ev := `{"type":"group","groupId":"g 1","traits":{"name":"Acme"}}`
	m := `{"match_field":"orghash","match_value":{"@path":"$.groupId"},"name":{"@path":"$.traits.name"},"add_time":"2026-01-02 10:00:00","visible_to":"3"}`
	p := desttest.Render(t, Definition, "createUpdateOrganization", destkit.JSON(m), ev)
	if err := run(t, CreateUpdateOrganization, p, []desttest.Reply{none}, []want{
		{"GET", "/api/v1/itemSearch/field", search("g+1", "orghash", "organizationField"), ""},
		{"POST", "/api/v1/organizations", token, `{"name":"Acme","add_time":"2026-01-02 10:00:00","visible_to":"3","orghash":"g 1"}`},
	}); err != nil {
		t.Fatal(err)
	}
	p = desttest.RenderDefault(t, Definition, "createUpdateOrganization", ev)
	if err := run(t, CreateUpdateOrganization, p, []desttest.Reply{foundID("5")}, []want{
		{"GET", "/api/v1/itemSearch/field", search("g+1", "id", "organizationField"), ""},
		{"PUT", "/api/v1/organizations/5", token, `{"name":"Acme"}`},
	}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateUpdateDeal(t *testing.T) {
	ev := `{"type":"track","event":"Deal Upserted","userId":"u-1","context":{"groupId":"g-1"},` +
		`"properties":{"deal_id":"ext-9","title":"Big deal","value":"5000","currency":"EUR","stage_id":2,"success_probability":60}}`
	m := `{"deal_match_field":"dealhash","status":"open","custom_fields":{"abc":"x"},` + string(CreateUpdateDeal.DefaultMapping())[1:]
	p := desttest.Render(t, Definition, "createUpdateDeal", destkit.JSON(m), ev)
	if err := run(t, CreateUpdateDeal, p, []desttest.Reply{foundID("42"), none, none}, []want{
		{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
		{"GET", "/api/v1/itemSearch/field", search("g-1", "id", "organizationField"), ""},
		{"GET", "/api/v1/itemSearch/field", search("ext-9", "dealhash", "dealField"), ""},
		{"POST", "/api/v1/deals", token, `{"title":"Big deal","value":"5000","currency":"EUR","stage_id":2,"status":"open","probability":60,"person_id":42,"dealhash":"ext-9","abc":"x"}`},
	}); err != nil {
		t.Fatal(err)
	}
	// Found: updated by id, without the match field.
	if err := run(t, CreateUpdateDeal, p, []desttest.Reply{none, none, foundID("9001")}, []want{
		{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
		{"GET", "/api/v1/itemSearch/field", search("g-1", "id", "organizationField"), ""},
		{"GET", "/api/v1/itemSearch/field", search("ext-9", "dealhash", "dealField"), ""},
		{"PUT", "/api/v1/deals/9001", token, `{"title":"Big deal","value":"5000","currency":"EUR","stage_id":2,"status":"open","probability":60,"abc":"x"}`},
	}); err != nil {
		t.Fatal(err)
	}
	// Nothing related and no deal: nothing is created.
	p = desttest.RenderDefault(t, Definition, "createUpdateDeal", `{"type":"track","event":"Deal Upserted","userId":"u-1","properties":{"title":"Big deal"}}`)
	err := run(t, CreateUpdateDeal, p, []desttest.Reply{none}, []want{{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""}})
	if destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("%v", err)
	}
}

func TestCreateUpdateLead(t *testing.T) {
	ev := `{"type":"identify","userId":"u-1","traits":{"lead_id":"adf21080-0e10-11eb-879b-05d71fb426ec","title":"Lead A","amount":100,"currency":"USD"}}`
	p := desttest.RenderDefault(t, Definition, "createUpdateLead", ev)
	if err := run(t, CreateUpdateLead, p, []desttest.Reply{foundID("42")}, []want{
		{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
		{"PATCH", "/api/v1/leads/adf21080-0e10-11eb-879b-05d71fb426ec", token, `{"title":"Lead A","person_id":42,"value":{"amount":100,"currency":"USD"}}`},
	}); err != nil {
		t.Fatal(err)
	}
	// A new lead; an amount without a currency is not sent.
	p = desttest.RenderDefault(t, Definition, "createUpdateLead", `{"type":"identify","userId":"u-1","traits":{"title":"Lead B","amount":100}}`)
	if err := run(t, CreateUpdateLead, p, []desttest.Reply{foundID("42")}, []want{
		{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
		{"POST", "/api/v1/leads", token, `{"title":"Lead B","person_id":42}`},
	}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateUpdateActivity(t *testing.T) {
	ev := `{"type":"track","event":"Activity Upserted","userId":"u-1","context":{"groupId":"g-1"},` +
		`"properties":{"activity_id":7,"subject":"Call","type":"call","description":"Renewal terms","done":true,"due_date":"2026-03-05"}}`
	p := desttest.RenderDefault(t, Definition, "createUpdateActivity", ev)
	if err := run(t, CreateUpdateActivity, p, []desttest.Reply{foundID("42"), foundID("5")}, []want{
		{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
		{"GET", "/api/v1/itemSearch/field", search("g-1", "id", "organizationField"), ""},
		{"PUT", "/api/v1/activities/7", token, `{"subject":"Call","type":"call","public_description":"Renewal terms","due_date":"2026-03-05","done":1,"person_id":42,"org_id":5}`},
	}); err != nil {
		t.Fatal(err)
	}
	p = desttest.Validate(t, Definition, "createUpdateActivity", `{"subject":"Lunch","done":false}`)
	if err := run(t, CreateUpdateActivity, p, nil, []want{{"POST", "/api/v1/activities", token, `{"subject":"Lunch","done":0}`}}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateUpdateNote(t *testing.T) {
	ev := `{"type":"track","event":"Note Upserted","userId":"u-1","properties":{"content":"<b>Hi</b>","deal_id":"d 1"}}`
	p := desttest.RenderDefault(t, Definition, "createUpdateNote", ev)
	if err := run(t, CreateUpdateNote, p, []desttest.Reply{none, foundID("77")}, []want{
		{"GET", "/api/v1/itemSearch/field", search("u-1", "id", "personField"), ""},
		{"GET", "/api/v1/itemSearch/field", search("d+1", "id", "dealField"), ""},
		{"POST", "/api/v1/notes", token, `{"content":"<b>Hi</b>","deal_id":77}`},
	}); err != nil {
		t.Fatal(err)
	}
	p = desttest.Validate(t, Definition, "createUpdateNote", `{"content":"x","note_id":12}`)
	if err := run(t, CreateUpdateNote, p, nil, []want{{"PUT", "/api/v1/notes/12", token, `{"content":"x"}`}}); err != nil {
		t.Fatal(err)
	}
	p = desttest.Validate(t, Definition, "createUpdateNote", `{"content":"x"}`)
	if err := run(t, CreateUpdateNote, p, nil, nil); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("orphan note: %v", err)
	}
}

// TestSearchFailures: a retryable search failure retries the event without
// creating anything; another failure counts as "not found", as in Segment.
func TestSearchFailures(t *testing.T) {
	p := desttest.Validate(t, Definition, "createUpdatePerson", `{"match_value":"u-1","name":"Ada"}`)
	for _, c := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
		after time.Duration
		n     int
	}{
		{desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "10"}}, destkit.Retry, 10 * time.Second, 1},
		{desttest.Reply{Status: 503}, destkit.Retry, 0, 1},
		{desttest.Reply{Status: 401}, destkit.Fail, 0, 1},
		{desttest.Reply{Status: 400, Body: `{"success":false,"error":"bad field"}`}, destkit.Delivered, 0, 2},
	} {
		srv := desttest.NewServer(t, c.reply)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), CreateUpdatePerson, p)
		if v := destkit.Classify(err); v.Outcome != c.want || v.RetryAfter != c.after || len(srv.Requests()) != c.n {
			t.Errorf("%d: %v after %v, %d requests (%v)", c.reply.Status, v.Outcome, v.RetryAfter, len(srv.Requests()), err)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	p := desttest.Validate(t, Definition, "createUpdatePerson", `{"match_value":"u-1","name":"Ada"}`)
	for _, c := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
	}{
		{desttest.Reply{Status: 400}, destkit.Fail},
		{desttest.Reply{Status: 401}, destkit.Fail},
		{desttest.Reply{Status: 429}, destkit.Retry},
		{desttest.Reply{Status: 500}, destkit.Retry},
	} {
		srv := desttest.NewServer(t, none, c.reply)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), CreateUpdatePerson, p)
		if got := destkit.Classify(err).Outcome; got != c.want {
			t.Errorf("%d: %v (%v)", c.reply.Status, got, err)
		}
	}
}

// TestDomainIsOneLabel: the domain setting cannot redirect requests.
func TestDomainIsOneLabel(t *testing.T) {
	var urls []string
	d := destkit.DoerFunc(func(_ context.Context, r *destkit.Request) (*destkit.Response, error) {
		urls = append(urls, r.URL)
		return &destkit.Response{Status: 200, Body: []byte(`{"data":[]}`)}, nil
	})
	p := parse(t, desttest.Validate(t, Definition, "createUpdatePerson", `{"match_value":"u-1"}`))
	for _, domain := range []string{"evil.com/x?", "a.b", "-a", "acme.pipedrive.com#"} {
		inst := desttest.Instance(t, Definition, map[string]any{"domain": domain, "apiToken": "t"})
		err := createUpdatePerson(context.Background(), d, &destkit.Input{Payload: p, Settings: inst.Settings})
		var ae *destkit.AuthError
		if !errors.As(err, &ae) || len(urls) != 0 {
			t.Errorf("%q: %v, %v", domain, err, urls)
		}
	}
	inst := desttest.Instance(t, Definition, settings)
	if err := createUpdatePerson(context.Background(), d, &destkit.Input{Payload: p, Settings: inst.Settings}); err != nil {
		t.Fatal(err)
	}
	if urls[1] != "https://acme.pipedrive.com/api/v1/persons?api_token=pd+token" {
		t.Fatal(urls)
	}
}

func TestRejectsIncompletePayloads(t *testing.T) {
	for _, c := range []struct {
		a              *destkit.Action
		field, payload string
	}{
		{CreateUpdatePerson, "match_value", `{"name":"Ada"}`},
		{CreateUpdateOrganization, "visible_to", `{"match_value":"g","visible_to":"2"}`},
		{CreateUpdateDeal, "title", `{"deal_match_value":"d"}`},
		{CreateUpdateLead, "title", `{"lead_id":"x"}`},
		{CreateUpdateNote, "content", `{"note_id":3}`},
		{CreateUpdateActivity, "activity_id", `{"activity_id":"seven"}`},
	} {
		_, err := c.a.Validate([]byte(c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field {
			t.Errorf("%s %s: %v", c.a.Key, c.field, err)
		}
	}
}

func TestFormEncode(t *testing.T) {
	if got := formEncode("a b*~'/é-._"); got != "a+b*%7E%27%2F%C3%A9-._" {
		t.Fatal(got)
	}
}
