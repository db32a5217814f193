package actionspardot

import (
	"context"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"businessUnitID": "0Uv000000000001AAA", "accountID": "acct-1", "isSandbox": false,
		"oauth": map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "clientId": "cid", "clientSecret": "csecret"}}
}

const identify = `{"type":"identify","userId":"u-1","traits":{"email":"ada@example.com","first_name":"Ada","title":"Countess",` +
	`"address":{"city":"London","postal_code":"W1"},"website":"https://ada.example"}}`

const wantBody = `{"matchEmail":"ada@example.com","prospect":{"email":"ada@example.com","firstName":"Ada","jobTitle":"Countess",` +
	`"city":"London","zip":"W1","website":"https://ada.example"},"secondaryDeletedSearch":true}`

func wantRequest(t *testing.T, r desttest.Recorded, token, body string) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/api/v5/objects/prospects/do/upsertLatestByEmail" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer "+token)
	desttest.Header(t, r, "Pardot-Business-Unit-Id", "0Uv000000000001AAA")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

func TestProspectsDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"id":1234,"email":"ada@example.com"}`})
	p := desttest.RenderDefault(t, Definition, "prospects", identify)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), Prospects, p); err != nil {
		t.Fatal(err)
	}
	wantRequest(t, srv.Only(t), "at-1", wantBody)
	for sandbox, want := range map[bool]string{false: "https://pi.pardot.com/api/v5/objects/prospects/do/upsertLatestByEmail", true: "https://pi.demo.pardot.com/api/v5/objects/prospects/do/upsertLatestByEmail"} {
		s := settings()
		s["isSandbox"] = sandbox
		reqs, err := desttest.Perform(Prospects, desttest.Instance(t, Definition, s), p)
		if err != nil || reqs[0].URL != want {
			t.Errorf("sandbox %v: %v %v", sandbox, reqs, err)
		}
	}
}

// Custom fields come after the standard ones and win over them.
func TestProspectsCustomFields(t *testing.T) {
	p := desttest.Validate(t, Definition, "prospects", `{"email":"ada@example.com","company":"Acme","secondaryDeletedSearch":false,`+
		`"customFields":{"Plan__c":"pro","company":"Acme Ltd"}}`)
	reqs, err := desttest.Perform(Prospects, desttest.Instance(t, Definition, settings()), p)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, reqs[0].Body, `{"matchEmail":"ada@example.com","prospect":{"email":"ada@example.com","company":"Acme Ltd","Plan__c":"pro"},"secondaryDeletedSearch":false}`)
	desttest.RefusesEmpty(t, Definition, settings(), Prospects)
}

// A 401 renews the token at Salesforce's login host and sends again; a
// sandbox renews at test.salesforce.com.
func TestProspectsRefreshesToken(t *testing.T) {
	for sandbox, host := range map[bool]string{false: "login.salesforce.com", true: "test.salesforce.com"} {
		srv := desttest.NewServer(t,
			desttest.Reply{Status: 401, Body: `{"code":184,"message":"access_token is invalid, unknown, or malformed"}`},
			desttest.Reply{Body: `{"access_token":"at-2","instance_url":"https://acme.my.salesforce.com","token_type":"Bearer"}`},
			desttest.Reply{Body: `{"id":1}`})
		s := settings()
		s["isSandbox"] = sandbox
		p := desttest.RenderDefault(t, Definition, "prospects", identify)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), Prospects, p); err != nil {
			t.Fatal(err)
		}
		rs := srv.Requests()
		if len(rs) != 3 || rs[1].Path != "/services/oauth2/token" {
			t.Fatalf("%d requests", len(rs))
		}
		form, _ := url.ParseQuery(string(rs[1].Body))
		if form.Encode() != "client_id=cid&client_secret=csecret&grant_type=refresh_token&refresh_token=rt-1" {
			t.Fatalf("refresh form %v", form)
		}
		wantRequest(t, rs[2], "at-2", wantBody)
		// The token endpoint is chosen by the sandbox setting.
		r := recordingDoer{}
		if _, err := refresh(context.Background(), &r, destkit.OAuthCredentials{}, desttest.Instance(t, Definition, s).Settings); err != nil || r.url != "https://"+host+"/services/oauth2/token" {
			t.Fatalf("sandbox %v: refreshed at %s (%v)", sandbox, r.url, err)
		}
	}
}

type recordingDoer struct{ url string }

func (d *recordingDoer) Do(_ context.Context, r *destkit.Request) (*destkit.Response, error) {
	d.url = r.URL
	return &destkit.Response{Status: 200, Body: []byte(`{"access_token":"x"}`)}, nil
}

func TestProspectsErrors(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "prospects", identify)
	desttest.ErrorPathsFor(t, Definition, settings(), Prospects, p, []desttest.Status{
		{Reply: desttest.Reply{Status: 400, Body: `{"code":29,"message":"Invalid email address"}`}, Outcome: destkit.Fail},
		{Reply: desttest.Reply{Status: 403, Header: map[string]string{"Content-Type": "text/xml"}, Body: `<rsp stat="fail"><err code="181">Invalid business unit</err></rsp>`}, Outcome: destkit.Fail},
		{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, Outcome: destkit.Retry, RetryAfter: 7e9},
		{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
	})
	// A refresh racing another one is retried; a refused one needs a person.
	for body, want := range map[string]destkit.Outcome{
		`{"error":"invalid_grant","error_description":"token request is already being processed"}`: destkit.Retry,
		`{"error":"invalid_grant","error_description":"expired access/refresh token"}`:             destkit.Fail,
	} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Status: 400, Body: body})
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), Prospects, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%s: %v (%v)", body, got, err)
		}
	}
}
