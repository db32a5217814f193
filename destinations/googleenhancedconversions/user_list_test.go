package googleenhancedconversions

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

func audienceEvent(event, email string) string {
	return `{"type":"track","event":"` + event + `","userId":"u-1","messageId":"m-1","timestamp":"2026-03-02T10:15:42.500Z",` +
		`"properties":{"audience_key":"vip","vip":` + fmt.Sprint(event == "Audience Entered") + `},` +
		`"context":{"traits":{"email":"` + email + `","phone":"(415) 555-0123","firstName":"Jane","lastName":"Doe"},` +
		`"device":{"advertisingId":" ad-1 "},"personas":{"computation_key":"vip","external_audience_id":"9001"}}}`
}

// listMapping is the default mapping with the consent Google requires and
// what the retlOnMappingSave hook saved.
func listMapping(idType string) string {
	return `{"ad_user_data_consent_state":"GRANTED","ad_personalization_consent_state":"DENIED",` +
		`"retlOnMappingSave":{"inputs":{},"outputs":{"id":"4242","name":"VIPs","external_id_type":"` + idType + `"}}}`
}

const (
	jobPath     = "/v21/customers/1234567890/offlineUserDataJobs:create"
	jobResource = "customers/1234567890/offlineUserDataJobs/777"
	jobCreated  = `{"resourceName":"` + jobResource + `"}`
	janeIDs     = `[{"hashedEmail":"` + janeEmailHex + `"},{"hashedPhoneNumber":"` + janePhoneHex + `"},` +
		`{"addressInfo":{"hashedFirstName":"` + janeFirstHex + `","hashedLastName":"` + doeLastHex + `","countryCode":"","postalCode":""}}]`
)

func wantJob(t *testing.T, r desttest.Recorded, list, consent string) {
	t.Helper()
	wantAds(t, r, jobPath, "at-1")
	desttest.JSONEqual(t, r.Body, `{"job":{"type":"CUSTOMER_MATCH_USER_LIST","customerMatchUserListMetadata":{"userList":"customers/1234567890/userLists/`+list+`",`+
		`"consent":`+consent+`}}}`)
}

func TestUserListDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: jobCreated}, desttest.Reply{Body: `{}`}, desttest.Reply{Body: `{}`})
	p := render(t, "userList", listMapping("CONTACT_INFO"), audienceEvent("Audience Entered", "Jane.Doe@Example.com"))
	if err := send(t, srv, UserList, p, settings()); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	wantJob(t, rs[0], "4242", `{"adUserData":"GRANTED","adPersonalization":"DENIED"}`)
	wantAds(t, rs[1], "/v21/"+jobResource+":addOperations", "at-1")
	desttest.JSONEqual(t, rs[1].Body, `{"operations":[{"create":{"userIdentifiers":`+janeIDs+`}}],"enable_warnings":true}`)
	if rs[2].Method != "POST" || rs[2].Path != "/v21/"+jobResource+":run" || len(rs[2].Body) != 0 {
		t.Fatalf("run: %s %s %q", rs[2].Method, rs[2].Path, rs[2].Body)
	}
	desttest.Header(t, rs[2], "developer-token", "dev-token-1")
}

