package salesforce

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings(extra ...string) map[string]any {
	s := map[string]any{"instanceUrl": "https://acme.my.salesforce.com/", "oauth": map[string]any{
		"access_token": "at-1", "refresh_token": "rt-1", "clientId": "cid", "clientSecret": "csecret"}}
	for i := 0; i+1 < len(extra); i += 2 {
		s[extra[i]] = extra[i+1]
	}
	return s
}

func inst(t *testing.T, extra ...string) *destkit.Instance {
	return desttest.Instance(t, Definition, settings(extra...))
}

func want(t *testing.T, r desttest.Recorded, method, path string) {
	t.Helper()
	if r.Method != method || r.Path != path {
		t.Fatalf("got %s %s, want %s %s", r.Method, r.Path, method, path)
	}
}

const identify = `{"type":"identify","userId":"user-1234","traits":{"email":"ada@example.com","first_name":"Ada",` +
	`"last_name":"Lovelace","company":"Analytical Engines","address":{"city":"London","country":"UK"}}}`

func TestLeadCreateDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"id":"00Q1","success":true}`})
	m := destkit.JSON(`{"operation":"create",` + string(Lead.DefaultMapping())[1:])
	p := desttest.Render(t, Definition, "lead", m, identify)
	if err := srv.Client().Send(context.Background(), inst(t), Lead, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	want(t, r, "POST", "/services/data/v53.0/sobjects/Lead")
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.JSONEqual(t, r.Body, `{"LastName":"Lovelace","Company":"Analytical Engines","FirstName":"Ada","Country":"UK",`+
		`"City":"London","Email":"ada@example.com"}`)
}

func TestLeadCreateNeedsLastName(t *testing.T) {
	_, err := Lead.Validate([]byte(`{"operation":"create","company":"X"}`))
	if err == nil || err.Error() != "The root value is missing the required field 'last_name'." {
		t.Fatal(err)
	}
}

func TestUpdateLooksUpTheRecord(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"totalSize":1,"done":true,"records":[{"Id":"003X"}]}`},
		desttest.Reply{Status: 204, Body: ``})
	p := desttest.Validate(t, Definition, "contact", `{"operation":"update","recordMatcherOperator":"AND",`+
		`"traits":{"Email":"o'brien@example.com","Age__c":42,"Vip__c":true},"first_name":"Pat","customFields":{"Nickname__c":"P","FirstName":"Patrick"}}`)
	if err := srv.Client().Send(context.Background(), inst(t), Contact, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	want(t, rs[0], "GET", "/services/data/v53.0/query/")
	q, _ := url.ParseQuery(rs[0].RawQuery)
	if q.Get("q") != `SELECT Id FROM Contact WHERE Email = 'o\'brien@example.com' AND Age__c = 42 AND Vip__c = true` {
		t.Fatal(q.Get("q"))
	}
	if rs[0].RawQuery != "q=SELECT%20Id%20FROM%20Contact%20WHERE%20Email%20%3D%20'o%5C'brien%40example.com'%20AND%20Age__c%20%3D%2042%20AND%20Vip__c%20%3D%20true" {
		t.Fatal(rs[0].RawQuery)
	}
	want(t, rs[1], "PATCH", "/services/data/v53.0/sobjects/Contact/003X")
	// Other Fields override mapped fields in place.
	desttest.JSONEqual(t, rs[1].Body, `{"FirstName":"Patrick","Nickname__c":"P"}`)
}

