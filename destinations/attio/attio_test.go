package attio

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"oauth": map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "clientId": "c", "clientSecret": "s"}}
}

func init() { now = func() time.Time { return time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC) } }

func preset(name string) destkit.JSON {
	for _, p := range Definition.Presets {
		if p.Name == name {
			return p.Mapping
		}
	}
	panic(name)
}

const identify = `{"type":"identify","userId":"user-1234","traits":{"email":"ada@example.com"},"receivedAt":"2024-05-01T10:00:01.000Z"}`

func TestIdentifyUserPreset(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, "identifyUser", preset("Identify User"), identify)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), IdentifyUser, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	for i, want := range []struct{ path, query, body string }{
		{"/v2/objects/people/records/simple", "matching_attribute=email_addresses&append_to_existing_values=true",
			`{"data":{"values":{"email_addresses":"ada@example.com"}}}`},
		{"/v2/objects/users/records/simple", "matching_attribute=user_id&append_to_existing_values=true",
			`{"data":{"values":{"primary_email_address":"ada@example.com","person":"ada@example.com","user_id":"user-1234"}}}`},
	} {
		if rs[i].Method != "PUT" || rs[i].Path != want.path || rs[i].RawQuery != want.query {
			t.Fatalf("%d: got %s %s?%s", i, rs[i].Method, rs[i].Path, rs[i].RawQuery)
		}
		desttest.Header(t, rs[i], "Authorization", "Bearer at-1")
		desttest.JSONEqual(t, rs[i].Body, want.body)
	}
}

func TestIdentifyUserBatchNestsThePerson(t *testing.T) {
	srv := desttest.NewServer(t)
	ps := [][]byte{
		desttest.Render(t, Definition, "identifyUser", preset("Identify User"), identify),
		desttest.Validate(t, Definition, "identifyUser", `{"email_address":"b@example.com","user_id":"u-2","user_attributes":{"plan":"pro"}}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), IdentifyUser, ps)
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	r := srv.Only(t)
	if r.Method != "PUT" || r.Path != "/v2/batch/records" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	person := func(email string) string {
		return `{"object":"people","mode":"create-or-update","matching_attribute":"email_addresses","multiselect_values":"append",` +
			`"values":{"email_addresses":"` + email + `"}}`
	}
	desttest.JSONEqual(t, r.Body, `{"assertions":[`+
		`{"object":"users","mode":"create-or-update","matching_attribute":"user_id","multiselect_values":"append",`+
		`"values":{"primary_email_address":"ada@example.com","person":`+person("ada@example.com")+`,"user_id":"user-1234"},`+
		`"received_at":"2024-05-01T10:00:01.000Z"},`+
		`{"object":"users","mode":"create-or-update","matching_attribute":"user_id","multiselect_values":"append",`+
		`"values":{"primary_email_address":"b@example.com","person":`+person("b@example.com")+`,"user_id":"u-2","plan":"pro"},`+
		`"received_at":"2024-05-01T10:00:00.000Z"}]}`)
}

func TestGroupWorkspaceUsesTheCompanyRecordID(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"data":{"id":{"workspace_id":"w","object_id":"o","record_id":"rec-42"}}}`},
		desttest.Reply{Body: `{"data":{}}`})
	p := desttest.Render(t, Definition, "groupWorkspace", preset("Group Workspace"),
		`{"type":"group","groupId":"ws-1","userId":"user-1234","traits":{"website":"acme.example"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), GroupWorkspace, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 || rs[0].Path != "/v2/objects/companies/records/simple" || rs[1].Path != "/v2/objects/workspaces/records/simple" {
		t.Fatalf("%+v", rs)
	}
	desttest.JSONEqual(t, rs[0].Body, `{"data":{"values":{"domains":"acme.example"}}}`)
	desttest.JSONEqual(t, rs[1].Body, `{"data":{"values":{"workspace_id":"ws-1","company":"rec-42","users":["user-1234"]}}}`)
}

func TestGroupWorkspaceWithoutRecordIDRetries(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"data":{}}`})
	p := desttest.Validate(t, Definition, "groupWorkspace", `{"domain":"acme.example","workspace_id":"ws-1"}`)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), GroupWorkspace, p)
	if destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}

func TestAssertRecord(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "assertRecord", `{"object":"deals","matching_attribute":"deal_id","attributes":{"deal_id":"d-1","value":100}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), AssertRecord, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Path != "/v2/objects/deals/records/simple" || r.RawQuery != "matching_attribute=deal_id&append_to_existing_values=true" {
		t.Fatalf("got %s?%s", r.Path, r.RawQuery)
	}
	desttest.JSONEqual(t, r.Body, `{"data":{"values":{"deal_id":"d-1","value":100}}}`)
}

func TestRefreshOn401(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"at-2"}`}, desttest.Reply{})
	p := desttest.Validate(t, Definition, "assertRecord", `{"object":"deals","matching_attribute":"deal_id","attributes":{"deal_id":"d-1"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), AssertRecord, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[1].Path != "/oauth/token" {
		t.Fatalf("%+v", rs)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer at-2")
}

func TestErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 404: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		ps := [][]byte{desttest.Validate(t, Definition, "assertRecord", `{"object":"deals","matching_attribute":"deal_id"}`)}
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), AssertRecord, ps)
		if got := destkit.Classify(errs[0]).Outcome; got != want {
			t.Errorf("%d: %v", status, got)
		}
	}
}

func BenchmarkIdentifyUserBatch100(b *testing.B) {
	inst, _ := destkit.NewInstance("b", Definition, settings())
	in := &destkit.BatchInput{Settings: inst.Settings}
	for range 100 {
		in.Payloads = append(in.Payloads, mustParse(`{"email_address":"ada@example.com","user_id":"user-1234",`+
			`"user_attributes":{"plan":"pro"},"person_attributes":{"name":"Ada"},"received_at":"2024-05-01T10:00:01.000Z"}`))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := IdentifyUser.PerformBatch(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/event")
}
