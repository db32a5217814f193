package airship

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"access_token": "tok-1", "app_key": "app-1", "endpoint": "US"}
}

func fixedNow(t *testing.T) {
	old := now
	now = func() time.Time { return time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

func send(t *testing.T, srv *desttest.Server, a *destkit.Action, p []byte) {
	t.Helper()
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), a, p); err != nil {
		t.Fatal(err)
	}
}

func wantRequest(t *testing.T, r desttest.Recorded, method, path, body string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want %s %s", r.Method, r.Path, r.RawQuery, method, path)
	}
	desttest.Header(t, r, "Authorization", "Bearer tok-1")
	desttest.Header(t, r, "X-UA-Appkey", "app-1")
	desttest.Header(t, r, "Accept", "application/vnd.urbanairship+json; version=3")
	if body != "" {
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, body)
	}
}

const track = `{"type":"track","event":"Order Completed","userId":"u-1","timestamp":"2024-05-01T10:00:00.123Z",` +
	`"properties":{"revenue":42.5,"source":"web"},"context":{"device":{"type":"ios"}}}`

func TestCustomEventsDefaultMapping(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"ok":true,"operationId":"op-1"}`})
	p := desttest.RenderDefault(t, Definition, "customEvents", track)
	send(t, srv, CustomEvents, p)
	// The name is lower-cased; source is overwritten with Segment.
	wantRequest(t, srv.Only(t), "POST", "/api/custom-events", `[{"occurred":"2024-05-01T10:00:00","user":{"named_user_id":"u-1"},`+
		`"body":{"name":"order completed","interaction_type":"cdp","properties":{"revenue":42.5,"source":"Segment"}}}]`)
	// The EU data center.
	reqs, _ := desttest.Perform(CustomEvents, desttest.Instance(t, Definition, map[string]any{"access_token": "t", "app_key": "a", "endpoint": "EU"}), p)
	if reqs[0].URL != "https://go.airship.eu/api/custom-events" {
		t.Fatal(reqs[0].URL)
	}
	reqs, _ = desttest.Perform(CustomEvents, desttest.Instance(t, Definition, settings()), p)
	if reqs[0].URL != "https://go.urbanairship.com/api/custom-events" {
		t.Fatal(reqs[0].URL)
	}
}

// A channel id targets the channel, under its platform's key.
func TestAudienceByChannel(t *testing.T) {
	fixedNow(t)
	for typ, key := range map[string]string{"ios": "ios_channel", "Android": "android_channel", "web": "web_channel", "": "channel", "tv": "channel"} {
		m := `{"channel_id":"9c36e8c7","channel_type":"` + typ + `","name":{"@path":"$.event"},"occurred":{"@path":"$.timestamp"}}`
		reqs, err := desttest.Perform(CustomEvents, desttest.Instance(t, Definition, settings()), desttest.Render(t, Definition, "customEvents", destkit.JSON(m), track))
		if err != nil || !strings.Contains(string(reqs[0].Body), `"user":{"`+key+`":"9c36e8c7"}`) {
			t.Errorf("%q: %v %s", typ, err, reqs[0].Body)
		}
	}
}

func TestCustomEventsBatch(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "customEvents", track)
	old := desttest.RenderDefault(t, Definition, "customEvents", strings.Replace(track, "2024-05-01", "2024-01-01", 1))
	anon := desttest.Validate(t, Definition, "customEvents", `{"name":"x","occurred":"2024-05-01T10:00:00Z"}`)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), CustomEvents, [][]byte{p, old, anon, p})
	if errs[0] != nil || errs[3] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail || destkit.Classify(errs[2]).Outcome != destkit.Fail {
		t.Fatal(errs)
	}
	one := `{"occurred":"2024-05-01T10:00:00","user":{"named_user_id":"u-1"},"body":{"name":"order completed","interaction_type":"cdp","properties":{"revenue":42.5,"source":"Segment"}}}`
	wantRequest(t, srv.Only(t), "POST", "/api/custom-events", `[`+one+`,`+one+`]`)
	desttest.Refuses(t, Definition, settings(), []desttest.Invalid{
		{Action: "customEvents", Payload: `{"named_user_id":"u","name":"x","occurred":"2024-01-01T00:00:00Z"}`, Field: "occurred"},
		{Action: "customEvents", Payload: `{"name":"x","occurred":"2024-05-01T00:00:00Z"}`, Field: "named_user_id"},
		{Action: "setAttributes", Payload: `{"occurred":"2024-05-01T00:00:00Z","attributes":{}}`, Field: "named_user_id"},
		{Action: "manageTags", Payload: `{"tag_group":"g","tags":{"vip":true}}`, Field: "named_user_id"},
	})
}

func TestSetAttributesDefaultMapping(t *testing.T) {
	fixedNow(t)
	srv := desttest.NewServer(t)
	identify := `{"type":"identify","userId":"u-1","timestamp":"2024-05-09T08:00:00.000Z","context":{"device":{"advertisingId":"7A3C"}},` +
		`"traits":{"first_name":"Ada","last_name":"","birthday":"1990-04-12","phone":"+1 (415) 555-0123","address":{"city":"Berlin","postalCode":10115},"account_creation":"04/12/2020","title":"Dr"}}`
	send(t, srv, SetAttributes, desttest.RenderDefault(t, Definition, "setAttributes", identify))
	ts := `"timestamp":"2024-05-09T08:00:00"`
	wantRequest(t, srv.Only(t), "POST", "/api/channels/attributes", `{"attributes":[`+
		`{"action":"set","key":"title",`+ts+`,"value":"Dr"},`+
		`{"action":"set","key":"first_name",`+ts+`,"value":"Ada"},`+
		`{"action":"remove","key":"last_name",`+ts+`},`+
		`{"action":"set","key":"zipcode",`+ts+`,"value":10115},`+
		`{"action":"set","key":"city",`+ts+`,"value":"Berlin"},`+
		`{"action":"set","key":"birthdate",`+ts+`,"value":"1990-04-12T00:00:00"},`+
		`{"action":"set","key":"mobile_phone",`+ts+`,"value":14155550123},`+
		`{"action":"set","key":"account_creation",`+ts+`,"value":"2020-04-12T00:00:00"},`+
		`{"action":"set","key":"advertising_id",`+ts+`,"value":"7A3C"}],`+
		`"audience":{"named_user_id":"u-1"}}`)
	// JSON attributes get an instance id; old events lose the timestamp.
	p := desttest.Validate(t, Definition, "setAttributes", `{"named_user_id":"u-1","occurred":"2023-01-01T00:00:00Z","attributes":{"prefs":{"a":1},"list#x":[1],"nickname":"A 2024-05-01 note"}}`)
	reqs, err := desttest.Perform(SetAttributes, desttest.Instance(t, Definition, settings()), p)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, reqs[0].Body, `{"attributes":[{"action":"set","key":"prefs#default","value":{"a":1}},{"action":"set","key":"list#x","value":[1]},`+
		`{"action":"set","key":"nickname","value":"A 2024-05-01 note"}],"audience":{"named_user_id":"u-1"}}`)
}

func TestManageTags(t *testing.T) {
	srv := desttest.NewServer(t)
	identify := `{"type":"identify","userId":"u-1","traits":{"airship_tags":{"vip":true,"churned":"FALSE","beta":"True","score":3}}}`
	send(t, srv, ManageTags, desttest.RenderDefault(t, Definition, "manageTags", identify))
	wantRequest(t, srv.Only(t), "POST", "/api/named_users/tags",
		`{"audience":{"named_user_id":"u-1"},"add":{"segment-integration":["vip","beta"]},"remove":{"segment-integration":["churned"]}}`)
	// A channel's tags go to the channel endpoint.
	p := desttest.Validate(t, Definition, "manageTags", `{"channel_id":"c-1","channel_type":"android","tag_group":"g","tags":{"vip":false}}`)
	reqs, _ := desttest.Perform(ManageTags, desttest.Instance(t, Definition, settings()), p)
	if reqs[0].URL != "https://go.urbanairship.com/api/channels/tags" || string(reqs[0].Body) != `{"audience":{"android_channel":"c-1"},"remove":{"g":["vip"]}}` {
		t.Fatalf("%s %s", reqs[0].URL, reqs[0].Body)
	}
}

const registered = `{"type":"track","event":"Address Registered","userId":"u-1","context":{"locale":"de-DE","timezone":"Europe/Berlin"},` +
	`"properties":{"address":"ada@example.com","commercial_opted_in":"2024-05-01T10:00:00.000Z","click_tracking_opted_out":"yesterday"}}`

func TestRegisterAndAssociateEmail(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"ok":true,"channel_id":"ch-9"}`}, desttest.Reply{Body: `{"ok":true}`})
	send(t, srv, RegisterAndAssociate, desttest.RenderDefault(t, Definition, "registerAndAssociate", registered))
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantRequest(t, rs[0], "POST", "/api/channels/email", `{"channel":{"type":"email","address":"ada@example.com",`+
		`"commercial_opted_in":"2024-05-01T10:00:00","click_tracking_opted_out":"yesterday","locale_language":"de","locale_country":"DE","timezone":"Europe/Berlin"}}`)
	wantRequest(t, rs[1], "POST", "/api/named_users/associate", `{"channel_id":"ch-9","device_type":"email","named_user_id":"u-1"}`)
}

