package linkedinconversions

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const account = "urn:li:sponsoredAccount:51234560"

func runHook(t *testing.T, srv *desttest.Server, inputs, previous string) ([]byte, error) {
	t.Helper()
	var prev []byte
	if previous != "" {
		prev = []byte(previous)
	}
	return srv.Client().RunHook(context.Background(), desttest.Instance(t, Definition, settings()), StreamConversion, "onMappingSave", []byte(inputs), prev)
}

// linkedIn asserts a request's method, escaped path, query and LinkedIn's headers.
func linkedIn(t *testing.T, r desttest.Recorded, method, path, query string) {
	t.Helper()
	if r.Method != method || r.EscapedPath != path || r.RawQuery != query {
		t.Fatalf("got %s %s?%s, want %s %s?%s", r.Method, r.EscapedPath, r.RawQuery, method, path, query)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.Header(t, r, "LinkedIn-Version", "202603")
	desttest.Header(t, r, "X-Restli-Protocol-Version", "2.0.0")
}

func TestHookCreatesRuleAndAssociatesCampaigns(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 201, Body: `{"id":104012,"name":"Purchases","type":"PURCHASE","attributionType":"LAST_TOUCH_BY_CAMPAIGN",` +
			`"postClickAttributionWindowSize":90,"viewThroughAttributionWindowSize":7,"conversionMethod":"CONVERSIONS_API"}`},
		desttest.Reply{Status: 204})
	out, err := runHook(t, srv, `{"adAccountId":"`+account+`","campaignId":["611"],"name":"Purchases","conversionType":"PURCHASE",`+
		`"attribution_type":"LAST_TOUCH_BY_CAMPAIGN","post_click_attribution_window_size":90}`, "")
	if err != nil {
		t.Fatal(err)
	}
	// LinkedIn's numeric id is saved as the declared string.
	// Outputs are saved with their keys sorted.
	desttest.JSONEqual(t, out, `{"outputs":{"attribution_type":"LAST_TOUCH_BY_CAMPAIGN","conversionType":"PURCHASE","id":"104012","name":"Purchases",`+
		`"post_click_attribution_window_size":90,"view_through_attribution_window_size":7}}`)
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	linkedIn(t, rs[0], "POST", "/rest/conversions", "")
	desttest.Header(t, rs[0], "Content-Type", "application/json")
	// The view-through window was not given: LinkedIn's default of 7 days.
	desttest.JSONEqual(t, rs[0].Body, `{"name":"Purchases","account":"`+account+`","conversionMethod":"CONVERSIONS_API",`+
		`"postClickAttributionWindowSize":90,"viewThroughAttributionWindowSize":7,"attributionType":"LAST_TOUCH_BY_CAMPAIGN","type":"PURCHASE"}`)
	// One campaign: a PUT of its association, keyed by both URNs.
	linkedIn(t, rs[1], "PUT", "/rest/campaignConversions/(campaign:urn%3Ali%3AsponsoredCampaign%3A611,conversion:urn%3Alla%3AllaPartnerConversion%3A104012)", "")
	desttest.JSONEqual(t, rs[1].Body, `{"campaign":"urn:li:sponsoredCampaign:611","conversion":"urn:lla:llaPartnerConversion:104012"}`)
}

func TestHookSelectsRule(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"id":777,"name":"Leads","type":"LEAD","attributionType":"LAST_TOUCH_BY_CONVERSION","postClickAttributionWindowSize":30}`},
		desttest.Reply{Status: 204})
	out, err := runHook(t, srv, `{"adAccountId":"`+account+`","conversionRuleId":"777","campaignId":["611","612"]}`, "")
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"attribution_type":"LAST_TOUCH_BY_CONVERSION","conversionType":"LEAD","id":"777","name":"Leads",`+
		`"post_click_attribution_window_size":30,"view_through_attribution_window_size":7}}`)
	rs := srv.Requests()
	linkedIn(t, rs[0], "GET", "/rest/conversions/777", "account=urn%3Ali%3AsponsoredAccount%3A51234560")
	// Several campaigns: one batch PUT whose ids and entities share their keys.
	k1 := "(campaign:urn%3Ali%3AsponsoredCampaign%3A611,conversion:urn%3Alla%3AllaPartnerConversion%3A777)"
	k2 := "(campaign:urn%3Ali%3AsponsoredCampaign%3A612,conversion:urn%3Alla%3AllaPartnerConversion%3A777)"
	linkedIn(t, rs[1], "PUT", "/rest/campaignConversions", "ids=List("+k1+","+k2+")")
	desttest.JSONEqual(t, rs[1].Body, `{"entities":{"`+k1+`":{"campaign":"urn:li:sponsoredCampaign:611","conversion":"urn:lla:llaPartnerConversion:777"},`+
		`"`+k2+`":{"campaign":"urn:li:sponsoredCampaign:612","conversion":"urn:lla:llaPartnerConversion:777"}}}`)
}