func TestUpsertCreatesWhenNothingMatches(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"totalSize":0,"records":[]}`}, desttest.Reply{Status: 201, Body: `{"id":"001A"}`})
	p := desttest.Render(t, Definition, "account", destkit.JSON(`{"operation":"upsert","traits":{"AccountNumber":{"@path":"$.groupId"}},`+
		string(Account.DefaultMapping())[1:]),
		`{"type":"group","groupId":"g-42","traits":{"name":"Initech","employees":"120","description":"Staplers and more","website":"https://initech.example"}}`)
	if err := srv.Client().Send(context.Background(), inst(t), Account, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	q, _ := url.ParseQuery(rs[0].RawQuery)
	if q.Get("q") != `SELECT Id FROM Account WHERE AccountNumber = 'g-42'` {
		t.Fatal(q.Get("q"))
	}
	want(t, rs[1], "POST", "/services/data/v53.0/sobjects/Account")
	desttest.JSONEqual(t, rs[1].Body, `{"Name":"Initech","AccountNumber":"g-42","NumberOfEmployees":120,"Description":"Staplers and more","Website":"https://initech.example"}`)
}

func TestLookupOutcomes(t *testing.T) {
	for i, tc := range []struct {
		reply desttest.Reply
		want  destkit.Outcome
	}{
		{desttest.Reply{Body: `{"totalSize":0}`}, destkit.Fail},
		{desttest.Reply{Body: `{"totalSize":2,"records":[{"Id":"a"},{"Id":"b"}]}`}, destkit.Fail},
		{desttest.Reply{Body: `{}`}, destkit.Fail},
		{desttest.Reply{Status: 400, Body: `[{"errorCode":"MALFORMED_QUERY"}]`}, destkit.Fail},
		{desttest.Reply{Status: 429}, destkit.Retry},
		{desttest.Reply{Status: 503}, destkit.Retry},
	} {
		srv := desttest.NewServer(t, tc.reply)
		p := desttest.Validate(t, Definition, "opportunity", `{"operation":"delete","traits":{"Name":"Deal"}}`)
		err := srv.Client().Send(context.Background(), inst(t), Opportunity, p)
		if got := destkit.Classify(err).Outcome; got != tc.want {
			t.Errorf("%d: %v %v", i, got, err)
		}
	}
}

func TestDeleteByID(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 204, Body: ``})
	p := desttest.Validate(t, Definition, "cases", `{"operation":"delete","traits":{"Id":"500X"}}`)
	if err := srv.Client().Send(context.Background(), inst(t), Cases, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	want(t, r, "DELETE", "/services/data/v53.0/sobjects/Case/500X")
	if len(r.Body) != 0 {
		t.Fatal(string(r.Body))
	}
}

func TestSyncModeActions(t *testing.T) {
	for _, tc := range []struct {
		action  *destkit.Action
		payload string
		path    string
		body    string
	}{
		{Lead2, `{"last_name":"L","company":"C"}`, "/services/data/v53.0/sobjects/Lead", `{"LastName":"L","Company":"C"}`},
		{Contact2, `{"last_name":"L","account_id":"001"}`, "/services/data/v53.0/sobjects/Contact", `{"LastName":"L","AccountId":"001"}`},
		{Account2, `{"name":"N","number_of_employees":3,"description":"D"}`, "/services/data/v53.0/sobjects/Account", `{"Name":"N","NumberOfEmployees":3,"Description":"D"}`},
		{Opportunity2, `{"name":"N","close_date":"2024-06-30","stage_name":"Prospecting","amount":"10","description":"D"}`, "/services/data/v53.0/sobjects/Opportunity",
			`{"Amount":"10","CloseDate":"2024-06-30","Description":"D","Name":"N","StageName":"Prospecting"}`},
		{Cases2, `{"description":"Printer jam","customFields":{"Subject":"Help"}}`, "/services/data/v53.0/sobjects/Case", `{"Description":"Printer jam","Subject":"Help"}`},
		{CustomObject2, `{"customObjectName":"Order__c","customFields":{"Total__c":3}}`, "/services/data/v53.0/sobjects/Order__c", `{"Total__c":3}`},
		{CustomObject, `{"operation":"create","customObjectName":"Order__c","customFields":{"Total__c":3}}`, "/services/data/v53.0/sobjects/Order__c", `{"Total__c":3}`},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"id":"x"}`})
		payload := tc.payload[:len(tc.payload)-1] + `,"__segment_internal_sync_mode":"add"}`
		p, err := tc.action.Validate([]byte(payload))
		if err != nil {
			t.Fatalf("%s: %v", tc.action.Key, err)
		}
		if err := srv.Client().Send(context.Background(), inst(t), tc.action, p); err != nil {
			t.Fatalf("%s: %v", tc.action.Key, err)
		}
		r := srv.Only(t)
		want(t, r, "POST", tc.path)
		desttest.JSONEqual(t, r.Body, tc.body)
	}
	// Without a sync mode a V2 action cannot tell what to do.
	p := desttest.Validate(t, Definition, "lead2", `{"last_name":"L"}`)
	if err := destkit.NewClient().Send(context.Background(), inst(t), Lead2, p); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
}