func TestRegisterAndAssociateSMS(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"ok":true,"channel_id":"ch-7","status":"pending"}`})
	p := desttest.Validate(t, Definition, "registerAndAssociate", `{"channel_type":"sms","sms_sender":"12345","locale":"en-US",`+
		`"channel_object":{"address":"15035556789","sms_opted_in":"2024-05-01T10:00:00Z"}}`)
	send(t, srv, RegisterAndAssociate, p)
	// No named user: registration only.
	wantRequest(t, srv.Only(t), "POST", "/api/channels/sms", `{"msisdn":"15035556789","opted_in":"2024-05-01T10:00:00","sender":"12345","locale_language":"en","locale_country":"US"}`)
}

// A new address replaces the old address's channel, found by a lookup.
func TestRegisterAndAssociateReplace(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"ok":true,"channel":{"channel_id":"old-1","address":"ada@example.com"}}`}, desttest.Reply{Body: `{"ok":true,"channel_id":"new-1"}`})
	p := desttest.Validate(t, Definition, "registerAndAssociate", `{"named_user_id":"u-1","channel_object":{"address":"ada@example.com","new_address":"ada@new.example"}}`)
	send(t, srv, RegisterAndAssociate, p)
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	wantRequest(t, rs[0], "GET", "/api/channels/email/ada@example.com", "")
	wantRequest(t, rs[1], "POST", "/api/channels/email/replace/old-1", `{"channel":{"type":"email","address":"ada@new.example"}}`)
	// The lookup failing fails the event.
	srv = desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"ok":false,"error":"not found"}`})
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), RegisterAndAssociate, p)
	if destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 1 {
		t.Fatalf("%v", err)
	}
}

func TestErrors(t *testing.T) {
	fixedNow(t)
	s := settings()
	desttest.ErrorPathsFor(t, Definition, s, CustomEvents, desttest.RenderDefault(t, Definition, "customEvents", track), desttest.Statuses(`{"ok":false,"error":"bad"}`))
	desttest.ErrorPaths(t, Definition, s, []*destkit.Action{SetAttributes, ManageTags}, `{"named_user_id":"u-1","occurred":"2024-05-01T00:00:00Z","tag_group":"g","attributes":{"a":"b"}}`, desttest.Statuses(`{"ok":false}`))
	desttest.ErrorPathsFor(t, Definition, s, RegisterAndAssociate, desttest.RenderDefault(t, Definition, "registerAndAssociate", registered), desttest.Statuses(`{"ok":false}`))
	desttest.BatchErrorPaths(t, Definition, s, []*destkit.Action{CustomEvents}, `{"named_user_id":"u-1","name":"x","occurred":"2024-05-01T00:00:00Z"}`, desttest.Statuses(`{"ok":false}`))
	desttest.RefusesEmpty(t, Definition, s, CustomEvents, SetAttributes, ManageTags)
}

func TestDeleteUser(t *testing.T) {
	srv := desttest.NewServer(t)
	if err := srv.Client().Delete(context.Background(), desttest.Instance(t, Definition, settings()), "u-1", ""); err != nil {
		t.Fatal(err)
	}
	wantRequest(t, srv.Only(t), "POST", "/api/named_users/uninstall", `{"named_user_id":["u-1"]}`)
}
