package emarsys

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"api_user": "acme001", "api_password": "emarsys-secret"}

const ok = `{"replyCode":0,"replyText":"OK","data":{}}`

const identify = `{"type":"identify","userId":"user-1","traits":{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com"}}`

func TestMain(m *testing.M) {
	now = func() time.Time { return time.Date(2026, 3, 2, 10, 15, 42, 500e6, time.UTC) }
	newNonce = func() string { return "0123456789abcdef0123456789abcdef" }
	m.Run()
}

// The digest is base64 of the hex SHA-1 of nonce, time and secret, as
// Emarsys documents (checked against Node's crypto).
const wantWSSE = `UsernameToken Username="acme001", PasswordDigest="Y2FhMDcxNTVlMmNlMWQ4YTI0N2RhMjViNzQ4Mzk1YWM1NzhiNzUwZg==", ` +
	`Nonce="0123456789abcdef0123456789abcdef", Created="2026-03-02T10:15:42.500Z"`

func sendOne(t *testing.T, a *destkit.Action, p []byte, replies ...desttest.Reply) (desttest.Recorded, error) {
	t.Helper()
	srv := desttest.NewServer(t, replies...)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p)
	r := srv.Only(t)
	desttest.Header(t, r, "X-WSSE", wantWSSE)
	return r, err
}

func expect(t *testing.T, r desttest.Recorded, method, path, query, body string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != query {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

func TestUpsertContact(t *testing.T) {
	p := desttest.Render(t, Definition, "upsertContact", `{"key_field":"3","key_value":{"@path":"$.traits.email"},`+
		`"write_field":{"2":{"@path":"$.traits.lastName"},"1":{"@path":"$.traits.firstName"},"3":{"@path":"$.traits.email"},"plan_x":"pro"}}`, identify)
	r, err := sendOne(t, UpsertContact, p, desttest.Reply{Body: ok})
	if err != nil {
		t.Fatal(err)
	}
	// Field IDs in ascending order, as a JavaScript object holds them.
	expect(t, r, "PUT", "/api/v2/contact/", "create_if_not_exists=1",
		`{"key_id":"3","contacts":[{"1":"Ada","2":"Lovelace","3":"ada@example.com","plan_x":"pro"}]}`)
}

func TestReplyCode(t *testing.T) {
	p := desttest.Validate(t, Definition, "upsertContact", `{"key_field":"3","key_value":"a@b.co","write_field":{"1":"A"}}`)
	_, err := sendOne(t, UpsertContact, p, desttest.Reply{Body: `{"replyCode":2008,"replyText":"No contact found with the external id: 3 - a@b.co","data":""}`})
	var ie *destkit.IntegrationError
	if !errors.As(err, &ie) || destkit.Classify(err).Outcome != destkit.Fail || ie.Message != "upsertContact: Emarsys refused the request: No contact found with the external id: 3 - a@b.co" {
		t.Fatalf("replyCode 2008: %v", err)
	}
	if _, err := sendOne(t, UpsertContact, p, desttest.Reply{Body: `<html>`}); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("not JSON: %v", err)
	}
}

func TestContactLists(t *testing.T) {
	p := desttest.Validate(t, Definition, "addToContactList", `{"contactlistid":742,"key_field":"3","key_value":"ada@example.com"}`)
	r, err := sendOne(t, AddToContactList, p, desttest.Reply{Body: ok})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, r, "POST", "/api/v2/contactlist/742/add", "", `{"key_id":"3","external_ids":["ada@example.com"]}`)
	r, err = sendOne(t, RemoveFromContactList, p, desttest.Reply{Body: ok})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, r, "POST", "/api/v2/contactlist/742/delete", "", `{"contactlistid":742,"key_id":"3","external_ids":["ada@example.com"]}`)
}

func TestTriggerEvent(t *testing.T) {
	p := desttest.Validate(t, Definition, "triggerEvent", `{"eventid":"1201","key_field":"3","key_value":"ada@example.com","event_payload":{"order":"ord-1"}}`)
	r, err := sendOne(t, TriggerEvent, p, desttest.Reply{Body: ok})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, r, "POST", "/api/v2/event/1201/trigger", "", `{"key_id":"3","external_id":"ada@example.com","data":{"order":"ord-1"}}`)
	p = desttest.Validate(t, Definition, "triggerEvent", `{"eventid":1201,"key_field":"3","key_value":"ada@example.com"}`)
	r, _ = sendOne(t, TriggerEvent, p, desttest.Reply{Body: ok})
	desttest.JSONEqual(t, r.Body, `{"key_id":"3","external_id":"ada@example.com","data":null}`)
}

