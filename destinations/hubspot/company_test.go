package hubspot

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const group = `{"type":"group","userId":"user-1234","groupId":"grp-77","traits":{"name":" Analytical Engines ",` +
	`"description":"  Difference and analytical engines\n",` +
	`"industry":"COMPUTER_SOFTWARE","employees":12,"website":"engines.example","phone":"+44 20 7946 0000",` +
	`"address":{"street":"1 Babbage Way","city":"London","postal_code":"N1 9GU"}}}`

const wantCompany = `{"name":"Analytical Engines","description":"Difference and analytical engines","address":"1 Babbage Way","city":"London","zip":"N1 9GU","domain":"engines.example",` +
	`"phone":"+44 20 7946 0000","numberofemployees":12,"industry":"COMPUTER_SOFTWARE","segment_group_id":"grp-77"}`

func hsInst(t *testing.T) *destkit.Instance { return desttest.Instance(t, Definition, settings()) }

func wantHS(t *testing.T, r desttest.Recorded, method, path, query, token string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != query {
		t.Fatalf("got %s %s?%s, want %s %s?%s", r.Method, r.Path, r.RawQuery, method, path, query)
	}
	desttest.Header(t, r, "Authorization", "Bearer "+token)
	desttest.Header(t, r, "Content-Type", "application/json")
}

