package linkedinaudiences

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// sha256("jane.doe@example.com")
const janeHash = "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d"

func settings() map[string]any {
	return map[string]any{"ad_account_id": "5011", "send_email": true, "send_google_advertising_id": true,
		"oauth": map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "clientId": "cid", "clientSecret": "csecret"}}
}

func audienceEvent(event, email string) string {
	return `{"type":"track","event":"` + event + `","userId":"u-1","properties":{"audience_key":"vip"},` +
		`"context":{"traits":{"email":"` + email + `"},"device":{"advertisingId":"gaid-1"},"personas":{"computation_key":"vip"}}}`
}

func wantLinkedIn(t *testing.T, r desttest.Recorded, method, path string) {
	t.Helper()
	if r.Method != method || r.Path != path {
		t.Fatalf("got %s %s, want %s %s", r.Method, r.Path, method, path)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.Header(t, r, "LinkedIn-Version", "202604")
}

func wantLookup(t *testing.T, r desttest.Recorded, key string) {
	t.Helper()
	wantLinkedIn(t, r, "GET", "/rest/dmpSegments")
	q, _ := url.ParseQuery(r.RawQuery)
	if q.Get("q") != "account" || q.Get("account") != "urn:li:sponsoredAccount:5011" || q.Get("sourceSegmentId") != key || q.Get("sourcePlatform") != "SEGMENT" {
		t.Fatalf("lookup query %s", r.RawQuery)
	}
}

// The first event of an audience finds no segment and creates it; the kit
// keeps its id, so the next event goes straight to the segment.
func TestUpdateAudienceDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"elements":[]}`},
		desttest.Reply{Status: 201, Header: map[string]string{"X-LinkedIn-Id": "9001"}},
		desttest.Reply{Body: `{"elements":[{"status":201}]}`})
	c := srv.Client()
	inst := desttest.Instance(t, Definition, settings())
	p := desttest.RenderDefault(t, Definition, "updateAudience", audienceEvent("Audience Entered", " Jane.Doe@Example.com "))
	if err := c.Send(context.Background(), inst, UpdateAudience, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	wantLookup(t, rs[0], "vip")
	wantLinkedIn(t, rs[1], "POST", "/rest/dmpSegments")
	desttest.JSONEqual(t, rs[1].Body, `{"name":"vip","sourcePlatform":"SEGMENT","sourceSegmentId":"vip","account":"urn:li:sponsoredAccount:5011",`+
		`"type":"USER","destinations":[{"destination":"LINKEDIN"}]}`)
	wantLinkedIn(t, rs[2], "POST", "/rest/dmpSegments/9001/users")
	desttest.Header(t, rs[2], "X-RestLi-Method", "BATCH_CREATE")
	// The address is trimmed and lower-cased before hashing.
	desttest.JSONEqual(t, rs[2].Body, `{"elements":[{"action":"ADD","userIds":[{"idType":"SHA256_EMAIL","idValue":"`+janeHash+`"},`+
		`{"idType":"GOOGLE_AID","idValue":"gaid-1"}]}]}`)

	q := desttest.RenderDefault(t, Definition, "updateAudience", audienceEvent("Audience Exited", "jane.doe@example.com"))
	if err := c.Send(context.Background(), inst, UpdateAudience, q); err != nil {
		t.Fatal(err)
	}
	rs = srv.Requests()
	if len(rs) != 4 {
		t.Fatalf("the kept segment id was not used: %d requests", len(rs))
	}
	wantLinkedIn(t, rs[3], "POST", "/rest/dmpSegments/9001/users")
	desttest.JSONEqual(t, rs[3].Body, `{"elements":[{"action":"REMOVE","userIds":[{"idType":"SHA256_EMAIL","idValue":"`+janeHash+`"},{"idType":"GOOGLE_AID","idValue":"gaid-1"}]}]}`)
}

func TestUpdateAudienceBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"elements":[{"id":7702,"type":"USER"}]}`}, desttest.Reply{Body: `{}`})
	s := settings()
	s["send_google_advertising_id"] = false
	ps := [][]byte{
		desttest.RenderDefault(t, Definition, "updateAudience", audienceEvent("Audience Exited", "jane.doe@example.com")),
		desttest.Validate(t, Definition, "updateAudience", `{"personas_audience_key":"vip","source_segment_id":"vip","event_name":"Audience Entered","first_name":"Jane"}`),
		desttest.Validate(t, Definition, "updateAudience", `{"personas_audience_key":"vip","source_segment_id":"vip","dmp_user_action":"ADD","event_name":"Audience Exited",`+
			`"email":"jane.doe@example.com","first_name":"Jane","last_name":"Doe","title":"CTO","company":"Acme","country":"US"}`),
		desttest.Validate(t, Definition, "updateAudience", `{"personas_audience_key":"vip","source_segment_id":"other","email":"a@example.com"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, s), UpdateAudience, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || !errors.As(errs[1], &pv) || pv.Field != "email" || errs[2] != nil || !errors.As(errs[3], &pv) || pv.Field != "source_segment_id" {
		t.Fatalf("errors %v", errs)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantLookup(t, rs[0], "vip")
	desttest.JSONEqual(t, rs[1].Body, `{"elements":[{"action":"REMOVE","userIds":[{"idType":"SHA256_EMAIL","idValue":"`+janeHash+`"}]},`+
		`{"action":"ADD","userIds":[{"idType":"SHA256_EMAIL","idValue":"`+janeHash+`"}],"firstName":"Jane","lastName":"Doe","title":"CTO","company":"Acme","country":"US"}]}`)
}

func TestUpdateAudienceErrors(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "updateAudience", audienceEvent("Audience Entered", "jane.doe@example.com"))
	s := settings()
	s["send_email"], s["send_google_advertising_id"] = false, false
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), UpdateAudience, p); destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
		t.Fatalf("nothing to send: %v", err)
	}
	desttest.ErrorPathsFor(t, Definition, settings(), UpdateAudience, p, desttest.Statuses(`{"status":400,"message":"bad"}`))
	// A segment created moments ago is not usable yet: retried.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"elements":[{"id":"7702"}]}`}, desttest.Reply{Status: 404})
	if v := destkit.Classify(srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpdateAudience, p)); v.Outcome != destkit.Retry {
		t.Fatalf("404: %v", v)
	}
	// A 401 renews the token at LinkedIn and sends again.
	srv = desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"at-2"}`},
		desttest.Reply{Body: `{"elements":[{"id":"7702"}]}`}, desttest.Reply{Body: `{}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpdateAudience, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 || rs[1].Path != "/oauth/v2/accessToken" || rs[3].Header.Get("Authorization") != "Bearer at-2" {
		t.Fatalf("refresh: %d requests", len(rs))
	}
}

