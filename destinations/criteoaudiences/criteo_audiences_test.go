package criteoaudiences

import (
	"context"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"client_id": "cid", "client_secret": "criteo-secret-1", "advertiser_id": "4242"}

func audienceTrack(event, email string) string {
	return `{"type":"track","event":"` + event + `","userId":"u1","properties":{"audience_key":"vip_users","vip_users":true},` +
		`"context":{"traits":{"email":"` + email + `"},"personas":{"computation_class":"audience","computation_key":"vip_users","computation_id":"aud_1"}}}`
}

var (
	tokenReply = desttest.Reply{Body: `{"access_token":"tok-1","token_type":"Bearer","expires_in":900}`}
	searchBody = `{"data":{"attributes":{"audienceSegmentTypes":["ContactList"],"advertiserIds":["4242"]}}}`
)

func checkToken(t *testing.T, r desttest.Recorded) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/oauth2/token" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Content-Type", "application/x-www-form-urlencoded")
	desttest.Header(t, r, "Accept", "text/plain")
	form, _ := url.ParseQuery(string(r.Body))
	if form.Get("client_id") != "cid" || form.Get("client_secret") != "criteo-secret-1" || form.Get("grant_type") != "client_credentials" {
		t.Fatalf("token form %s", r.Body)
	}
}

func checkAPI(t *testing.T, r desttest.Recorded, method, path, query, body string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != query {
		t.Fatalf("%s %s?%s, want %s %s?%s", r.Method, r.Path, r.RawQuery, method, path, query)
	}
	desttest.Header(t, r, "Authorization", "Bearer tok-1")
	desttest.Header(t, r, "Accept", "application/json")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

// The contact list is found on the second page of the advertiser's lists; the id is then
// kept, so the next batch only takes a token and amends.
func TestAddUsersFindsTheListOnce(t *testing.T) {
	srv := desttest.NewServer(t, tokenReply,
		desttest.Reply{Body: `{"data":[{"id":"1","type":"AudienceSegment","attributes":{"name":"other"}}],"meta":{"totalItems":150}}`},
		desttest.Reply{Body: `{"data":[{"id":"777","type":"AudienceSegment","attributes":{"name":"vip_users"}}],"meta":{"totalItems":150}}`},
		desttest.Reply{Body: `{}`}, tokenReply)
	inst := desttest.Instance(t, Definition, settings)
	c := srv.Client()
	batch := [][]byte{
		desttest.RenderDefault(t, Definition, "addUserToAudience", audienceTrack("Audience Entered", "jane@example.com")),
		desttest.RenderDefault(t, Definition, "addUserToAudience", audienceTrack("Audience Entered", "joe@example.com")),
	}
	for _, err := range c.SendBatch(context.Background(), inst, AddUserToAudience, batch) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Send(context.Background(), inst, AddUserToAudience, batch[0]); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 6 {
		t.Fatalf("%d requests", len(rs))
	}
	checkToken(t, rs[0])
	checkAPI(t, rs[1], "POST", "/2023-10/marketing-solutions/audience-segments/search", "limit=100&offset=0", searchBody)
	checkAPI(t, rs[2], "POST", "/2023-10/marketing-solutions/audience-segments/search", "limit=100&offset=100", searchBody)
	checkAPI(t, rs[3], "PATCH", "/2023-10/marketing-solutions/audience-segments/777/contact-list", "",
		`{"data":{"type":"ContactlistAmendment","attributes":{"operation":"add","identifierType":"email","identifiers":["jane@example.com","joe@example.com"]}}}`)
	checkToken(t, rs[4])
	checkAPI(t, rs[5], "PATCH", "/2023-10/marketing-solutions/audience-segments/777/contact-list", "",
		`{"data":{"type":"ContactlistAmendment","attributes":{"operation":"add","identifierType":"email","identifiers":["jane@example.com"]}}}`)
}

// Without a list of that name, one is created; hashed emails are SHA-256 hex digests.
func TestRemoveUsersCreatesTheListAndHashes(t *testing.T) {
	srv := desttest.NewServer(t, tokenReply,
		desttest.Reply{Body: `{"data":[],"meta":{"totalItems":0}}`},
		desttest.Reply{Body: `{"data":[{"id":"901","type":"AudienceSegment"}]}`},
		desttest.Reply{Body: `{}`})
	mapping := destkit.JSON(`{"audience_key":{"@path":"$.properties.audience_key"},"email":{"@path":"$.context.traits.email"},"hash_emails":true,"enable_batching":true}`)
	p := desttest.Render(t, Definition, "removeUserFromAudience", mapping, audienceTrack("Audience Exited", "jane@example.com"))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), RemoveUserFromAudience, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 {
		t.Fatalf("%d requests", len(rs))
	}
	checkAPI(t, rs[2], "POST", "/2023-10/marketing-solutions/audience-segments/create", "",
		`{"data":[{"attributes":{"advertiserId":"4242","name":"vip_users","description":"vip_users","contactList":{}}}]}`)
	checkAPI(t, rs[3], "PATCH", "/2023-10/marketing-solutions/audience-segments/901/contact-list", "",
		`{"data":{"type":"ContactlistAmendment","attributes":{"operation":"remove","identifierType":"email",`+
			`"identifiers":["8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d"]}}}`)
}