func TestUpsertCompanyUpdatesByGroupID(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"id":"9001"}`})
	p := desttest.RenderDefault(t, Definition, "upsertCompany", group)
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCompany, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantHS(t, r, "PATCH", "/crm/v3/objects/companies/grp-77", "idProperty=segment_group_id", "at-1")
	desttest.JSONEqual(t, r.Body, `{"properties":`+wantCompany+`}`)
}

func TestUpsertCompanySearchesThenUpdates(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 404, Body: `{"status":"error","category":"OBJECT_NOT_FOUND"}`},
		desttest.Reply{Body: `{"total":1,"results":[{"id":"512","properties":{"name":"Analytical Engines"}}]}`},
		desttest.Reply{Body: `{"id":"512"}`})
	m := destkit.JSON(`{"companysearchfields":{"domain":{"@path":"$.traits.website"}},` + string(UpsertCompany.DefaultMapping())[1:])
	p := desttest.Render(t, Definition, "upsertCompany", m, group)
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCompany, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	wantHS(t, rs[1], "POST", "/crm/v3/objects/companies/search", "", "at-1")
	desttest.JSONEqual(t, rs[1].Body, `{"filterGroups":[{"filters":[{"propertyName":"domain","operator":"EQ","value":"engines.example"}]}],`+
		`"properties":["name","domain","lifecyclestage","segment_group_id"],"sorts":["name"]}`)
	wantHS(t, rs[2], "PATCH", "/crm/v3/objects/companies/512", "", "at-1")
	desttest.JSONEqual(t, rs[2].Body, `{"properties":`+wantCompany+`}`)
}

func TestUpsertCompanyCreatesAndDefinesGroupIDProperty(t *testing.T) {
	missing := `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"segment_group_id\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"segment_group_id\"}]","category":"VALIDATION_ERROR"}`
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 404},
		desttest.Reply{Status: 400, Body: missing},
		desttest.Reply{Status: 409, Body: `{"category":"OBJECT_ALREADY_EXISTS"}`},
		desttest.Reply{Status: 201, Body: `{"id":"513"}`})
	p := desttest.Validate(t, Definition, "upsertCompany", `{"groupid":"grp-1","createNewCompany":true,"associateContact":false,`+
		`"name":"N","lifecyclestage":" Customer ","properties":{"tags":["a","b"],"meta":{"x":1},"empty":null,"note":" hi "}}`)
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCompany, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 {
		t.Fatalf("%d requests", len(rs))
	}
	want := `{"properties":{"name":"N","lifecyclestage":"customer","segment_group_id":"grp-1","tags":"a;b","meta":"{\"x\":1}","note":"hi"},"associations":[]}`
	wantHS(t, rs[1], "POST", "/crm/v3/objects/companies", "", "at-1")
	desttest.JSONEqual(t, rs[1].Body, want)
	wantHS(t, rs[2], "POST", "/crm/v3/properties/companies", "", "at-1")
	wantHS(t, rs[3], "POST", "/crm/v3/objects/companies", "", "at-1")
	desttest.JSONEqual(t, rs[3].Body, want)

	// Without createNewCompany nothing is created.
	srv = desttest.NewServer(t, desttest.Reply{Status: 404})
	p = desttest.Validate(t, Definition, "upsertCompany", `{"groupid":"grp-1","createNewCompany":false,"associateContact":false}`)
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCompany, p); err != nil || len(srv.Requests()) != 1 {
		t.Fatal(err, len(srv.Requests()))
	}
}

func TestUpsertCompanyErrors(t *testing.T) {
	p := desttest.Validate(t, Definition, "upsertCompany", `{"groupid":"g","createNewCompany":true,"associateContact":true,"companysearchfields":{"domain":"d"}}`)
	for name, tc := range map[string]struct {
		replies []desttest.Reply
		want    destkit.Outcome
	}{
		"update 400":      {[]desttest.Reply{{Status: 400, Body: `{"message":"bad"}`}}, destkit.Fail},
		"update 429":      {[]desttest.Reply{{Status: 429}}, destkit.Retry},
		"update 503":      {[]desttest.Reply{{Status: 503}}, destkit.Retry},
		"search 400":      {[]desttest.Reply{{Status: 404}, {Status: 400}}, destkit.Fail},
		"search 500":      {[]desttest.Reply{{Status: 404}, {Status: 500}}, destkit.Retry},
		"two matches":     {[]desttest.Reply{{Status: 404}, {Body: `{"total":2,"results":[{"id":"1"},{"id":"2"}]}`}}, destkit.Fail},
		"property absent": {[]desttest.Reply{{Status: 400, Body: `{"message":"Property values were not valid: [{\"name\":\"segment_group_id\",\"error\":\"PROPERTY_DOESNT_EXIST\"}]"}`}, {Status: 201}}, destkit.Retry},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		err := srv.Client().Send(context.Background(), hsInst(t), UpsertCompany, p)
		if got := destkit.Classify(err).Outcome; got != tc.want {
			t.Errorf("%s: %v (%v)", name, got, err)
		}
	}
	bad := desttest.Validate(t, Definition, "upsertCompany", `{"groupid":"g","createNewCompany":true,"associateContact":false,"properties":{"segment_group_id":"x"}}`)
	var pv *destkit.PayloadValidationError
	if err := destkit.NewClient().Send(context.Background(), hsInst(t), UpsertCompany, bad); !errors.As(err, &pv) {
		t.Fatal(err)
	}
}

// A 401 on any step refreshes the token and the whole action runs again.
func TestUpsertCompanyRefreshesOn401(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 404},
		desttest.Reply{Status: 401, Body: `{"category":"EXPIRED_AUTHENTICATION"}`},
		desttest.Reply{Body: `{"access_token":"at-2","expires_in":1800}`},
		desttest.Reply{Status: 404},
		desttest.Reply{Body: `{"total":0,"results":[]}`},
		desttest.Reply{Status: 201, Body: `{"id":"7"}`})
	p := desttest.Validate(t, Definition, "upsertCompany", `{"groupid":"g","createNewCompany":true,"associateContact":false,"companysearchfields":{"domain":"d"}}`)
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCompany, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 6 || rs[2].Path != "/oauth/v1/token" {
		t.Fatalf("%d requests", len(rs))
	}
	wantHS(t, rs[3], "PATCH", "/crm/v3/objects/companies/g", "idProperty=segment_group_id", "at-2")
	wantHS(t, rs[5], "POST", "/crm/v3/objects/companies", "", "at-2")
}

func TestUpsertCustomObjectRecord(t *testing.T) {
	m := destkit.JSON(`{"createNewCustomRecord":true,"objectType":"2-1234567","customObjectSearchFields":{"vin":{"@path":"$.properties.vin"}},` +
		`"properties":{"vin":{"@path":"$.properties.vin"},"model":{"@path":"$.properties.model"},"options":{"@path":"$.properties.options"}},` +
		`"searchFieldsToAssociateCustomObjects":{"email":{"@path":"$.context.traits.email"}},"toObjectType":"contacts","associationLabel":"USER_DEFINED:42"}`)
	ev := `{"type":"track","event":"Car Registered","properties":{"vin":"VF1AB","model":"Zoe","options":["gps","heat pump"]},` +
		`"context":{"traits":{"email":"ada@example.com"}}}`
	p := desttest.Render(t, Definition, "upsertCustomObjectRecord", m, ev)

	// Not found: created, already associated.
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"total":0,"results":[]}`},
		desttest.Reply{Body: `{"total":1,"results":[{"id":"51"}]}`},
		desttest.Reply{Status: 201, Body: `{"id":"900"}`})
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCustomObjectRecord, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	wantHS(t, rs[0], "POST", "/crm/v3/objects/2-1234567/search", "", "at-1")
	desttest.JSONEqual(t, rs[0].Body, `{"filterGroups":[{"filters":[{"propertyName":"vin","operator":"EQ","value":"VF1AB"}]}],"properties":[],"sorts":[]}`)
	wantHS(t, rs[1], "POST", "/crm/v3/objects/contacts/search", "", "at-1")
	wantHS(t, rs[2], "POST", "/crm/v3/objects/2-1234567", "", "at-1")
	desttest.JSONEqual(t, rs[2].Body, `{"properties":{"vin":"VF1AB","model":"Zoe","options":"gps;heat pump"},`+
		`"associations":[{"to":{"id":"51"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":42}]}]}`)

	// Found: updated, then associated through the v4 API.
	srv = desttest.NewServer(t,
		desttest.Reply{Body: `{"total":1,"results":[{"id":"900"}]}`},
		desttest.Reply{Body: `{"total":1,"results":[{"id":"51"}]}`},
		desttest.Reply{Body: `{"id":"900"}`},
		desttest.Reply{Body: `{}`})
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCustomObjectRecord, p); err != nil {
		t.Fatal(err)
	}
	rs = srv.Requests()
	wantHS(t, rs[2], "PATCH", "/crm/v3/objects/2-1234567/900", "", "at-1")
	desttest.JSONEqual(t, rs[2].Body, `{"properties":{"vin":"VF1AB","model":"Zoe","options":"gps;heat pump"}}`)
	wantHS(t, rs[3], "PUT", "/crm/v4/objects/2-1234567/900/associations/contacts/51", "", "at-1")
	desttest.JSONEqual(t, rs[3].Body, `[{"associationCategory":"USER_DEFINED","associationTypeId":42}]`)
}

