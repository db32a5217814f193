package amazonamc

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"region": europe, "oauth": map[string]any{
		"access_token": "at-1", "refresh_token": "rt-1", "clientId": "amzn1.application-oa2-client.cid", "clientSecret": "csecret"}}
}

func audienceEvent(event, userID string) string {
	return `{"type":"track","event":"` + event + `","userId":"` + userID + `","messageId":"m-1","timestamp":"2026-12-04T07:00:00Z",` +
		`"properties":{"first_name":"Jane","last_name":"Doe","phone":"+1 (415) 555-0123","postal":"94107","city":"San Francisco",` +
		`"state":"CA","address":"1 Market St.","ip":"203.0.113.9"},` +
		`"context":{"traits":{"email":"Jane.Doe+1@Example.com"},"personas":{"computation_key":"vip","external_audience_id":"379909525712777677"}}}`
}

// Known digests, by Python's hashlib, of the normalised values: jane, doe, 1marketst,
// 94107, 14155550123, sanfrancisco, ca and jane.doe1@example.com.
const hashedPII = `{"firstname":"81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2",` +
	`"lastname":"799ef92a11af918e3fb741df42934f3b568ed2d93ac1df74f1b8d41a27932a6f",` +
	`"address":"71c0bf64f89c9b5a95587cfa4c2ef04fd6d83ca463e41912a5b44d0f18effdb1",` +
	`"postal":"c884a209ebe08750a7d13db63bd02233b375bd79786cbe329ab11586cc35dead",` +
	`"phone":"413ba75461ab5f99d36820e561ea97e2bd80f9cb586f7ecea6cf4c496518950a",` +
	`"city":"1a6bd4d9d79dc0a79b53795c70d3349fa9e38968a3fbefbfe8783efb1d2b6aac",` +
	`"state":"6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",` +
	`"email":"df180336316f9f1d64105b9345121f479c752451cc759548310d460eb786b677"}`

func TestSyncAudiencesToDSP(t *testing.T) {
	t.Setenv("ACTUATE_AMAZON_AMC_CLIENT_ID", "amzn1.application-oa2-client.cid")
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"jobRequestId":"job-1"}`})
	inst := desttest.Instance(t, Definition, settings())
	p := desttest.RenderDefault(t, Definition, "syncAudiencesToDSP", audienceEvent("Audience Entered", "user-1"))
	if err := srv.Client().Send(context.Background(), inst, SyncAudiencesToDSP, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/amc/audiences/records" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Content-Type", "application/vnd.amcaudiences.v1+json")
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	desttest.Header(t, r, "Amazon-Advertising-API-ClientID", "amzn1.application-oa2-client.cid")
	desttest.JSONEqual(t, r.Body, `{"records":[{"externalUserId":"user-1","action":"CREATE","hashedPII":[`+hashedPII+`]}],"audienceId":379909525712777677}`)
	if !strings.Contains(string(r.Body), `"audienceId":379909525712777677}`) {
		t.Fatal("the audience id is not the exact number")
	}
}

// A batch: adds and removes in event order, an invalid user id left out and failed alone,
// the country code the audience hook saved on the mapping.
func TestSyncAudiencesToDSPBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"jobRequestId":"job-1"}`})
	inst := desttest.Instance(t, Definition, settings())
	m := string(SyncAudiencesToDSP.DefaultMapping())
	m = m[:len(m)-1] + `,"onMappingSave":{"outputs":{"externalId":"379909525712777677","countryCode":"GB"}}}`
	var payloads [][]byte
	for _, ev := range []string{audienceEvent("Audience Entered", "user-1"), audienceEvent("Audience Exited", "user 2"), audienceEvent("Audience Exited", "user-3")} {
		payloads = append(payloads, desttest.Render(t, Definition, "syncAudiencesToDSP", destkit.JSON(m), ev))
	}
	errs := srv.Client().SendBatch(context.Background(), inst, SyncAudiencesToDSP, payloads)
	if errs[0] != nil || errs[2] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail || !strings.Contains(errs[1].Error(), "externalUserId") {
		t.Fatalf("errors %v", errs)
	}
	record := func(user, action string) string {
		return `{"externalUserId":"` + user + `","countryCode":"GB","action":"` + action + `","hashedPII":[` + hashedPII + `]}`
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"audienceId":379909525712777677,"records":[`+record("user-1", "CREATE")+`,`+record("user-3", "DELETE")+`]}`)
}

func TestSyncAudiencesToDSPErrors(t *testing.T) {
	p := `{"event_name":"Audience Entered","externalUserId":"user-1","audienceId":"123","enable_batching":true}`
	desttest.ErrorPaths(t, Definition, settings(), []*destkit.Action{SyncAudiencesToDSP}, p, append(desttest.Statuses(`{"code":"400","details":"bad"}`)[0:1],
		desttest.Statuses("")[2:]...))
	desttest.BatchErrorPaths(t, Definition, settings(), []*destkit.Action{SyncAudiencesToDSP}, p, desttest.Statuses("")[2:])
	desttest.Refuses(t, Definition, settings(), []desttest.Invalid{
		{Action: "syncAudiencesToDSP", Payload: `{"externalUserId":"user 1","audienceId":"123","enable_batching":true}`, Field: "externalUserId"},
		{Action: "syncAudiencesToDSP", Payload: `{"externalUserId":"user-1","audienceId":"123","enable_batching":true,"phone":"no digits"}`, Field: "phone"},
		{Action: "syncAudiencesToDSP", Payload: `{"externalUserId":"user-1","enable_batching":true}`, Field: "audienceId"},
	})
	desttest.RefusesEmpty(t, Definition, settings(), SyncAudiencesToDSP)
}

// A 401 renews the token at the region's Login with Amazon endpoint and sends again; a
// refresh token Amazon no longer takes needs a person.
func TestSyncAudiencesToDSPRefreshesToken(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"at-2","token_type":"bearer","expires_in":3600}`}, desttest.Reply{Body: `{}`})
	inst := desttest.Instance(t, Definition, settings())
	p := desttest.Validate(t, Definition, "syncAudiencesToDSP", `{"event_name":"Audience Entered","externalUserId":"user-1","audienceId":"123","enable_batching":true}`)
	if err := srv.Client(destkit.OverrideHost("api.amazon.co.uk", srv.URL)).Send(context.Background(), inst, SyncAudiencesToDSP, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[1].Method != "POST" || rs[1].Path != "/auth/o2/token" {
		t.Fatalf("requests %+v", rs)
	}
	form, _ := url.ParseQuery(string(rs[1].Body))
	if form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != "rt-1" || form.Get("client_id") != "amzn1.application-oa2-client.cid" ||
		form.Get("client_secret") != "csecret" || rs[1].Header.Get("Authorization") != "" {
		t.Fatalf("refresh %v %v", form, rs[1].Header)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer at-2")

	srv = desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Status: 400, Body: `{"error":"invalid_grant","error_description":"expired"}`})
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), SyncAudiencesToDSP, p)
	if destkit.Classify(err).Outcome != destkit.Fail || !strings.Contains(err.Error(), "expired") || strings.Contains(err.Error(), "rt-1") {
		t.Fatalf("expired refresh token: %v", err)
	}
}

