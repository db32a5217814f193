package livelikecloud

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"clientId": "app-1", "producerToken": "ll-secret"}

// send sends payload and returns the one request after checking its call.
func send(t *testing.T, a *destkit.Action, p []byte, path string) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	checkCall(t, r, path)
	return r
}

func checkCall(t *testing.T, r desttest.Recorded, path string) {
	t.Helper()
	if r.Method != "POST" || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer ll-secret")
	desttest.Header(t, r, "Content-Type", "application/json")
}

func TestTrackEvent(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "trackEvent", `{"type":"track","event":"Quiz Answered","userId":"user-1042","anonymousId":"anon-5c1e",`+
		`"properties":{"livelike_profile_id":"ll-7","quiz":"q-1"},"timestamp":"2026-03-02T10:15:42.500Z"}`)
	r := send(t, TrackEvent, p, "/api/v1/applications/app-1/segment-events/")
	desttest.JSONEqual(t, r.Body, `{"events":[{"event_name":"Quiz Answered","event_type":"track","segment_user_id":"user-1042",
		"livelike_profile_id":"ll-7","anonymous_id":"anon-5c1e","timestamp":"2026-03-02T10:15:42.500Z","properties":{"livelike_profile_id":"ll-7","quiz":"q-1"}}]}`)
}

func TestPagePreset(t *testing.T) {
	// The page preset names the event after the page, or its title.
	p := desttest.Render(t, Definition, "trackEvent", Definition.Presets[1].Mapping,
		`{"type":"page","anonymousId":"anon-5c1e","properties":{"title":"Pricing","custom_id":"c-9"},"timestamp":"2026-03-02T10:15:42.500Z"}`)
	r := send(t, TrackEvent, p, "/api/v1/applications/app-1/segment-events/")
	desttest.JSONEqual(t, r.Body, `{"events":[{"event_name":"Pricing","event_type":"page","anonymous_id":"anon-5c1e","custom_id":"c-9",
		"timestamp":"2026-03-02T10:15:42.500Z","properties":{"title":"Pricing","custom_id":"c-9"}}]}`)
}

// identify is an Engage audience's identify call; member is the flag.
func identify(member string) string {
	return `{"type":"identify","userId":"user-1042","traits":{"vip_users":` + member + `,"email":"jane@example.com","livelike_profile_id":"ll-7"},` +
		`"context":{"personas":{"computation_id":"aud_1","computation_key":"vip_users"}},"timestamp":"2026-03-02T10:15:42.500Z"}`
}

func TestSyncToUserGroup(t *testing.T) {
	p := desttest.RenderDefault(t, Definition, "syncToUserGroup", identify("true"))
	r := send(t, SyncToUserGroup, p, "/api/v1/applications/app-1/segment-audience-sync/")
	desttest.JSONEqual(t, r.Body, `[{"audience_id":"aud_1","audience_name":"vip_users","action":true,"timestamp":"2026-03-02T10:15:42.500Z",
		"user_id":"user-1042","livelike_profile_id":"ll-7","email":"jane@example.com"}]`)

	// A mapped action wins over the audience flag.
	m := string(SyncToUserGroup.DefaultMapping())
	p = desttest.Render(t, Definition, "syncToUserGroup", destkit.JSON(m[:len(m)-1]+`,"action":false}`), identify("true"))
	desttest.JSONEqual(t, send(t, SyncToUserGroup, p, "/api/v1/applications/app-1/segment-audience-sync/").Body,
		`[{"audience_id":"aud_1","audience_name":"vip_users","action":false,"timestamp":"2026-03-02T10:15:42.500Z",
		"user_id":"user-1042","livelike_profile_id":"ll-7","email":"jane@example.com"}]`)
}

func TestSyncBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	in := desttest.RenderDefault(t, Definition, "syncToUserGroup", identify("true"))
	out := desttest.RenderDefault(t, Definition, "syncToUserGroup", identify("false"))
	bad := desttest.RenderDefault(t, Definition, "syncToUserGroup", identify(`"yes"`))
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), SyncToUserGroup, [][]byte{in, bad, out})
	if errs[0] != nil || errs[2] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatalf("%v", errs)
	}
	r := srv.Only(t)
	checkCall(t, r, "/api/v1/applications/app-1/segment-audience-sync/")
	member := func(action string) string {
		return `{"audience_id":"aud_1","audience_name":"vip_users","action":` + action + `,"timestamp":"2026-03-02T10:15:42.500Z",` +
			`"user_id":"user-1042","livelike_profile_id":"ll-7","email":"jane@example.com"}`
	}
	desttest.JSONEqual(t, r.Body, `[`+member("true")+`,`+member("false")+`]`)
}

func TestRefuses(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "trackEvent", Payload: `{"event_name":"x","event_type":"track","anonymous_id":"a","timestamp":"t"}`, Field: "livelike_profile_id"},
		{Action: "syncToUserGroup", Payload: `{"audience_id":"a","audience_name":"vip","timestamp":"t","traits_or_properties_hidden":{"vip":1}}`, Field: "action"},
		{Action: "syncToUserGroup", Payload: `{"audience_id":"a","audience_name":"vip","timestamp":"t"}`, Field: "traits_or_properties_hidden"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrorPaths(t *testing.T) {
	statuses := desttest.Statuses(`{"detail":"Invalid user"}`)
	p := `{"event_name":"x","event_type":"track","segment_user_id":"u-1","timestamp":"t","audience_id":"a","audience_name":"vip","action":true}`
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, p, statuses)
	desttest.BatchErrorPaths(t, Definition, settings, []*destkit.Action{SyncToUserGroup}, p, statuses)
}