func TestUpsertCustomObjectRecordErrors(t *testing.T) {
	p := desttest.Validate(t, Definition, "upsertCustomObjectRecord", `{"objectType":"cars","customObjectSearchFields":{"vin":"1"},`+
		`"properties":{"vin":"1"},"searchFieldsToAssociateCustomObjects":{"email":"a@b.c"},"toObjectType":"contacts","associationLabel":"HUBSPOT_DEFINED:1"}`)
	for name, tc := range map[string]struct {
		replies []desttest.Reply
		want    destkit.Outcome
		calls   int
	}{
		"search 400":           {[]desttest.Reply{{Status: 400}}, destkit.Fail, 1},
		"search 429":           {[]desttest.Reply{{Status: 429}}, destkit.Retry, 1},
		"two records":          {[]desttest.Reply{{Body: `{"total":2,"results":[{"id":"1"},{"id":"2"}]}`}, {Body: `{"total":0}`}}, destkit.Fail, 2},
		"associate search 400": {[]desttest.Reply{{Body: `{"total":0}`}, {Status: 400}}, destkit.Fail, 2},
		// The record is written, but the ambiguous association is reported.
		"two to associate": {[]desttest.Reply{{Body: `{"total":0}`}, {Body: `{"total":2,"results":[{"id":"1"},{"id":"2"}]}`}, {Status: 201}}, destkit.Fail, 3},
		"create 500":       {[]desttest.Reply{{Body: `{"total":0}`}, {Body: `{"total":0}`}, {Status: 500}}, destkit.Retry, 3},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		err := srv.Client().Send(context.Background(), hsInst(t), UpsertCustomObjectRecord, p)
		if got := destkit.Classify(err).Outcome; got != tc.want || len(srv.Requests()) != tc.calls {
			t.Errorf("%s: %v after %d calls (%v)", name, got, len(srv.Requests()), err)
		}
	}
	// Creation switched off: nothing is written.
	p = desttest.Validate(t, Definition, "upsertCustomObjectRecord", `{"objectType":"cars","createNewCustomRecord":false,"properties":{"vin":"1"}}`)
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertCustomObjectRecord, p); err != nil || len(srv.Requests()) != 0 {
		t.Fatal(err, len(srv.Requests()))
	}
}