// The audience hook creates the audience (ids as exact numbers both ways) or checks one,
// and saves the country code for the records.
func TestAudienceHook(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings())
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"audienceId":379909525712777677,"name":"VIP"}`})
	out, err := srv.Client().RunHook(context.Background(), inst, SyncAudiencesToDSP, audienceHook.Key, []byte(`{"audienceName":"VIP",`+
		`"audienceSettings":{"description":"VIP users","countryCode":"GB","externalAudienceId":"seg-vip","advertiserId":"5851234567890123456",`+
		`"ttl":86400,"cpmCents":150,"currency":"GBP"}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"externalId":"379909525712777677"`, `"countryCode":"GB"`} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("outputs %s lack %s", out, want)
		}
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/amc/audiences/metadata" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Content-Type", "application/vnd.amcaudiences.v1+json")
	desttest.JSONEqual(t, r.Body, `{"name":"VIP","description":"VIP users","targetResource":{"advertiserId":5851234567890123456},`+
		`"metadata":{"externalAudienceId":"seg-vip","ttl":86400,"audienceFees":[{"currency":"GBP","cpmCents":150}]},"countryCode":"GB"}`)
	if !strings.Contains(string(r.Body), `"advertiserId":5851234567890123456}`) {
		t.Fatal("the advertiser id is not the exact number")
	}

	srv = desttest.NewServer(t, desttest.Reply{Body: `{"audienceId":379909525712777677}`})
	if _, err := srv.Client().RunHook(context.Background(), inst, SyncAudiencesToDSP, audienceHook.Key, []byte(`{"externalId":"379909525712777677"}`), nil); err != nil {
		t.Fatal(err)
	}
	if r := srv.Only(t); r.Method != "GET" || r.Path != "/amc/audiences/metadata/379909525712777677" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	_, err = desttest.NewServer(t).Client().RunHook(context.Background(), inst, SyncAudiencesToDSP, audienceHook.Key,
		[]byte(`{"audienceName":"VIP","audienceSettings":{"countryCode":"GB","externalAudienceId":"x","advertiserId":"1","description":"d","ttl":99999999}}`), nil)
	if destkit.Classify(err).Outcome != destkit.Fail || !strings.Contains(err.Error(), "ttl") {
		t.Fatalf("ttl: %v", err)
	}
}
