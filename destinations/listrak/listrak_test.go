package listrak

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"client_id": "lt-client", "client_secret": "lt-secret"}

// withToken is settings with an access token already granted.
var withToken = map[string]any{"client_id": "lt-client", "client_secret": "lt-secret", "oauth": map[string]any{"access_token": "tok-1"}}

const audienceEvent = `{"type":"identify","userId":"u-1","traits":{"email":"ada@example.com","vip_buyers":true},` +
	`"context":{"personas":{"computation_key":"vip_buyers"}}}`

func TestMain(m *testing.M) {
	now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
	m.Run()
}

func render(t *testing.T, event, fields string) []byte {
	t.Helper()
	return desttest.Render(t, Definition, "updateEmailContactProfileFields",
		destkit.JSON(`{"listId":42,"profileFieldValues":`+fields+`,`)+destkit.JSON(UpdateEmailContactProfileFields.DefaultMapping()[1:]), event)
}

func TestUpdateEmailContactProfileFields(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"status":201,"resourceId":"imp-1"}`})
	p := render(t, audienceEvent, `{"1001":"useAudienceKey","1002":"off","abc":"on","0":"on","1003":7}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, withToken), UpdateEmailContactProfileFields, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/email/v1/List/42/Contact/SegmentationField" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer tok-1")
	desttest.Header(t, r, "Content-Type", "application/json")
	// The member of the audience turns useAudienceKey on; keys that are not
	// field IDs (abc, 0) are left out; values are sent as text.
	desttest.JSONEqual(t, r.Body, `[{"emailAddress":"ada@example.com","segmentationFieldValues":[`+
		`{"segmentationFieldId":1001,"value":"on"},{"segmentationFieldId":1002,"value":"off"},{"segmentationFieldId":1003,"value":"7"}]}]`)
}

func TestBatchByList(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201}, desttest.Reply{Status: 400, Body: `{"message":"bad list"}`})
	left := `{"type":"identify","userId":"u-2","traits":{"email":"sam@example.com","vip_buyers":false},"context":{"personas":{"computation_key":"vip_buyers"}}}`
	a := render(t, audienceEvent, `{"1001":"useAudienceKey"}`)
	b := desttest.Render(t, Definition, "updateEmailContactProfileFields", `{"listId":7,"emailAddress":{"@path":"$.traits.email"},"profileFieldValues":{"1001":"useAudienceKey"},"enable_batching":true}`, left)
	c := render(t, left, `{"1001":"useAudienceKey"}`)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, withToken), UpdateEmailContactProfileFields, [][]byte{a, b, c})
	rs := srv.Requests()
	// List 7 before list 42; without an audience key, useAudienceKey is sent as written.
	if len(rs) != 2 || rs[0].Path != "/email/v1/List/7/Contact/SegmentationField" || rs[1].Path != "/email/v1/List/42/Contact/SegmentationField" {
		t.Fatalf("requests %+v", rs)
	}
	desttest.JSONEqual(t, rs[0].Body, `[{"emailAddress":"sam@example.com","segmentationFieldValues":[{"segmentationFieldId":1001,"value":"useAudienceKey"}]}]`)
	desttest.JSONEqual(t, rs[1].Body, `[{"emailAddress":"ada@example.com","segmentationFieldValues":[{"segmentationFieldId":1001,"value":"on"}]},`+
		`{"emailAddress":"sam@example.com","segmentationFieldValues":[{"segmentationFieldId":1001,"value":"off"}]}]`)
	if errs[1] != nil || destkit.Classify(errs[0]).Outcome != destkit.Fail || destkit.Classify(errs[2]).Outcome != destkit.Fail {
		t.Fatalf("errors %v", errs)
	}
}

