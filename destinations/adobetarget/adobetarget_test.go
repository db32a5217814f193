package adobetarget

import (
	"context"
	"net/url"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"client_code": "acmecorp", "bearer_token": "at-token"}

const identify = `{"type":"identify","userId":"user-1","anonymousId":"anon-1","traits":{"plan":"pro","seats":3,"vip":true,` +
	`"phone":"+14155550123","note":"a&b c","address":{"city":"Lyon","zip":null},"tags":["x","y"]}}`

func render(t *testing.T, event string) []byte {
	t.Helper()
	return desttest.Render(t, Definition, "updateProfile", destkit.JSON(`{"traits":{"@path":"$.traits"},`)+destkit.JSON(UpdateProfile.DefaultMapping()[1:]), event)
}

func TestUpdateProfile(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"thirdPartyId":"user-1"}`}, desttest.Reply{Body: ``})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateProfile, render(t, identify)); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Method != "GET" || rs[0].Path != "/rest/v1/profiles/thirdPartyId/user-1" || rs[0].RawQuery != "client=acmecorp" {
		t.Fatalf("lookup %s %s?%s", rs[0].Method, rs[0].Path, rs[0].RawQuery)
	}
	if rs[1].Method != "POST" || rs[1].Path != "/m2/acmecorp/profile/update" || len(rs[1].Body) != 0 {
		t.Fatalf("update %s %s %q", rs[1].Method, rs[1].Path, rs[1].Body)
	}
	// Nested attributes flattened with dots, nulls left out, every value escaped.
	const want = "mbox3rdPartyId=user-1&profile.plan=pro&profile.seats=3&profile.vip=true&profile.phone=%2B14155550123" +
		"&profile.note=a%26b+c&profile.address.city=Lyon&profile.tags.0=x&profile.tags.1=y"
	if rs[1].RawQuery != want {
		t.Fatalf("update query\n got %s\nwant %s", rs[1].RawQuery, want)
	}
	q, _ := url.ParseQuery(rs[1].RawQuery)
	if q.Get("profile.phone") != "+14155550123" || q.Get("profile.note") != "a&b c" {
		t.Fatalf("values %v", q)
	}
	for _, r := range rs {
		desttest.Header(t, r, "Authorization", "Bearer at-token")
	}

	// Without a token no Authorization header is sent; the anonymous ID
	// stands in for a missing user ID.
	srv = desttest.NewServer(t)
	p := render(t, `{"type":"identify","anonymousId":"anon 1/2","traits":{"plan":"pro"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, map[string]any{"client_code": "acmecorp"}), UpdateProfile, p); err != nil {
		t.Fatal(err)
	}
	rs = srv.Requests()
	if rs[1].RawQuery != "mbox3rdPartyId=anon+1%2F2&profile.plan=pro" || rs[0].Header.Get("Authorization") != "" {
		t.Fatalf("requests %+v", rs)
	}
	// The ID is one path segment of the lookup.
	var urls []string
	d := destkit.DoerFunc(func(_ context.Context, r *destkit.Request) (*destkit.Response, error) {
		urls = append(urls, r.URL)
		return &destkit.Response{Status: 200}, nil
	})
	pv, _ := fastjson.ParseBytes(p)
	if err := UpdateProfile.Run(context.Background(), d, &destkit.Input{Payload: pv, Settings: desttest.Instance(t, Definition, settings).Settings}); err != nil {
		t.Fatal(err)
	}
	if len(urls) != 2 || urls[0] != "https://acmecorp.tt.omtrdc.net/rest/v1/profiles/thirdPartyId/anon%201%2F2?client=acmecorp" ||
		urls[1] != "https://acmecorp.tt.omtrdc.net/m2/acmecorp/profile/update?mbox3rdPartyId=anon+1%2F2&profile.plan=pro" {
		t.Fatalf("urls %q", urls)
	}
}

func TestLookupFailures(t *testing.T) {
	p := render(t, identify)
	for status, want := range map[int]destkit.Outcome{404: destkit.Retry, 400: destkit.Retry, 500: destkit.Retry, 403: destkit.Fail, 401: destkit.Fail} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"profile not found"}`})
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateProfile, p)
		if got := destkit.Classify(err).Outcome; got != want || len(srv.Requests()) != 1 {
			t.Errorf("lookup %d: %v (%v)", status, got, err)
		}
	}
	// The update itself is classified as usual.
	srv := desttest.NewServer(t, desttest.Reply{Body: `{}`}, desttest.Reply{Status: 400, Body: `{"message":"bad attribute"}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateProfile, p); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("update 400: %v", err)
	}
}

func TestRefuses(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "updateProfile", Payload: `{"traits":{"a":1}}`, Field: "user_id"},
		{Action: "updateProfile", Payload: `{"user_id":"u"}`, Field: "traits"},
	})
	// A client code that is not a host name label never reaches the network.
	for _, code := range []string{"evil.example.com/x#", "a b", "-x"} {
		srv := desttest.NewServer(t)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, map[string]any{"client_code": code}), UpdateProfile, render(t, identify))
		if destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 0 {
			t.Errorf("client code %q: %v", code, err)
		}
	}
}
