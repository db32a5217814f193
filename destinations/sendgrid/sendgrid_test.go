package sendgrid

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"sendGridApiKey": "SG.key", "endpoint": "https://api.eu.sendgrid.com"}

const identify = `{"type":"identify","userId":"user-1234","anonymousId":"anon-1","traits":{"email":"ada@example.com",` +
	`"first_name":"Ada","last_name":"Lovelace","phone":"+33612345678",` +
	`"address":{"city":"Lyon","state":"ARA","country":"France","postal_code":"69001","line1":"1 rue X"}}}`

// What Segment's implementation puts for this event with the default mapping.
const wantContact = `{"first_name":"Ada","last_name":"Lovelace","country":"France","postal_code":"69001","city":"Lyon",` +
	`"address_line_1":"1 rue X","phone_number":"+33612345678","phone_number_id":"+33612345678","anonymous_id":"anon-1",` +
	`"state_province_region":"ARA","email":"ada@example.com","custom_fields":{}}`

const fieldDefs = `{"custom_fields":[{"id":"e1_T","name":"plan","field_type":"Text"},{"id":"e2_N","name":"Seats","field_type":"Number"}],"reserved_fields":[]}`

func checkAuth(t *testing.T, r desttest.Recorded) {
	t.Helper()
	desttest.Header(t, r, "Authorization", "Bearer SG.key")
	desttest.Header(t, r, "Accept", "application/json")
}

func TestUpdateUserProfile(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: fieldDefs}, desttest.Reply{Status: 202, Body: `{"job_id":"j-1"}`})
	p := desttest.RenderDefault(t, Definition, "updateUserProfile", identify)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 || rs[0].Method != "GET" || rs[0].Path != "/v3/marketing/field_definitions" || rs[1].Method != "PUT" || rs[1].Path != "/v3/marketing/contacts" {
		t.Fatalf("requests %+v", rs)
	}
	checkAuth(t, rs[0])
	checkAuth(t, rs[1])
	desttest.Header(t, rs[1], "Content-Type", "application/json")
	desttest.JSONEqual(t, rs[1].Body, `{"contacts":[`+wantContact+`]}`)
}

func TestCustomFields(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: fieldDefs})
	p := desttest.Validate(t, Definition, "updateUserProfile", `{"primary_email":"a@b.co","state":null,`+
		`"customFields":{"PLAN":"pro","e2_N":3,"flags":null}}`)
	// "flags" is not a field of the account: the contact is refused.
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, p)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "customFields.flags" || len(srv.Requests()) != 1 {
		t.Fatalf("unknown custom field: %v", err)
	}
	srv = desttest.NewServer(t, desttest.Reply{Body: fieldDefs})
	p = desttest.Validate(t, Definition, "updateUserProfile", `{"primary_email":"a@b.co","state":null,`+
		`"customFields":{"PLAN":"pro","e2_N":3,"seats":true,"plan":{"tier":2}}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, p); err != nil {
		t.Fatal(err)
	}
	// Names become IDs (any case); booleans and objects are sent as JSON text.
	desttest.JSONEqual(t, srv.Requests()[1].Body, `{"contacts":[{"state_province_region":null,"email":"a@b.co",`+
		`"custom_fields":{"e1_T":"{\"tier\":2}","e2_N":"true"}}]}`)
}

func TestUpdateUserProfileBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{}`}, desttest.Reply{Status: 202})
	p := desttest.RenderDefault(t, Definition, "updateUserProfile", identify)
	noID := desttest.Validate(t, Definition, "updateUserProfile", `{"first_name":"Nobody"}`)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, [][]byte{p, noID, p})
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[2] != nil || !errors.As(errs[1], &pv) || pv.Field != "primary_email" {
		t.Fatalf("errors %v", errs)
	}
	rs := srv.Requests()
	if len(rs) != 2 || rs[1].Method != "PUT" {
		t.Fatalf("requests %+v", rs)
	}
	desttest.JSONEqual(t, rs[1].Body, `{"contacts":[`+wantContact+`,`+wantContact+`]}`)

	// A failing field definitions call fails every event with its status.
	srv = desttest.NewServer(t, desttest.Reply{Status: 503})
	errs = srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, [][]byte{p, p})
	for i, err := range errs {
		if destkit.Classify(err).Outcome != destkit.Retry {
			t.Errorf("%d: %v", i, err)
		}
	}
}

const order = `{"type":"track","event":"Order Completed","userId":"u-1","properties":{"email":"ada@example.com","name":"Ada"}}`