// A 401 refreshes the token at the login host (test.salesforce.com for
// sandboxes) and the whole action runs again.
func TestRefreshOn401(t *testing.T) {
	for _, sandbox := range []bool{false, true} {
		srv := desttest.NewServer(t,
			desttest.Reply{Status: 401, Body: `[{"errorCode":"INVALID_SESSION_ID"}]`},
			desttest.Reply{Body: `{"access_token":"at-2","instance_url":"https://acme.my.salesforce.com"}`},
			desttest.Reply{Status: 201, Body: `{"id":"00Q2"}`})
		login := destkit.OverrideHost("login.salesforce.com", srv.URL+"/login")
		if sandbox {
			login = destkit.OverrideHost("test.salesforce.com", srv.URL+"/test")
		}
		c := destkit.NewClient(destkit.OverrideHost("acme.my.salesforce.com", srv.URL), login)
		extra := []string{}
		if sandbox {
			extra = []string{"isSandbox", "true"}
		}
		p := desttest.Validate(t, Definition, "lead", `{"operation":"create","last_name":"L"}`)
		if err := c.Send(context.Background(), inst(t, extra...), Lead, p); err != nil {
			t.Fatal(err)
		}
		rs := srv.Requests()
		want(t, rs[1], "POST", "/services/oauth2/token")
		form, _ := url.ParseQuery(string(rs[1].Body))
		if form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != "rt-1" || form.Get("client_id") != "cid" ||
			form.Get("client_secret") != "csecret" {
			t.Fatal(form)
		}
		desttest.Header(t, rs[2], "Authorization", "Bearer at-2")
	}
}

func TestRefreshHosts(t *testing.T) {
	for sandbox, host := range map[string]string{"false": "https://login.salesforce.com", "true": "https://test.salesforce.com"} {
		var got string
		d := destkit.DoerFunc(func(_ context.Context, r *destkit.Request) (*destkit.Response, error) {
			got = r.URL
			return &destkit.Response{Status: 200, Body: []byte(`{"access_token":"x"}`)}, nil
		})
		if _, err := refresh(context.Background(), d, destkit.OAuthCredentials{RefreshToken: "r"}, inst(t, "isSandbox", sandbox).Settings); err != nil {
			t.Fatal(err)
		}
		if got != host+"/services/oauth2/token" {
			t.Errorf("sandbox=%s: %s", sandbox, got)
		}
	}
}