// A list another sender created meanwhile is found again after Criteo's uniqueness error.
func TestCreateRaceFindsTheList(t *testing.T) {
	srv := desttest.NewServer(t, tokenReply,
		desttest.Reply{Body: `{"data":[],"meta":{"totalItems":0}}`},
		desttest.Reply{Status: 400, Body: `{"errors":[{"code":"name-must-be-unique","title":"taken"}]}`},
		desttest.Reply{Body: `{"data":[{"id":"902","attributes":{"name":"vip_users"}}],"meta":{"totalItems":1}}`},
		desttest.Reply{Body: `{}`})
	p := desttest.RenderDefault(t, Definition, "addUserToAudience", audienceTrack("Audience Entered", "jane@example.com"))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), AddUserToAudience, p); err != nil {
		t.Fatal(err)
	}
	if rs := srv.Requests(); len(rs) != 5 || rs[4].Path != "/2023-10/marketing-solutions/audience-segments/902/contact-list" {
		t.Fatalf("%v", rs)
	}
}

func TestErrors(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "addUserToAudience", audienceTrack("Audience Entered", "jane@example.com"))
	inst := func() *destkit.Instance { return desttest.Instance(t, Definition, settings) }
	for _, c := range []struct {
		name    string
		replies []desttest.Reply
		want    destkit.Outcome
	}{
		{"token refused", []desttest.Reply{{Status: 401}}, destkit.Retry},
		{"search fails", []desttest.Reply{tokenReply, {Status: 500}}, destkit.Retry},
		{"creation refused", []desttest.Reply{tokenReply, {Body: `{"data":[],"meta":{"totalItems":0}}`}, {Status: 400, Body: `{"errors":[{"code":"invalid"}]}`}}, destkit.Fail},
		{"amendment 400", []desttest.Reply{tokenReply, {Body: `{"data":[{"id":"7","attributes":{"name":"vip_users"}}],"meta":{"totalItems":1}}`}, {Status: 400}}, destkit.Fail},
		{"amendment 503", []desttest.Reply{tokenReply, {Body: `{"data":[{"id":"7","attributes":{"name":"vip_users"}}],"meta":{"totalItems":1}}`}, {Status: 503}}, destkit.Retry},
		{"list id not a number", []desttest.Reply{tokenReply, {Body: `{"data":[{"id":"abc","attributes":{"name":"vip_users"}}],"meta":{"totalItems":1}}`}, {Status: 400}}, destkit.Fail},
	} {
		srv := desttest.NewServer(t, c.replies...)
		err := srv.Client().Send(context.Background(), inst(), AddUserToAudience, p)
		if got := destkit.Classify(err).Outcome; got != c.want {
			t.Errorf("%s: %v (%v)", c.name, got, err)
		}
	}
	// Settings and payloads Criteo would refuse are refused before any request.
	srv := desttest.NewServer(t)
	bad := desttest.Instance(t, Definition, map[string]any{"client_id": "c", "client_secret": "s", "advertiser_id": "acme"})
	if err := srv.Client().Send(context.Background(), bad, AddUserToAudience, p); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("%v", err)
	}
	noKey := desttest.Validate(t, Definition, "addUserToAudience", `{"email":"jane@example.com"}`)
	if err := srv.Client().Send(context.Background(), inst(), AddUserToAudience, noKey); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("%v", err)
	}
	if len(srv.Requests()) != 0 {
		t.Fatal("sent anyway")
	}
}
