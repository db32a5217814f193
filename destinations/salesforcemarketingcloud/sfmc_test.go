package salesforcemarketingcloud

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const sub = "mc563885gzs27c5t9-63k636ttgm"

// settings holds an access token, as an instance that has sent before.
func settings() map[string]any {
	return map[string]any{"subdomain": sub, "account_id": "510000123", "client_id": "cid", "client_secret": "csecret",
		"oauth": map[string]any{"access_token": "at-1"}}
}

const identify = `{"type":"identify","userId":"u-1","messageId":"m-1","traits":{"email":"ada@example.com","plan":"pro"}}`

func send(t *testing.T, srv *desttest.Server, s map[string]any, a *destkit.Action, p []byte) {
	t.Helper()
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), a, p); err != nil {
		t.Fatal(err)
	}
}

func wantRequest(t *testing.T, r desttest.Recorded, method, path, body string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want %s %s", r.Method, r.Path, r.RawQuery, method, path)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

// The host is the tenant's: the redirect keeps the path, so the host is
// checked on the request the action builds.
func TestContactDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"operationStatus":"OK"}`})
	p := desttest.RenderDefault(t, Definition, "contact", identify)
	send(t, srv, settings(), Contact, p)
	wantRequest(t, srv.Only(t), "POST", "/contacts/v1/contacts", `{"contactKey":"u-1","attributeSets":[]}`)
	reqs, err := desttest.Perform(Contact, desttest.Instance(t, Definition, settings()), p)
	if err != nil || reqs[0].URL != "https://"+sub+".rest.marketingcloudapis.com/contacts/v1/contacts" {
		t.Fatalf("%v %v", reqs, err)
	}
}

// With no token yet, the client-credentials grant runs first at the
// tenant's auth host; a 401 later gets a new token the same way.
func TestTokenFromClientCredentials(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"access_token":"at-1","token_type":"Bearer","expires_in":1079,"scope":"data_extensions_read","soap_instance_url":"https://x/","rest_instance_url":"https://y/"}`},
		desttest.Reply{Status: 201},
		desttest.Reply{Status: 401, Body: `{"message":"Not Authorized","errorcode":0}`},
		desttest.Reply{Body: `{"access_token":"at-2","expires_in":1079}`},
		desttest.Reply{Status: 201})
	s := settings()
	delete(s, "oauth")
	inst := desttest.Instance(t, Definition, s)
	p := desttest.RenderDefault(t, Definition, "contact", identify)
	c := srv.Client()
	for i := 0; i < 2; i++ {
		if err := c.Send(context.Background(), inst, Contact, p); err != nil {
			t.Fatal(err)
		}
	}
	rs := srv.Requests()
	if len(rs) != 5 {
		t.Fatalf("%d requests", len(rs))
	}
	for _, i := range []int{0, 3} {
		r := rs[i]
		if r.Method != "POST" || r.Path != "/v2/token" {
			t.Fatalf("token request %d: %s %s", i, r.Method, r.Path)
		}
		desttest.Header(t, r, "Content-Type", "application/x-www-form-urlencoded")
		form, _ := url.ParseQuery(string(r.Body))
		if form.Encode() != "account_id=510000123&client_id=cid&client_secret=csecret&grant_type=client_credentials" {
			t.Fatalf("token form %v", form)
		}
	}
	wantRequest(t, rs[1], "POST", "/contacts/v1/contacts", `{"contactKey":"u-1","attributeSets":[]}`)
	desttest.Header(t, rs[4], "Authorization", "Bearer at-2")
	// A refused grant needs a person.
	bad := desttest.NewServer(t, desttest.Reply{Status: 401, Body: `{"error":"invalid_client"}`})
	err := bad.Client().Send(context.Background(), desttest.Instance(t, Definition, s), Contact, p)
	if v := destkit.Classify(err); v.Outcome != destkit.Fail || strings.Contains(err.Error(), "csecret") {
		t.Fatalf("%v (%v)", v, err)
	}
}

// A subdomain that would move the token or the secret to another host is
// refused before anything is sent.
func TestSubdomainRefused(t *testing.T) {
	for _, bad := range []string{"mc123.attacker.com", "attacker.com/", "mc123@attacker.com", "mc123.attacker.com#", "mc123?", "mc123:8080", "mc 123", "mc123/../../evil", "-mc", ""} {
		srv := desttest.NewServer(t)
		s := settings()
		s["subdomain"] = bad
		inst, err := destkit.NewInstance("i", Definition, s)
		if err != nil {
			continue // refused by the settings already
		}
		err = srv.Client().Send(context.Background(), inst, Contact, desttest.RenderDefault(t, Definition, "contact", identify))
		if destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
			t.Errorf("%q: %v, %d requests", bad, err, len(srv.Requests()))
		}
		delete(s, "oauth")
		inst, _ = destkit.NewInstance("j", Definition, s)
		err = srv.Client().Send(context.Background(), inst, Contact, desttest.RenderDefault(t, Definition, "contact", identify))
		if destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
			t.Errorf("%q (token): %v, %d requests", bad, err, len(srv.Requests()))
		}
	}
}