// A batch: adds then removes, in event order within each, in one job; a
// payload that cannot be hashed fails alone; Google's partial failure of
// one add fails that add only.
func TestUserListBatch(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: jobCreated},
		desttest.Reply{Body: `{"partialFailureError":{"code":3,"message":"1 error","details":[{"errors":[{"message":"too many",` +
			`"location":{"fieldPathElements":[{"fieldName":"operations","index":1}]}}]}]}}`},
		desttest.Reply{Body: `{}`}, desttest.Reply{Body: `{}`})
	m := listMapping("CONTACT_INFO")
	ps := [][]byte{
		render(t, "userList", m, audienceEvent("Audience Exited", "jane.doe@example.com")),
		render(t, "userList", m, audienceEvent("Audience Entered", "Jane.Doe@Example.com")),
		render(t, "userList", m, audienceEvent("Audience Entered", "not-an-email")),
		render(t, "userList", m, audienceEvent("Audience Entered", "Jane.Doe.X@gmail.com")),
		render(t, "userList", m, audienceEvent("Signed Up", "jane.doe@example.com")),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), UserList, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[1] != nil || !errors.As(errs[2], &pv) || pv.Field != "email" ||
		destkit.Classify(errs[3]).Outcome != destkit.Fail || !errors.As(errs[4], &pv) || pv.Field != "event_name" {
		t.Fatalf("errors %v", errs)
	}
	rs := srv.Requests()
	if len(rs) != 4 {
		t.Fatalf("%d requests", len(rs))
	}
	gmailIDs := `[{"hashedEmail":"` + gmailHex + `"},{"hashedPhoneNumber":"` + janePhoneHex + `"},` +
		`{"addressInfo":{"hashedFirstName":"` + janeFirstHex + `","hashedLastName":"` + doeLastHex + `","countryCode":"","postalCode":""}}]`
	desttest.JSONEqual(t, rs[1].Body, `{"operations":[{"create":{"userIdentifiers":`+janeIDs+`}},{"create":{"userIdentifiers":`+gmailIDs+`}}],"enablePartialFailure":true}`)
	desttest.JSONEqual(t, rs[2].Body, `{"operations":[{"remove":{"userIdentifiers":`+janeIDs+`}}],"enablePartialFailure":true}`)
	if rs[3].Path != "/v21/"+jobResource+":run" {
		t.Fatalf("last request %s", rs[3].Path)
	}
}

func TestUserListIdentifierTypes(t *testing.T) {
	for idType, ids := range map[string]string{
		"CRM_ID":                `[{"thirdPartyUserId":"crm-1"}]`,
		"MOBILE_ADVERTISING_ID": `[{"mobileId":"ad-1"}]`,
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: jobCreated})
		p := render(t, "userList", listMapping(idType)[:len(listMapping(idType))-1]+`,"crm_id":" crm-1 "}`, audienceEvent("Audience Exited", "x@example.com"))
		if err := send(t, srv, UserList, p, settings()); err != nil {
			t.Fatal(err)
		}
		desttest.JSONEqual(t, srv.Requests()[1].Body, `{"operations":[{"remove":{"userIdentifiers":`+ids+`}}],"enable_warnings":true}`)
	}
	// No CRM id: the event fails before any request.
	srv := desttest.NewServer(t)
	p := render(t, "userList", listMapping("CRM_ID"), audienceEvent("Audience Exited", "x@example.com"))
	var pv *destkit.PayloadValidationError
	if err := send(t, srv, UserList, p, settings()); !errors.As(err, &pv) || pv.Field != "crm_id" || len(srv.Requests()) != 0 {
		t.Fatalf("no crm id: %v", err)
	}
}

// Without the hook's list, the event's external audience id names it; the
// key type is then contact info.
func TestUserListExternalAudienceID(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: jobCreated})
	p := render(t, "userList", `{"ad_user_data_consent_state":"GRANTED","ad_personalization_consent_state":"GRANTED"}`,
		audienceEvent("Audience Entered", "jane.doe@example.com"))
	if err := send(t, srv, UserList, p, settings()); err != nil {
		t.Fatal(err)
	}
	wantJob(t, srv.Requests()[0], "9001", `{"adUserData":"GRANTED","adPersonalization":"GRANTED"}`)
	q := desttest.Validate(t, Definition, "userList", `{"email":"a@example.com","event_name":"Audience Entered","ad_user_data_consent_state":"GRANTED","ad_personalization_consent_state":"GRANTED"}`)
	var pv *destkit.PayloadValidationError
	if err := send(t, desttest.NewServer(t), UserList, q, settings()); !errors.As(err, &pv) || pv.Field != "external_audience_id" {
		t.Fatalf("no list: %v", err)
	}
}

func TestUserListErrors(t *testing.T) {
	p := render(t, "userList", listMapping("CONTACT_INFO"), audienceEvent("Audience Entered", "jane.doe@example.com"))
	desttest.ErrorPathsFor(t, Definition, settings(), UserList, p, desttest.Statuses(`{"error":{"code":400,"message":"bad"}}`))
	// Another job changing the list at the same time: retried, whatever the status.
	srv := desttest.NewServer(t, desttest.Reply{Body: jobCreated}, desttest.Reply{Status: 400,
		Body: `{"error":{"code":400,"details":[{"errors":[{"errorCode":{"databaseError":"CONCURRENT_MODIFICATION"}}]}]}}`})
	if v := destkit.Classify(send(t, srv, UserList, p, settings())); v.Outcome != destkit.Retry || len(srv.Requests()) != 2 {
		t.Fatalf("concurrent modification: %v", v)
	}
}