func TestBatches(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: ok}, desttest.Reply{Body: `{"replyCode":1,"replyText":"bad"}`})
	inst := desttest.Instance(t, Definition, settings)
	ev := func(list int, field, value string) []byte {
		return desttest.Validate(t, Definition, "triggerEvent", `{"eventid":`+strconv.Itoa(list)+`,"key_field":"`+field+`","key_value":"`+value+`"}`)
	}
	errs := srv.Client().SendBatch(context.Background(), inst, TriggerEvent,
		[][]byte{ev(7, "3", "a@x.co"), ev(7, "3", "b@x.co"), ev(0, "3", "c@x.co"), ev(9, "3", "d@x.co")})
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	expect(t, rs[0], "POST", "/api/v2/event/7/trigger", "", `{"key_id":"3","contacts":[{"external_id":"a@x.co","data":null},{"external_id":"b@x.co","data":null}]}`)
	expect(t, rs[1], "POST", "/api/v2/event/9/trigger", "", `{"key_id":"3","contacts":[{"external_id":"d@x.co","data":null}]}`)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[1] != nil || !errors.As(errs[2], &pv) || pv.Field != "eventid" || destkit.Classify(errs[3]).Outcome != destkit.Fail {
		t.Fatalf("errors %v", errs)
	}

	// Upserts group by key field, groups in a JavaScript object's key order:
	// the integer-like field ID "3" before "email_hash".
	srv = desttest.NewServer(t, desttest.Reply{Body: ok}, desttest.Reply{Body: ok})
	up := func(field, value string) []byte {
		return desttest.Validate(t, Definition, "upsertContact", `{"key_field":"`+field+`","key_value":"`+value+`","write_field":{"1":"N"}}`)
	}
	errs = srv.Client().SendBatch(context.Background(), inst, UpsertContact, [][]byte{up("email_hash", "h1"), up("3", "a@x.co"), up("email_hash", "h2")})
	rs = srv.Requests()
	if len(rs) != 2 || errs[0] != nil || errs[1] != nil || errs[2] != nil {
		t.Fatalf("%d requests, errors %v", len(rs), errs)
	}
	expect(t, rs[0], "PUT", "/api/v2/contact/", "create_if_not_exists=1", `{"key_id":"3","contacts":[{"1":"N","3":"a@x.co"}]}`)
	expect(t, rs[1], "PUT", "/api/v2/contact/", "create_if_not_exists=1", `{"key_id":"email_hash","contacts":[{"1":"N","email_hash":"h1"},{"1":"N","email_hash":"h2"}]}`)

	srv = desttest.NewServer(t, desttest.Reply{Body: ok})
	lp := desttest.Validate(t, Definition, "removeFromContactList", `{"contactlistid":742,"key_field":"3","key_value":"a@x.co"}`)
	lq := desttest.Validate(t, Definition, "removeFromContactList", `{"contactlistid":742,"key_field":"3","key_value":"b@x.co"}`)
	srv.Client().SendBatch(context.Background(), inst, RemoveFromContactList, [][]byte{lp, lq})
	expect(t, srv.Only(t), "POST", "/api/v2/contactlist/742/delete", "", `{"key_id":"3","external_ids":["a@x.co","b@x.co"]}`)
}

func TestDynamicFields(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"replyCode":0,"data":[{"id":742,"name":"Newsletter"},{"id":743,"name":"VIP"}]}`},
		desttest.Reply{Body: `{"replyCode":0,"data":[{"id":3,"name":"Email"},{"id":1,"name":"First Name"}]}`})
	inst := desttest.Instance(t, Definition, settings)
	lists, err := srv.Client().FieldChoices(context.Background(), inst, AddToContactList, "contactlistid", nil)
	if err != nil || len(lists) != 2 || lists[0] != (destkit.Choice{Value: 742, Label: "Newsletter"}) {
		t.Fatalf("lists %v %v", lists, err)
	}
	fields, err := srv.Client().FieldChoices(context.Background(), inst, UpsertContact, "key_field", nil)
	if err != nil || len(fields) != 2 || fields[0] != (destkit.Choice{Value: "3", Label: "Email"}) {
		t.Fatalf("fields %v %v", fields, err)
	}
	rs := srv.Requests()
	if rs[0].Method != "GET" || rs[0].Path != "/api/v2/contactlist" || rs[1].Path != "/api/v2/field/translate/en" {
		t.Fatalf("requests %+v", rs)
	}
	desttest.Header(t, rs[0], "X-WSSE", wantWSSE)
}

func TestRefusesAndErrors(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "upsertContact", Payload: `{"key_field":"3","key_value":"a@b.co"}`, Field: "write_field"},
		{Action: "addToContactList", Payload: `{"contactlistid":"abc","key_field":"3","key_value":"a"}`, Field: "contactlistid"},
		{Action: "triggerEvent", Payload: `{"eventid":1,"key_field":"3"}`, Field: "key_value"},
	})
	for _, a := range Definition.Actions {
		p := `{"contactlistid":0,"eventid":0,"key_field":"3","key_value":"a@b.co","write_field":{}}`
		err := destkit.NewClient().Send(context.Background(), desttest.Instance(t, Definition, settings), a, desttest.Validate(t, Definition, a.Key, p))
		var pv *destkit.PayloadValidationError
		if a != UpsertContact && (!errors.As(err, &pv) || pv.Field == "") {
			t.Errorf("%s: id 0: %v", a.Key, err)
		}
	}
	payload := `{"contactlistid":742,"eventid":1201,"key_field":"3","key_value":"a@b.co","write_field":{"1":"A"}}`
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, payload, desttest.Statuses(`{"replyCode":1,"replyText":"bad"}`))
	desttest.BatchErrorPaths(t, Definition, settings, Definition.Actions, payload, desttest.Statuses(`{"replyCode":1,"replyText":"bad"}`))
}