func TestSendEmail(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 12, 4, 3, 41, 28, 971e6, time.UTC) }
	for _, tc := range []struct {
		name, mapping, settingsURL, path, body string
	}{
		{"everything",
			`{"from":{"email":"shop@mail.example.com","name":"Shop"},"to":{"email":{"@path":"$.properties.email"},"name":{"@path":"$.properties.name"}},` +
				`"cc":[{"email":"cc@example.com"},{"name":"nobody"}],"headers":{"X-Order":42,"X-Flag":true},"dynamic_template_data":{"order":"o-9"},` +
				`"template_id":"d-0123456789abcdef Order Receipt","custom_args":{"n":1.5},"categories":["orders"],"group_id":"News [1234]",` +
				`"ip_pool_name":"transactional","domain":"example.com","send_at":"2026-12-04T04:41:28.971Z"}`,
			"https://api.eu.sendgrid.com", "/v3/mail/send",
			`{"personalizations":[{"to":[{"email":"ada@example.com","name":"Ada"}],"cc":[{"email":"cc@example.com"}],` +
				`"headers":{"X-Order":"42","X-Flag":"true"},"dynamic_template_data":{"order":"o-9"},"custom_args":{"n":"1.5"},"send_at":1796359288}],` +
				`"from":{"email":"shop@mail.example.com","name":"Shop"},"reply_to":{"email":"shop@mail.example.com","name":"Shop"},` +
				`"template_id":"d-0123456789abcdef","categories":["orders"],"asm":{"group_id":1234},"ip_pool_name":"transactional"}`},
		{"minimal",
			`{"from":{"email":"shop@example.com"},"to":{"email":{"@path":"$.properties.email"}},"template_id":"Welcome [d-abc]"}`,
			"", "/v3/mail/send",
			`{"personalizations":[{"to":[{"email":"ada@example.com"}],"headers":{}}],"from":{"email":"shop@example.com"},` +
				`"reply_to":{"email":"shop@example.com"},"template_id":"d-abc"}`},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: ""})
		s := map[string]any{"sendGridApiKey": "SG.key", "endpoint": tc.settingsURL}
		inst := desttest.Instance(t, Definition, s)
		p := desttest.Render(t, Definition, "sendEmail", destkit.JSON(tc.mapping), order)
		reqs, err := desttest.Perform(SendEmail, inst, p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		wantURL := "https://api.sendgrid.com/v3/mail/send"
		if tc.settingsURL != "" {
			wantURL = tc.settingsURL + "/v3/mail/send"
		}
		if reqs[0].URL != wantURL {
			t.Fatalf("%s: %s", tc.name, reqs[0].URL)
		}
		if err := srv.Client().Send(context.Background(), inst, SendEmail, p); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != tc.path {
			t.Fatalf("%s: got %s %s", tc.name, r.Method, r.Path)
		}
		checkAuth(t, r)
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestSendEmailValidation(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC) }
	base := `"from":{"email":"shop@example.com"},"to":{"email":"ada@example.com"}`
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "sendEmail", Payload: `{"to":{"email":"ada@example.com"},"template_id":"d-1"}`, Field: "from"},
		{Action: "sendEmail", Payload: `{"from":{"email":"shop@example.com"},"template_id":"d-1"}`, Field: "to"},
		{Action: "sendEmail", Payload: `{` + base + `}`, Field: "template_id"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"Welcome"}`, Field: "template_id"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"[abc]"}`, Field: "template_id"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","group_id":"News"}`, Field: "group_id"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","domain":"other.org"}`, Field: "domain"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","headers":{"Subject":"x"}}`, Field: "headers"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","categories":["` + strings.Repeat("c", 256) + `"]}`, Field: "categories"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","send_at":"2026-12-01T00:00:00Z"}`, Field: "send_at"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","send_at":"2026-12-08T00:00:00Z"}`, Field: "send_at"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","ip_pool_name":"ab"}`, Field: "ip_pool_name"},
		{Action: "sendEmail", Payload: `{` + base + `,"template_id":"d-1","ip_pool_name":"` + strings.Repeat("p", 64) + `"}`, Field: "ip_pool_name"},
		{Action: "sendEmail", Payload: `{"from":{"email":"not an email"},"to":{"email":"ada@example.com"},"template_id":"d-1"}`, Field: "from.email"},
	})
	desttest.RefusesEmpty(t, Definition, settings, SendEmail)
}

func TestIDParsing(t *testing.T) {
	for in, want := range map[string]int64{"123": 123, "123 - News": 123, "News [456]": 456} {
		if got, ok := groupID(in); !ok || got != want {
			t.Errorf("group %q: %d %v", in, got, ok)
		}
	}
	for in, want := range map[string]string{"d-1 Receipt": "d-1", "Receipt [d-2]": "d-2", "d-3": "d-3"} {
		if got, ok := templateID(in); !ok || got != want {
			t.Errorf("template %q: %q %v", in, got, ok)
		}
	}
}

func TestErrors(t *testing.T) {
	statuses := append(desttest.Statuses(`{"errors":[{"message":"bad"}]}`),
		desttest.Status{Reply: desttest.Reply{Status: 403}, Outcome: destkit.Fail})
	// Upsert Contact fails on its first call, the field definitions.
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		`{"primary_email":"a@b.co","from":{"email":"s@example.com"},"to":{"email":"a@b.co"},"template_id":"d-1"}`, statuses)
	// And on the upsert itself.
	for _, st := range statuses {
		srv := desttest.NewServer(t, desttest.Reply{Body: fieldDefs}, st.Reply)
		p := desttest.Validate(t, Definition, "updateUserProfile", `{"primary_email":"a@b.co"}`)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, p)
		if v := destkit.Classify(err); v.Outcome != st.Outcome || v.RetryAfter != st.RetryAfter {
			t.Errorf("upsert %d: %+v (%v)", st.Reply.Status, v, err)
		}
	}
}