func TestPasswordGrantAndConcurrentRefresh(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"access_token":"at-pw"}`}, desttest.Reply{Status: 201, Body: `{"id":"1"}`})
	s := settings("username", "ada@acme.com", "auth_password", "pw", "security_token", "TOK")
	s["oauth"] = map[string]any{"clientId": "cid", "clientSecret": "csecret"} // no token yet
	i := desttest.Instance(t, Definition, s)
	p := desttest.Validate(t, Definition, "lead", `{"operation":"create","last_name":"L"}`)
	if err := srv.Client().Send(context.Background(), i, Lead, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	form, _ := url.ParseQuery(string(rs[0].Body))
	if form.Get("grant_type") != "password" || form.Get("username") != "ada@acme.com" || form.Get("password") != "pwTOK" {
		t.Fatal(form)
	}
	desttest.Header(t, rs[1], "Authorization", "Bearer at-pw")

	srv = desttest.NewServer(t, desttest.Reply{Status: 401},
		desttest.Reply{Status: 400, Body: `{"error":"invalid_grant","error_description":"token request is already being processed"}`})
	err := srv.Client().Send(context.Background(), inst(t), Lead, p)
	if destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 401},
		desttest.Reply{Status: 400, Body: `{"error":"invalid_grant","error_description":"expired access/refresh token"}`})
	err = srv.Client().Send(context.Background(), inst(t), Lead, p)
	if destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
}

func TestInstanceURLMustBeSalesforce(t *testing.T) {
	p := desttest.Validate(t, Definition, "lead", `{"operation":"create","last_name":"L"}`)
	for _, u := range []string{"http://acme.my.salesforce.com", "https://evil.example/.salesforce.com"} {
		err := destkit.NewClient().Send(context.Background(), inst(t, "instanceUrl", u), Lead, p)
		if destkit.Classify(err).Outcome != destkit.Fail {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestBulkUpsertJob(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"id":"750J","state":"Open"}`},
		desttest.Reply{Status: 201, Body: ``},
		desttest.Reply{Body: `{"id":"750J","state":"UploadComplete"}`})
	pl := func(ext, first, last string, custom string) []byte {
		return desttest.Validate(t, Definition, "lead", `{"operation":"upsert","enable_batching":true,"traits":{"Email":"x"},`+
			`"bulkUpsertExternalId":{"externalIdName":"Ext__c","externalIdValue":"`+ext+`"},"first_name":"`+first+`","last_name":"`+last+`"`+custom+`}`)
	}
	ps := [][]byte{pl("e1", "Ada", `Love \"L\"`, `,"customFields":{"Score__c":1.5}`), pl("e2", "Bob", "B", ""), pl("e3", "Cy", "C", `,"email":"c@example.com"`)}
	errs := srv.Client().SendBatch(context.Background(), inst(t), Lead, ps)
	for _, err := range errs {
		if err != nil {
			t.Fatal(errs)
		}
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	want(t, rs[0], "POST", "/services/data/v53.0/jobs/ingest")
	desttest.JSONEqual(t, rs[0].Body, `{"object":"Lead","contentType":"CSV","operation":"upsert","externalIdFieldName":"Ext__c"}`)
	want(t, rs[1], "PUT", "/services/data/v53.0/jobs/ingest/750J/batches")
	desttest.Header(t, rs[1], "Content-Type", "text/csv")
	desttest.Header(t, rs[1], "Authorization", "Bearer at-1")
	wantCSV := "FirstName,LastName,Email,Score__c,Ext__c\n" +
		`"Ada","Love ""L""",#N/A,"1.5","e1"` + "\n" +
		`"Bob","B",#N/A,#N/A,"e2"` + "\n" +
		`"Cy","C","c@example.com",#N/A,"e3"` + "\n"
	if string(rs[1].Body) != wantCSV {
		t.Fatalf("csv:\n%s\nwant:\n%s", rs[1].Body, wantCSV)
	}
	want(t, rs[2], "PATCH", "/services/data/v53.0/jobs/ingest/750J")
	desttest.JSONEqual(t, rs[2].Body, `{"state":"UploadComplete"}`)
}