func TestHookUpdatesSavedRule(t *testing.T) {
	saved := `{"outputs":{"attribution_type":"LAST_TOUCH_BY_CAMPAIGN","conversionType":"PURCHASE","id":"104012","name":"Purchases",` +
		`"post_click_attribution_window_size":30,"view_through_attribution_window_size":7}}`
	srv := desttest.NewServer(t, desttest.Reply{Status: 204})
	out, err := runHook(t, srv, `{"adAccountId":"`+account+`","name":"Purchases (web)","conversionType":"PURCHASE","attribution_type":"LAST_TOUCH_BY_CAMPAIGN",`+
		`"post_click_attribution_window_size":30,"view_through_attribution_window_size":1}`, saved)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"attribution_type":"LAST_TOUCH_BY_CAMPAIGN","conversionType":"PURCHASE","id":"104012","name":"Purchases (web)",`+
		`"post_click_attribution_window_size":30,"view_through_attribution_window_size":1}}`)
	r := srv.Only(t)
	linkedIn(t, r, "POST", "/rest/conversions/104012", "account=urn%3Ali%3AsponsoredAccount%3A51234560")
	desttest.Header(t, r, "X-RestLi-Method", "PARTIAL_UPDATE")
	desttest.JSONEqual(t, r.Body, `{"patch":{"$set":{"name":"Purchases (web)","viewThroughAttributionWindowSize":1}}}`)

	// Nothing changed: the saved rule is kept and LinkedIn is not called.
	srv = desttest.NewServer(t)
	out, err = runHook(t, srv, `{"adAccountId":"`+account+`","name":"Purchases"}`, saved)
	if err != nil || len(srv.Requests()) != 0 {
		t.Fatalf("%v, %d requests", err, len(srv.Requests()))
	}
	desttest.JSONEqual(t, out, saved)
}

func TestHookErrors(t *testing.T) {
	var pv *destkit.PayloadValidationError
	// A new rule needs its name, type and attribution; nothing is sent.
	srv := desttest.NewServer(t)
	_, err := runHook(t, srv, `{"adAccountId":"`+account+`","conversionType":"LEAD"}`, "")
	if !errors.As(err, &pv) || pv.Field != "name" || !strings.Contains(pv.Message, "Name, Attribution Type") || len(srv.Requests()) != 0 {
		t.Fatalf("%v", err)
	}
	// The ad account is required by the inputs.
	if _, err := runHook(t, srv, `{"conversionRuleId":"777"}`, ""); !errors.As(err, &pv) {
		t.Fatalf("%v", err)
	}
	create := `{"adAccountId":"` + account + `","name":"P","conversionType":"PURCHASE","attribution_type":"LAST_TOUCH_BY_CAMPAIGN"}`
	for name, tc := range map[string]struct {
		inputs string
		reply  desttest.Reply
		field  string
	}{
		"unknown rule":     {`{"adAccountId":"` + account + `","conversionRuleId":"9"}`, desttest.Reply{Status: 404, Body: `{"message":"Not found","status":404}`}, "conversionRuleId"},
		"refused creation": {create, desttest.Reply{Status: 422, Body: `{"message":"Invalid name","status":422}`}, "name"},
		"foreign account":  {create, desttest.Reply{Status: 403, Body: `{"message":"Not enough permissions","status":403}`}, "adAccountId"},
	} {
		srv := desttest.NewServer(t, tc.reply)
		_, err := runHook(t, srv, tc.inputs, "")
		if !errors.As(err, &pv) || pv.Field != tc.field || !strings.Contains(pv.Message, "("+"HTTP") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A campaign LinkedIn refuses names the campaigns.
	srv = desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"id":5,"name":"P","type":"PURCHASE","attributionType":"LAST_TOUCH_BY_CAMPAIGN"}`},
		desttest.Reply{Status: 400, Body: `{"message":"Campaign 99 does not belong to the account"}`})
	if _, err := runHook(t, srv, strings.Replace(create, `"name"`, `"campaignId":["99"],"name"`, 1), ""); !errors.As(err, &pv) || pv.Field != "campaignId" ||
		!strings.Contains(pv.Message, "does not belong") {
		t.Fatalf("%v", err)
	}
	// LinkedIn failing is a failure of the run, not of the input; the token never shows.
	for _, status := range []int{500, 503, 429} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"busy"}`})
		_, err := runHook(t, srv, create, "")
		if errors.As(err, &pv) || destkit.Classify(err).Outcome != destkit.Retry || strings.Contains(err.Error(), "at-1") {
			t.Errorf("%d: %v", status, err)
		}
	}
}

func TestHookDynamicInputs(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings())
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"elements":[{"id":51234560,"name":"Acme Ads"},{"id":51234561,"name":"Acme EU"}]}`})
	got, err := srv.Client().FieldChoices(context.Background(), inst, StreamConversion, "onMappingSave.adAccountId", nil)
	if err != nil || len(got) != 2 || got[0] != (destkit.Choice{Value: account, Label: "Acme Ads"}) {
		t.Fatalf("%v %v", got, err)
	}
	linkedIn(t, srv.Only(t), "GET", "/rest/adAccounts", "q=search")

	// Campaigns and rules need the ad account chosen in the hook's inputs.
	chosen := []byte(`{"onMappingSave":{"inputs":{"adAccountId":"` + account + `"}}}`)
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"elements":[{"id":611,"name":"Spring","status":"ACTIVE"}]}`})
	got, err = srv.Client().FieldChoices(context.Background(), inst, StreamConversion, "onMappingSave.campaignId", chosen)
	if err != nil || len(got) != 1 || got[0] != (destkit.Choice{Value: "611", Label: "Spring"}) {
		t.Fatalf("%v %v", got, err)
	}
	linkedIn(t, srv.Only(t), "GET", "/rest/adAccounts/51234560/adCampaigns", "q=search&search=(status:(values:List(ACTIVE,DRAFT)))")

	// Only enabled Conversions API rules can receive streamed events.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"elements":[{"id":1,"name":"API","enabled":true,"conversionMethod":"CONVERSIONS_API"},` +
		`{"id":2,"name":"Pixel","enabled":true,"conversionMethod":"INSIGHT_TAG"},{"id":3,"name":"Off","enabled":false,"conversionMethod":"CONVERSIONS_API"}]}`})
	got, err = srv.Client().FieldChoices(context.Background(), inst, StreamConversion, "onMappingSave.conversionRuleId", chosen)
	if err != nil || len(got) != 1 || got[0] != (destkit.Choice{Value: "1", Label: "API"}) {
		t.Fatalf("%v %v", got, err)
	}
	linkedIn(t, srv.Only(t), "GET", "/rest/conversions", "q=account&account=urn%3Ali%3AsponsoredAccount%3A51234560&start=0&count=100")

	srv = desttest.NewServer(t)
	var pv *destkit.PayloadValidationError
	for _, f := range []string{"onMappingSave.campaignId", "onMappingSave.conversionRuleId"} {
		if _, err := srv.Client().FieldChoices(context.Background(), inst, StreamConversion, f, nil); !errors.As(err, &pv) || pv.Field != "onMappingSave.adAccountId" {
			t.Errorf("%s without an account: %v", f, err)
		}
	}
	if len(srv.Requests()) != 0 {
		t.Fatal("asked LinkedIn without an account")
	}
	// LinkedIn refusing the chosen account names it.
	for _, f := range []string{"onMappingSave.campaignId", "onMappingSave.conversionRuleId"} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 403, Body: `{"message":"Not enough permissions to access: adAccounts","status":403}`})
		if _, err := srv.Client().FieldChoices(context.Background(), inst, StreamConversion, f, chosen); !errors.As(err, &pv) ||
			pv.Field != "onMappingSave.adAccountId" || !strings.Contains(pv.Message, "Not enough permissions") {
			t.Errorf("%s refused: %v", f, err)
		}
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 503})
	if _, err := srv.Client().FieldChoices(context.Background(), inst, StreamConversion, "onMappingSave.adAccountId", nil); destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}