// The hook connects an existing list (checked) or creates one.
func TestUserListHook(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings())
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"resourceName":"customers/1234567890/userLists/5150"}]}`})
	out, err := srv.Client().RunHook(context.Background(), inst, UserList, "retlOnMappingSave", []byte(`{"list_name":"VIPs"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"external_id_type":"CONTACT_INFO","id":"5150","name":"VIPs"}}`)
	r := srv.Only(t)
	wantAds(t, r, "/v21/customers/1234567890/userLists:mutate", "at-1")
	desttest.JSONEqual(t, r.Body, `{"operations":[{"create":{"crmBasedUserList":{"uploadKeyType":"CONTACT_INFO"},"membershipLifeSpan":"540","name":"VIPs"}}]}`)

	srv = desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"userList":{"resourceName":"customers/1234567890/userLists/5150","id":"5150","name":"Old VIPs"}}]}`})
	out, err = srv.Client().RunHook(context.Background(), inst, UserList, "retlOnMappingSave", []byte(`{"list_id":"5150","external_id_type":"CRM_ID"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"external_id_type":"CRM_ID","id":"5150","name":"Old VIPs"}}`)
	desttest.JSONEqual(t, srv.Only(t).Body, `{"query":"SELECT user_list.id, user_list.name FROM user_list where user_list.id = '5150'"}`)
	// A list id is a number: nothing else reaches the query.
	if _, err := srv.Client().RunHook(context.Background(), inst, UserList, "retlOnMappingSave", []byte(`{"list_id":"1' OR '1'='1"}`), nil); err == nil {
		t.Fatal("query injection accepted")
	}
	// A mobile list needs its app.
	if _, err := srv.Client().RunHook(context.Background(), inst, UserList, "retlOnMappingSave", []byte(`{"list_name":"Apps","external_id_type":"MOBILE_ADVERTISING_ID"}`), nil); err == nil {
		t.Fatal("mobile list without app id accepted")
	}
}

// The audience config creates a list for an audience, or none when the
// audience only feeds conversions.
func TestAudienceConfig(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings())
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"resourceName":"customers/1234567890/userLists/6060"}]}`})
	d, err := srv.Client().Doer(context.Background(), inst)
	if err != nil {
		t.Fatal(err)
	}
	id, err := Definition.Audience.Create(context.Background(), d, &destkit.AudienceRequest{Settings: inst.Settings, Name: "vip",
		AudienceSettings: fastjson.MustParse(`{"external_id_type":"MOBILE_ADVERTISING_ID","app_id":"com.example.shop"}`)})
	if err != nil || id != "6060" {
		t.Fatalf("create: %q %v", id, err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"operations":[{"create":{"crmBasedUserList":{"uploadKeyType":"MOBILE_ADVERTISING_ID","appId":"com.example.shop"},"membershipLifeSpan":"540","name":"vip"}}]}`)
	id, err = Definition.Audience.Create(context.Background(), d, &destkit.AudienceRequest{Settings: inst.Settings, AudienceSettings: fastjson.MustParse(`{"supports_conversions":true}`)})
	if err != nil || id != "segment" || len(srv.Requests()) != 1 {
		t.Fatalf("conversions only: %q %v", id, err)
	}
}

func TestDynamicChoices(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings())
	srv := desttest.NewServer(t, desttest.Reply{Body: `[{"results":[{"conversionAction":{"id":"555","name":"Purchase"}},{"conversionAction":{"id":"556","name":"Call"}}]}]`})
	cs, err := srv.Client().FieldChoices(context.Background(), inst, UploadClickConversion, "conversion_action", nil)
	if err != nil || len(cs) != 2 || cs[0].Value != "555" || cs[1].Label != "Call" {
		t.Fatalf("%v %v", cs, err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"query":"SELECT conversion_action.id, conversion_action.name FROM conversion_action"}`)
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"userList":{"id":"4242","name":"VIPs"}}]}`})
	cs, err = srv.Client().FieldChoices(context.Background(), inst, UserList, "retlOnMappingSave.list_id", nil)
	if err != nil || len(cs) != 1 || cs[0].Value != "4242" {
		t.Fatalf("lists: %v %v", cs, err)
	}
}