func TestAPIEvent(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"eventInstanceId":"e-1"}`})
	p := desttest.Render(t, Definition, "apiEvent", `{"eventDefinitionKey":"APIEvent-abc","contactKey":{"@path":"$.userId"},"data":{"plan":{"@path":"$.traits.plan"}}}`, identify)
	send(t, srv, settings(), APIEvent, p)
	wantRequest(t, srv.Only(t), "POST", "/interaction/v1/events", `{"eventDefinitionKey":"APIEvent-abc","contactKey":"u-1","data":{"plan":"pro"}}`)
}

// refuses checks that a's payload fails with a validation error naming
// field, without a request (Run actions build and send in one step, so
// desttest.Refuses, which only builds, does not apply).
func refuses(t *testing.T, a *destkit.Action, payload, field string) {
	t.Helper()
	srv := desttest.NewServer(t)
	p, err := a.Validate([]byte(payload))
	if err == nil {
		err = srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), a, p)
	}
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != field || len(srv.Requests()) != 0 {
		t.Errorf("%s %s: got %v, want a validation error on %q and no request", a.Key, payload, err, field)
	}
}

const rowMapping = `{"key":"Orders DE","keys":{"id":{"@path":"$.messageId"}},"values":{"plan":{"@path":"$.traits.plan"},"email":{"@path":"$.traits.email"}}}`

func TestDataExtension(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `[]`})
	send(t, srv, settings(), DataExtension, desttest.Render(t, Definition, "dataExtension", rowMapping, identify))
	// The key is escaped as one path segment.
	r := srv.Only(t)
	wantRequest(t, r, "POST", "/hub/v1/dataevents/key:Orders DE/rowset", `[{"keys":{"id":"m-1"},"values":{"plan":"pro","email":"ada@example.com"}}]`)
	// By id when there is no key; neither is refused.
	srv = desttest.NewServer(t, desttest.Reply{Body: `[]`})
	send(t, srv, settings(), DataExtension, desttest.Validate(t, Definition, "dataExtension", `{"id":"6a7b","keys":{"id":"m-1"},"values":{"plan":"pro"}}`))
	wantRequest(t, srv.Only(t), "POST", "/hub/v1/dataevents/6a7b/rowset", `[{"keys":{"id":"m-1"},"values":{"plan":"pro"}}]`)
	refuses(t, DataExtension, `{"keys":{"id":"m-1"},"values":{"plan":"pro"}}`, "key")
	refuses(t, DataExtension, `{"key":"k","keys":{"id":"m-1"}}`, "values")
}

func TestContactDataExtensionBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `[{"keys":{"contactKey":"u-1"}},{"keys":{"contactKey":"u-2"}}]`})
	m := `{"key":"Contacts","keys":{"contactKey":{"@path":"$.userId"}},"values":{"plan":{"@path":"$.traits.plan"}},"enable_batching":true}`
	p1 := desttest.Render(t, Definition, "contactDataExtension", destkit.JSON(m), identify)
	p2 := desttest.Render(t, Definition, "contactDataExtension", destkit.JSON(m), strings.ReplaceAll(identify, "u-1", "u-2"))
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), ContactDataExtension, [][]byte{p1, p2})
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	wantRequest(t, srv.Only(t), "POST", "/hub/v1/dataevents/key:Contacts/rowset",
		`[{"keys":{"contactKey":"u-1"},"values":{"plan":"pro"}},{"keys":{"contactKey":"u-2"},"values":{"plan":"pro"}}]`)
}

// SFMC's lock error is retried, in batches and alone; other 400s fail.
func TestRowsetErrors(t *testing.T) {
	lock := `{"message":"Unable to save rows for data extension ID 6a7b","errorcode":10006,"documentation":""}`
	withDetail := `{"message":"Unable to save rows for data extension ID 6a7b","errorcode":10006,"additionalErrors":[{"message":"The value for column [plan] is too long","errorcode":10000}]}`
	p := desttest.Render(t, Definition, "dataExtension", rowMapping, identify)
	for body, want := range map[string]destkit.Outcome{lock: destkit.Retry, withDetail: destkit.Fail, `{"message":"bad","errorcode":10001}`: destkit.Fail} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 400, Body: body})
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), DataExtension, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("single %s: %v (%v)", body, got, err)
		}
		srv = desttest.NewServer(t, desttest.Reply{Status: 400, Body: body})
		for _, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), DataExtension, [][]byte{p, p}) {
			if got := destkit.Classify(err).Outcome; got != want {
				t.Errorf("batch %s: %v (%v)", body, got, err)
			}
		}
	}
	s := settings()
	desttest.ErrorPathsFor(t, Definition, s, DataExtension, p, desttest.Statuses(`{"message":"bad","errorcode":10001}`))
	desttest.ErrorPathsFor(t, Definition, s, Contact, desttest.RenderDefault(t, Definition, "contact", identify), desttest.Statuses(`{"message":"bad"}`))
	desttest.BatchErrorPaths(t, Definition, s, []*destkit.Action{DataExtension, ContactDataExtension}, `{"key":"k","keys":{"contactKey":"u-1"},"values":{"plan":"pro"}}`, desttest.Statuses(`{"message":"bad"}`))
}

const hooked = `,"onMappingSave":{"inputs":{"operation":"select","dataExtensionId":"6a7b"},"outputs":{"id":"6a7b-c8d9","name":"Orders"}}`

func TestDataExtensionV2(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `[]`})
	m := `{"keys":{"id":{"@path":"$.messageId"}},"values":{"plan":{"@path":"$.traits.plan"}}` + hooked + `}`
	send(t, srv, settings(), DataExtensionV2, desttest.Render(t, Definition, "dataExtensionV2", destkit.JSON(m), identify))
	wantRequest(t, srv.Only(t), "POST", "/hub/v1/dataevents/6a7b-c8d9/rowset", `[{"keys":{"id":"m-1"},"values":{"plan":"pro"}}]`)
	// A reverse-ETL mapping's hook works alike; with no hook output the
	// event fails, naming the hook.
	srv = desttest.NewServer(t)
	m = `{"keys":{"contactKey":{"@path":"$.userId"}},"values":{"plan":{"@path":"$.traits.plan"}},"retlOnMappingSave":{"outputs":{"id":"de-9","name":"Contacts"}}}`
	p := desttest.Render(t, Definition, "contactDataExtensionV2", destkit.JSON(m), identify)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), ContactDataExtensionV2, [][]byte{p})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	wantRequest(t, srv.Only(t), "POST", "/hub/v1/dataevents/de-9/rowset", `[{"keys":{"contactKey":"u-1"},"values":{"plan":"pro"}}]`)
	refuses(t, ContactDataExtensionV2, `{"keys":{"contactKey":"u-1"},"values":{}}`, "onMappingSave")
	refuses(t, DataExtensionV2, `{"keys":{"id":"1"},"values":{}}`, "onMappingSave")
}

func TestAsyncDataExtension(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: `{"requestId":"r-1","resultMessages":[]}`})
	m := `{"keys":{"id":{"@path":"$.messageId"}},"values":{"plan":{"@path":"$.traits.plan"},"id":"ignored-position"}` + hooked + `}`
	p := desttest.Render(t, Definition, "asyncDataExtension", destkit.JSON(m), identify)
	send(t, srv, settings(), AsyncDataExtension, p)
	// keys and values flattened as {...keys, ...values}: a repeated column
	// keeps its first place and takes the later value.
	wantRequest(t, srv.Only(t), "PUT", "/data/v1/async/dataextensions/6a7b-c8d9/rows", `{"items":[{"id":"ignored-position","plan":"pro"}]}`)

	// A batch over batch_bytes is split, each request naming its rows.
	row := func(id string) []byte {
		return desttest.Validate(t, Definition, "asyncDataExtension", `{"keys":{"id":"`+id+`"},"values":{"plan":"pro"},"batch_bytes":60`+hooked+`}`)
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 202}, desttest.Reply{Status: 500})
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), AsyncDataExtension,
		[][]byte{row("a"), row("b"), row("c")})
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantRequest(t, rs[0], "PUT", "/data/v1/async/dataextensions/6a7b-c8d9/rows", `{"items":[{"id":"a","plan":"pro"},{"id":"b","plan":"pro"}]}`)
	wantRequest(t, rs[1], "PUT", "/data/v1/async/dataextensions/6a7b-c8d9/rows", `{"items":[{"id":"c","plan":"pro"}]}`)
	if errs[0] != nil || errs[1] != nil || destkit.Classify(errs[2]).Outcome != destkit.Retry {
		t.Fatalf("%v", errs)
	}
	desttest.RefusesEmpty(t, Definition, settings(), Contact, APIEvent, AsyncDataExtension)
}
