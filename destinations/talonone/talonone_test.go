package talonone

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "t1-key", "deployment": "https://acme.europe-west1.talon.one"}

const (
	identify = `{"type":"identify","userId":"user-1","traits":{"email":"ada@example.com","plan":"pro",` +
		`"attributesInfo":[{"name":"plan","type":"string"}]}}`
	track = `{"type":"track","event":"Coupon Used","userId":"user-1","properties":{"attributes":{"code":"SPRING","value":5},` +
		`"attributesInfo":[{"name":"code","type":"string"}],"audiencesToAdd":[{"name":"VIP","integrationId":"vip-1"}],` +
		`"audiencesToDelete":[{"name":"Churned"}]}}`
)

// sent sends payload through a and returns the one request the API got,
// after checking the credentials every request carries.
func sent(t *testing.T, a *destkit.Action, payload []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, payload); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "Authorization", "ApiKey-v1 t1-key")
	desttest.Header(t, r, "destination-hostname", "https://acme.europe-west1.talon.one")
	return r
}

func expect(t *testing.T, r desttest.Recorded, method, path, query, body string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != query {
		t.Fatalf("got %s %s?%s, want %s %s?%s", r.Method, r.Path, r.RawQuery, method, path, query)
	}
	if body == "" {
		if len(r.Body) != 0 || r.Header.Get("Content-Type") != "" {
			t.Fatalf("unexpected body %q (%s)", r.Body, r.Header.Get("Content-Type"))
		}
		return
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

func TestAudiences(t *testing.T) {
	r := sent(t, CreateAudience, desttest.Validate(t, Definition, "createAudience", `{"audienceId":"aud_1","audienceName":"VIP"}`))
	expect(t, r, "POST", "/segment/audiences", "", `{"audienceId":"aud_1","audienceName":"VIP"}`)
	r = sent(t, UpdateAudience, desttest.Validate(t, Definition, "updateAudience", `{"audienceId":"aud_1","audienceName":"VIPs"}`))
	expect(t, r, "PUT", "/segment/audiences/aud_1", "", `{"audienceName":"VIPs"}`)
	r = sent(t, DeleteAudience, desttest.Validate(t, Definition, "deleteAudience", `{"audienceId":"aud_1"}`))
	expect(t, r, "DELETE", "/segment/audiences/aud_1", "", "")
}

func TestUpdateCustomerProfile(t *testing.T) {
	p := desttest.Render(t, Definition, "updateCustomerProfile",
		destkit.JSON(UpdateCustomerProfile.DefaultMapping()[:len(UpdateCustomerProfile.DefaultMapping())-1])+`,"addAudienceIds":[7,8]}`, identify)
	r := sent(t, UpdateCustomerProfile, p)
	expect(t, r, "PUT", "/segment/customer_profile/user-1", "", `{"attributes":{"email":"ada@example.com","plan":"pro",`+
		`"attributesInfo":[{"name":"plan","type":"string"}]},"audiencesChanges":{"adds":[7,8]},"runRuleEngine":false,`+
		`"attributesInfo":[{"name":"plan","type":"string"}]}`)
}

func TestUpdateCustomerProfileV2(t *testing.T) {
	r := sent(t, UpdateCustomerProfileV2, desttest.RenderDefault(t, Definition, "updateCustomerProfileV2", track))
	expect(t, r, "PUT", "/segment/customer_profile_v2/user-1", "", `{"audiencesChanges":{"adds":[{"name":"VIP","integrationId":"vip-1"}],`+
		`"deletes":[{"name":"Churned"}]},"runRuleEngine":true,"attributesInfo":[{"name":"code","type":"string"}]}`)
}

func TestUpdateCustomerProfileV3(t *testing.T) {
	r := sent(t, UpdateCustomerProfileV3, desttest.RenderDefault(t, Definition, "updateCustomerProfileV3", identify))
	expect(t, r, "PUT", "/segment/v2/customer_profiles/user-1", "", `{"audiencesChanges":{},"runRuleEngine":true,`+
		`"attributes":{"email":"ada@example.com","plan":"pro","attributesInfo":[{"name":"plan","type":"string"}]}}`)
	// The flag becomes a query parameter; an ID is one path segment.
	p := desttest.Validate(t, Definition, "updateCustomerProfileV3", `{"customerProfileId":"a/b c","skipNonExistingAttributes":true,"deleteAudienceIds":[3]}`)
	r = sent(t, UpdateCustomerProfileV3, p)
	expect(t, r, "PUT", "/segment/v2/customer_profiles/a/b c", "skipNonExistingAttributes=true", `{"audiencesChanges":{"deletes":[3]}}`)
	reqs, err := desttest.Perform(UpdateCustomerProfileV3, desttest.Instance(t, Definition, settings), p)
	if err != nil || reqs[0].URL != apiBase+"/v2/customer_profiles/a%2Fb%20c?skipNonExistingAttributes=true" {
		t.Fatalf("url %v %v", reqs, err)
	}
}

func TestUpdateCustomerProfilesAudiences(t *testing.T) {
	p := desttest.Validate(t, Definition, "updateCustomerProfilesAudiences",
		`{"data":[{"customerProfileId":"user-1","adds":[1,"2"]},{"customerProfileId":"user-2","deletes":[3]}]}`)
	r := sent(t, UpdateCustomerProfilesAudiences, p)
	expect(t, r, "PUT", "/segment/customer_profiles/audiences", "",
		`{"data":[{"customerProfileId":"user-1","adds":[1,2]},{"customerProfileId":"user-2","deletes":[3]}]}`)
}

func TestTrackEvent(t *testing.T) {
	r := sent(t, TrackEvent, desttest.RenderDefault(t, Definition, "trackEvent", track))
	expect(t, r, "PUT", "/segment/event", "", `{"customerProfileId":"user-1","eventType":"Coupon Used","type":"string",`+
		`"eventAttributes":{"code":"SPRING","value":5},"attributesInfo":[{"name":"code","type":"string"}]}`)
	r = sent(t, TrackEventV2, desttest.RenderDefault(t, Definition, "trackEventV2", track))
	expect(t, r, "PUT", "/segment/v2/events", "", `{"customerProfileId":"user-1","eventType":"Coupon Used",`+
		`"eventAttributes":{"code":"SPRING","value":5}}`)
}

func TestUpdateCustomerSession(t *testing.T) {
	p := desttest.Render(t, Definition, "updateCustomerSession", `{"customerSessionId":{"@path":"$.properties.session_id"},`+
		`"contentFields":"effects","callbackDestination":"https://hooks.example.com/t1",`+
		`"customerSession":{"profileId":{"@path":"$.userId"},"state":"open","couponCodes":["SPRING"],`+
		`"cartItems":[{"sku":"TS-1","quantity":2,"price":89.99,"category":"Shoes","color":"black"}]},`+
		`"sessionAttributesInfo":{"@arrayPath":["$.properties.attributesInfo",{"name":{"@path":"$.name"},"type":{"@path":"$.type"}}]}}`,
		`{"type":"track","event":"Cart Updated","userId":"user-1","properties":{"session_id":"s-9","attributesInfo":[{"name":"code","type":"string"}]}}`)
	r := sent(t, UpdateCustomerSession, p)
	expect(t, r, "PUT", "/segment/customer_sessions/s-9", "", `{"customerSession":{"profileId":"user-1","state":"open",`+
		`"couponCodes":["SPRING"],"cartItems":[{"sku":"TS-1","quantity":2,"price":89.99,"category":"Shoes"}]},"sessionAttributesInfo":[{"name":"code","type":"string"}]}`)
	desttest.Header(t, r, "X-Callback-Destination-URI", "https://hooks.example.com/t1")
	desttest.Header(t, r, "X-Content-Fields", "effects")
	if _, ok := r.Header["X-Correlation-Id"]; ok {
		t.Fatal("an unmapped callback header was sent")
	}
}

func TestUpdateCustomerSessionV2(t *testing.T) {
	p := desttest.Render(t, Definition, "updateCustomerSessionV2", destkit.JSON(`{"customerSessionId":"s-9","skipNonExistingAttributes":true,`+
		`"profileId":{"@path":"$.userId"},"identifiers":["203.0.113.7"],"referralCode":"REF-1","attributes":{"@path":"$.properties.attributes"},`+
		`"cartItems":[{"sku":"TS-1","quantity":1,"category":"Shoes"}],"callbackCorrelationId":"corr-1","callbackAPIKey":"X-API-Key abc"}`), track)
	r := sent(t, UpdateCustomerSessionV2, p)
	expect(t, r, "PUT", "/segment/v2/customer_sessions/s-9", "skipNonExistingAttributes=true", `{"profileId":"user-1","referralCode":"REF-1",`+
		`"cartItems":[{"sku":"TS-1","quantity":1,"category":"Shoes"}],"identifiers":["203.0.113.7"],"attributes":{"code":"SPRING","value":5}}`)
	desttest.Header(t, r, "X-Correlation-ID", "corr-1")
	desttest.Header(t, r, "X-Callback-API-Key", "X-API-Key abc")
}

func TestRefuses(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "createAudience", Payload: `{"audienceId":"a"}`, Field: "audienceName"},
		{Action: "trackEventV2", Payload: `{"customerProfileId":"u"}`, Field: "eventType"},
		{Action: "updateCustomerSession", Payload: `{"customerSessionId":"s"}`, Field: "customerSession"},
		{Action: "updateCustomerProfilesAudiences", Payload: `{"data":[{"adds":[1]}]}`, Field: "data[0].customerProfileId"},
		{Action: "updateCustomerProfileV2", Payload: `{"customerProfileId":"u","attributesInfo":[{"name":"a","type":"date"}]}`, Field: "attributesInfo[0].type"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{TrackEventV2, UpdateCustomerProfileV3},
		`{"customerProfileId":"user-1","eventType":"Coupon Used"}`, desttest.Statuses(`{"message":"unknown attribute"}`))
}
