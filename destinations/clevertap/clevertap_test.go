package clevertap

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"clevertapAccountId": "W9R-486-4W5Z", "clevertapPasscode": "ct-pass", "clevertapEndpoint": "https://eu1.api.clevertap.com"}

func send(t *testing.T, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"status":"success","processed":1,"unprocessed":[]}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "X-CleverTap-Account-Id", "W9R-486-4W5Z")
	desttest.Header(t, r, "X-CleverTap-Passcode", "ct-pass")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

func TestUserUpload(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "userUpload", `{"type":"track","event":"Signed Up","userId":"user-1",`+
		`"timestamp":"2026-03-02T10:15:42.500Z","properties":{"plan":"pro","seats":3}}`)
	r := send(t, UserUpload, p)
	if r.Method != "POST" || r.Path != "/1/upload" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"d":[{"type":"profile","source":"Segment","profileData":{"plan":"pro","seats":3},`+
		`"identity":"user-1","ts":"2026-03-02T10:15:42.500Z"}]}`)
	// The settings' default endpoint is Segment's (SK).
	reqs, err := desttest.Perform(UserUpload, desttest.Instance(t, Definition, map[string]any{"clevertapAccountId": "a", "clevertapPasscode": "b"}), p)
	if err != nil || reqs[0].URL != "https://sk1.api.clevertap.com/1/upload" {
		t.Fatalf("%v %v", reqs, err)
	}
}

func TestUserDelete(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "userDelete", `{"type":"track","event":"Delete User","userId":"user-1"}`)
	r := send(t, UserDelete, p)
	if r.Method != "POST" || r.Path != "/1/delete/profiles.json" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"identity":"user-1"}`)
}

func TestRefusesAndErrors(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "userUpload", Payload: `{"profileData":{"plan":"pro"}}`, Field: "identity"},
		{Action: "userDelete", Payload: `{"identity":""}`, Field: "identity"},
	})
	desttest.RefusesEmpty(t, Definition, settings, UserUpload, UserDelete)
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, `{"identity":"user-1"}`,
		desttest.Statuses(`{"status":"fail","error":"Invalid identity","code":400}`))
	if _, err := destkit.NewInstance("x", Definition, map[string]any{"clevertapAccountId": "a", "clevertapPasscode": "b",
		"clevertapEndpoint": "https://evil.example.com"}); err == nil {
		t.Fatal("an endpoint outside the choices was accepted")
	}
}