func TestClientCredentials(t *testing.T) {
	// No token yet: one is fetched with the client credentials; a 401 then
	// fetches a new one and the event is sent again.
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"access_token":"tok-A","token_type":"Bearer","expires_in":3600}`},
		desttest.Reply{Status: 401, Body: `{"message":"expired"}`},
		desttest.Reply{Body: `{"access_token":"tok-B","expires_in":3600}`},
		desttest.Reply{Status: 201})
	p := render(t, audienceEvent, `{"1001":"on"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateEmailContactProfileFields, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 || rs[0].Path != "/OAuth2/Token" || rs[2].Path != "/OAuth2/Token" {
		t.Fatalf("requests %+v", rs)
	}
	desttest.Header(t, rs[0], "Content-Type", "application/x-www-form-urlencoded")
	form, _ := url.ParseQuery(string(rs[0].Body))
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != "lt-client" || form.Get("client_secret") != "lt-secret" {
		t.Fatalf("token form %v", form)
	}
	desttest.Header(t, rs[1], "Authorization", "Bearer tok-A")
	desttest.Header(t, rs[3], "Authorization", "Bearer tok-B")

	// Refused credentials need a person.
	srv = desttest.NewServer(t, desttest.Reply{Status: 401, Body: `{"error":"invalid_client"}`})
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateEmailContactProfileFields, p)
	var ae *destkit.AuthError
	if !errors.As(err, &ae) || destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("refused credentials: %v", err)
	}
}

func TestParseInt(t *testing.T) {
	for in, want := range map[string]float64{"12": 12, " 7x": 7, "-3": -3, "0x1A": 26, "+5": 5} {
		if got, ok := parseInt(in); !ok || got != want {
			t.Errorf("parseInt(%q) = %v %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "abc", "0x", "-"} {
		if _, ok := parseInt(in); ok {
			t.Errorf("parseInt(%q) is a number", in)
		}
	}
}

func TestRefusesAndErrors(t *testing.T) {
	desttest.Refuses(t, Definition, withToken, []desttest.Invalid{
		{Action: "updateEmailContactProfileFields", Payload: `{"listId":1,"emailAddress":"not-an-email","profileFieldValues":{"1":"on"}}`, Field: "emailAddress"},
		{Action: "updateEmailContactProfileFields", Payload: `{"emailAddress":"a@b.co","profileFieldValues":{"1":"on"}}`, Field: "listId"},
	})
	desttest.RefusesEmpty(t, Definition, withToken, UpdateEmailContactProfileFields)
	payload := `{"listId":1,"emailAddress":"a@b.co","profileFieldValues":{"1":"on"},"enable_batching":true}`
	statuses := desttest.Statuses(`{"message":"bad list"}`)
	desttest.ErrorPaths(t, Definition, withToken, Definition.Actions, payload, statuses[2:])
	desttest.BatchErrorPaths(t, Definition, withToken, Definition.Actions, payload, statuses[2:])
}

func TestFieldValuesAsText(t *testing.T) {
	// Values are sent as JavaScript's String() writes them; a membership
	// that is not a boolean leaves useAudienceKey as written.
	p := desttest.Validate(t, Definition, "updateEmailContactProfileFields", `{"listId":1,"emailAddress":"a@b.co","enable_batching":true,`+
		`"profileFieldValues":{"1":true,"2":null,"3":["x",null,2.5],"4":{"a":1},"5":"useAudienceKey","6":1e21},`+
		`"segment_audience_key":"vip","traits_or_props":{"vip":"yes"}}`)
	reqs, err := desttest.Perform(UpdateEmailContactProfileFields, desttest.Instance(t, Definition, withToken), p)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, reqs[0].Body, `[{"emailAddress":"a@b.co","segmentationFieldValues":[{"segmentationFieldId":1,"value":"true"},`+
		`{"segmentationFieldId":2,"value":"null"},{"segmentationFieldId":3,"value":"x,,2.5"},{"segmentationFieldId":4,"value":"[object Object]"},`+
		`{"segmentationFieldId":5,"value":"useAudienceKey"},{"segmentationFieldId":6,"value":"1e+21"}]}]`)
}