const companyEvent = `{"type":"identify","userId":"u-1","traits":{"company_domain":" Example.COM ","linkedin_company_id":"urn:li:organization:1234"},` +
	`"context":{"personas":{"computation_key":"target_accounts"}}}`

func companyPayload(t *testing.T, extra string) []byte {
	t.Helper()
	return desttest.Render(t, Definition, "updateCompanyAudience", destkit.JSON(`{"identifiers":{"companyDomain":{"@path":"$.traits.company_domain"},`+
		`"linkedInCompanyId":{"@path":"$.traits.linkedin_company_id"}},"audience_source":"ENGAGE_RETL","computation_key":{"@path":"$.context.personas.computation_key"},`+
		`"enable_batching":true`+extra+`}`), companyEvent)
}

func TestUpdateCompanyAudienceDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"elements":[{"id":"1","type":"USER"},{"id":"3303","type":"COMPANY"}]}`},
		desttest.Reply{Body: `{"elements":[{"status":201}]}`})
	p := desttest.Render(t, Definition, "updateCompanyAudience", destkit.JSON(string(UpdateCompanyAudience.DefaultMapping())[:len(UpdateCompanyAudience.DefaultMapping())-1]+`,"dmp_company_action":"ADD"}`), companyEvent)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpdateCompanyAudience, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantLookup(t, rs[0], "target_accounts")
	desttest.Header(t, rs[0], "X-Restli-Protocol-Version", "2.0.0")
	wantLinkedIn(t, rs[1], "POST", "/rest/dmpSegments/3303/companies")
	desttest.Header(t, rs[1], "X-RestLi-Method", "BATCH_CREATE")
	desttest.Header(t, rs[1], "X-Restli-Protocol-Version", "2.0.0")
	desttest.JSONEqual(t, rs[1].Body, `{"elements":[{"action":"ADD","companyWebsiteDomain":"example.com","organizationUrn":"urn:li:organization:1234"}]}`)
	// LinkedIn's per-company status decides a single event too.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"elements":[{"id":"3303","type":"COMPANY"}]}`},
		desttest.Reply{Body: `{"elements":[{"status":400,"error":{"message":"unknown organization"}}]}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpdateCompanyAudience, p); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("element status: %v", err)
	}
}

// A batch sends each company once, creates the segment when it is missing,
// and gives each event its company's status.
func TestUpdateCompanyAudienceBatch(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"elements":[{"id":"1","type":"USER"}]}`},
		desttest.Reply{Status: 201, Header: map[string]string{"X-RestLi-Id": "4404"}},
		desttest.Reply{Body: `{"elements":[{"status":201},{"status":500}]}`})
	add := companyPayload(t, `,"dmp_company_action":"ADD"`)
	other := desttest.Validate(t, Definition, "updateCompanyAudience", `{"identifiers":{"linkedInCompanyId":" 777 "},"dmp_company_action":"ADD","audience_source":"ENGAGE_RETL","computation_key":"target_accounts"}`)
	none := desttest.Validate(t, Definition, "updateCompanyAudience", `{"identifiers":{"companyDomain":"  "},"dmp_company_action":"ADD","audience_source":"ENGAGE_RETL","computation_key":"target_accounts"}`)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), UpdateCompanyAudience, [][]byte{add, other, add, none})
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[2] != nil || destkit.Classify(errs[1]).Outcome != destkit.Retry || !errors.As(errs[3], &pv) || pv.Field != "identifiers" {
		t.Fatalf("errors %v", errs)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.JSONEqual(t, rs[1].Body, `{"name":"target_accounts","sourcePlatform":"SEGMENT","sourceSegmentId":"target_accounts","account":"urn:li:sponsoredAccount:5011",`+
		`"type":"COMPANY","destinations":[{"destination":"LINKEDIN"}]}`)
	if rs[2].Path != "/rest/dmpSegments/4404/companies" {
		t.Fatalf("update went to %s", rs[2].Path)
	}
	desttest.JSONEqual(t, rs[2].Body, `{"elements":[{"action":"ADD","companyWebsiteDomain":"example.com","organizationUrn":"urn:li:organization:1234"},`+
		`{"action":"ADD","organizationUrn":"urn:li:organization:777"}]}`)
}

func TestUpdateCompanyAudienceErrors(t *testing.T) {
	p := companyPayload(t, `,"dmp_company_action":"REMOVE"`)
	statuses := append(desttest.Statuses(`{"status":400}`),
		desttest.Status{Reply: desttest.Reply{Status: 404}, Outcome: destkit.Retry},
		desttest.Status{Reply: desttest.Reply{Status: 409}, Outcome: destkit.Retry})
	desttest.ErrorPathsFor(t, Definition, settings(), UpdateCompanyAudience, p, statuses)
	conn := desttest.Validate(t, Definition, "updateCompanyAudience", `{"identifiers":{"companyDomain":"example.com"},"dmp_company_action":"ADD","audience_source":"CONNECTIONS","segment_name":"  "}`)
	srv := desttest.NewServer(t)
	var pv *destkit.PayloadValidationError
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), UpdateCompanyAudience, conn); !errors.As(err, &pv) || pv.Field != "segment_name" || len(srv.Requests()) != 0 {
		t.Fatalf("no segment name: %v", err)
	}
}