func TestBulkInsertAndUpdate(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"id":"J1"}`}, desttest.Reply{Status: 201}, desttest.Reply{})
	ps := [][]byte{desttest.Validate(t, Definition, "customObject2",
		`{"customObjectName":"Order__c","enable_batching":true,"customFields":{"Total__c":3,"Paid__c":true},"__segment_internal_sync_mode":"add"}`)}
	if errs := srv.Client().SendBatch(context.Background(), inst(t), CustomObject2, ps); errs[0] != nil {
		t.Fatal(errs)
	}
	rs := srv.Requests()
	desttest.JSONEqual(t, rs[0].Body, `{"object":"Order__c","contentType":"CSV","operation":"insert"}`)
	if string(rs[1].Body) != "Total__c,Paid__c\n\"3\",\"true\"\n" {
		t.Fatalf("%q", rs[1].Body)
	}

	srv = desttest.NewServer(t, desttest.Reply{Body: `{"id":"J2"}`}, desttest.Reply{Status: 201}, desttest.Reply{})
	ps = [][]byte{desttest.Validate(t, Definition, "opportunity",
		`{"operation":"update","enable_batching":true,"bulkUpdateRecordId":"006A","stage_name":"Won","description":"Signed"}`)}
	if errs := srv.Client().SendBatch(context.Background(), inst(t), Opportunity, ps); errs[0] != nil {
		t.Fatal(errs)
	}
	rs = srv.Requests()
	desttest.JSONEqual(t, rs[0].Body, `{"object":"Opportunity","contentType":"CSV","operation":"update","externalIdFieldName":"Id"}`)
	if string(rs[1].Body) != "StageName,Description,Id\n\"Won\",\"Signed\",\"006A\"\n" {
		t.Fatalf("%q", rs[1].Body)
	}
}

func TestBulkErrors(t *testing.T) {
	// Deletions cannot be batched; nothing is sent.
	ps := [][]byte{desttest.Validate(t, Definition, "contact", `{"operation":"delete","enable_batching":true,"traits":{"Id":"1"}}`)}
	errs := destkit.NewClient().SendBatch(context.Background(), inst(t), Contact, ps)
	if destkit.Classify(errs[0]).Outcome != destkit.Fail {
		t.Fatal(errs)
	}
	// A failed upload still closes the job, and the upload's error counts.
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"id":"J"}`}, desttest.Reply{Status: 503}, desttest.Reply{})
	ps = [][]byte{desttest.Validate(t, Definition, "contact", `{"operation":"create","enable_batching":true,"last_name":"L"}`)}
	errs = srv.Client().SendBatch(context.Background(), inst(t), Contact, ps)
	if destkit.Classify(errs[0]).Outcome != destkit.Retry || len(srv.Requests()) != 3 || srv.Requests()[2].Method != "PATCH" {
		t.Fatal(errs, len(srv.Requests()))
	}
	for status, outcome := range map[int]destkit.Outcome{400: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `[{"errorCode":"X"}]`})
		errs := srv.Client().SendBatch(context.Background(), inst(t), Contact, ps)
		if destkit.Classify(errs[0]).Outcome != outcome {
			t.Errorf("%d: %v", status, errs[0])
		}
	}
	// Bulk upsert without an external ID is refused before any call.
	ps = [][]byte{desttest.Validate(t, Definition, "account", `{"operation":"upsert","enable_batching":true,"name":"N"}`)}
	if errs := destkit.NewClient().SendBatch(context.Background(), inst(t), Account, ps); destkit.Classify(errs[0]).Outcome != destkit.Fail {
		t.Fatal(errs)
	}
}

// A 401 inside a bulk job refreshes the token and the whole three-step job
// runs again with the new one.
func TestBulk401RefreshesAndRetries(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 401, Body: `[{"errorCode":"INVALID_SESSION_ID"}]`},
		desttest.Reply{Body: `{"access_token":"at-2"}`},
		desttest.Reply{Body: `{"id":"J3"}`}, desttest.Reply{Status: 201}, desttest.Reply{})
	c := destkit.NewClient(destkit.OverrideHost("acme.my.salesforce.com", srv.URL), destkit.OverrideHost("login.salesforce.com", srv.URL))
	ps := [][]byte{desttest.Validate(t, Definition, "cases", `{"operation":"create","enable_batching":true,"customFields":{"Subject":"S"}}`)}
	if errs := c.SendBatch(context.Background(), inst(t), Cases, ps); errs[0] != nil {
		t.Fatal(errs)
	}
	rs := srv.Requests()
	if len(rs) != 5 {
		t.Fatal(len(rs))
	}
	desttest.Header(t, rs[0], "Authorization", "Bearer at-1")
	want(t, rs[1], "POST", "/services/oauth2/token")
	want(t, rs[2], "POST", "/services/data/v53.0/jobs/ingest")
	desttest.Header(t, rs[2], "Authorization", "Bearer at-2")
	want(t, rs[3], "PUT", "/services/data/v53.0/jobs/ingest/J3/batches")
	want(t, rs[4], "PATCH", "/services/data/v53.0/jobs/ingest/J3")
	desttest.Header(t, rs[4], "Authorization", "Bearer at-2")

	// Still 401 with the new token: an authentication error, after one
	// refresh only.
	srv = desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"at-3"}`}, desttest.Reply{Status: 401})
	errs := srv.Client().SendBatch(context.Background(), inst(t), Cases, ps)
	var ae *destkit.AuthError
	if !errors.As(errs[0], &ae) || len(srv.Requests()) != 3 {
		t.Fatal(errs, len(srv.Requests()))
	}
}

func TestPascalCase(t *testing.T) {
	for in, want := range map[string]string{"postal_code": "PostalCode", "number_of_employees": "NumberOfEmployees",
		"mailingCity": "MailingCity", "email": "Email", "account_id": "AccountId"} {
		if got := pascalCase(in); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}
