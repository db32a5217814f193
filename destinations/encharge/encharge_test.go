package encharge

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "ek-1"}

func send(t *testing.T, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "X-Encharge-Token", "ek-1")
	desttest.Header(t, r, "X-Segment-Actions", "1")
	desttest.Header(t, r, "Content-Type", "application/json")
	if r.RawQuery != "" {
		t.Fatalf("query %s", r.RawQuery)
	}
	return r
}

// The expected bodies are what Segment's implementation sends for the same
// events with the default mappings.
func TestActions(t *testing.T) {
	for _, c := range []struct {
		action       *destkit.Action
		event        string
		method, path string
		want         string
	}{
		{TrackEvent, `{"type":"track","event":"Signed Up","userId":"u-1","anonymousId":"a-1","messageId":"m-1","timestamp":"2026-03-02T10:15:00.000Z",` +
			`"properties":{"plan":"pro","email":"p@x.co"},"context":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0","groupId":"g-1",` +
			`"traits":{"email":"ada@example.com","name":"Ada","userId":"override"},"page":{"url":"https://x.co/a","path":"/a"},"campaign":{"name":"spring"},"location":{"city":"Lyon"}}}`,
			"POST", "/v1",
			`{"event":"Signed Up","properties":{"plan":"pro","email":"p@x.co"},"userFields":{"email":"ada@example.com","name":"Ada","userId":"override"},"type":"track",` +
				`"email":"ada@example.com","segmentAnonymousId":"a-1","userId":"u-1","timestamp":"2026-03-02T10:15:00.000Z","messageId":"m-1",` +
				`"context":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0","campaign":{"name":"spring"},"page":{"url":"https://x.co/a","path":"/a"},"location":{"city":"Lyon"},"groupId":"g-1"},` +
				`"user":{"email":"ada@example.com","userId":"override","segmentAnonymousId":"a-1","name":"Ada"}}`},
		{TrackPageView, `{"type":"page","name":"Home","anonymousId":"a-1","messageId":"m-2","timestamp":"2026-03-02T10:15:00.000Z",` +
			`"properties":{"url":"https://x.co/"},"context":{"page":{"url":"https://x.co/","title":"Home"}}}`,
			"POST", "/v1",
			`{"properties":{"url":"https://x.co/"},"type":"page","segmentAnonymousId":"a-1","timestamp":"2026-03-02T10:15:00.000Z","messageId":"m-2",` +
				`"context":{"campaign":{},"page":{"url":"https://x.co/","title":"Home"},"location":{}},"user":{"segmentAnonymousId":"a-1"}}`},
		{IdentifyUser, `{"type":"identify","userId":"u-1","messageId":"m-3","timestamp":"2026-03-02T10:15:00.000Z","traits":{"email":"ada@example.com","name":"Ada","plan":"pro"},"context":{"ip":"203.0.113.7"}}`,
			"POST", "/v1",
			`{"email":"ada@example.com","type":"identify","userId":"u-1","timestamp":"2026-03-02T10:15:00.000Z","messageId":"m-3",` +
				`"context":{"ip":"203.0.113.7","campaign":{},"page":{},"location":{}},"user":{"email":"ada@example.com","userId":"u-1","name":"Ada","plan":"pro"}}`},
		{AliasUser, `{"type":"alias","userId":"u-1","previousId":"a-1","messageId":"m-4","timestamp":"2026-03-02T10:15:00.000Z"}`,
			"POST", "/v1", `{"userId":"u-1","previousUserId":"a-1","timestamp":"2026-03-02T10:15:00.000Z","messageId":"m-4","type":"alias"}`},
		{CreateUpdateObject, `{"type":"group","userId":"u-1","groupId":"g-1","email":"ada@example.com","traits":{"name":"Acme","externalId":"old","employees":50}}`,
			"POST", "/v1", `{"type":"group","objectType":"company","properties":{"name":"Acme","externalId":"g-1","employees":50},"user":{"email":"ada@example.com","userId":"u-1"}}`},
		{AddTag, `{"type":"identify","userId":"u-1","anonymousId":"a-1","traits":{"tag":"vip,beta"}}`,
			"POST", "/v1/tags", `{"tag":"vip,beta","userId":"u-1","segmentAnonymousId":"a-1"}`},
		{RemoveTag, `{"type":"identify","userId":"u-1","traits":{"tag":"beta"}}`,
			"DELETE", "/v1/tags", `{"tag":"beta","userId":"u-1"}`},
	} {
		t.Run(c.action.Key, func(t *testing.T) {
			p := desttest.RenderDefault(t, Definition, c.action.Key, c.event)
			reqs, err := c.action.Perform(&destkit.Input{Payload: parse(t, p), Settings: desttest.Instance(t, Definition, settings).Settings})
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]string{true: ingestURL, false: restBase + "/tags"}[c.path == "/v1"]; reqs[0].URL != want {
				t.Fatalf("url %s, want %s", reqs[0].URL, want)
			}
			r := send(t, c.action, p)
			if r.Method != c.method || r.Path != c.path {
				t.Fatalf("got %s %s", r.Method, r.Path)
			}
			desttest.JSONEqual(t, r.Body, c.want)
		})
	}
}

// TestObjectIDsOverrideFields: the object's external id and id replace
// fields of the same name in place, even with nothing (then they go).
func TestObjectIDsOverrideFields(t *testing.T) {
	p := desttest.Validate(t, Definition, "createUpdateObject", `{"objectType":"project","objectData":{"id":"x","title":"T","externalId":"old"}}`)
	r := send(t, CreateUpdateObject, p)
	desttest.JSONEqual(t, r.Body, `{"type":"group","objectType":"project","properties":{"title":"T"},"user":{}}`)
}

func TestTagsNeedAUser(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "addTag", `{"tag":"vip"}`)
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), AddTag, p)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "userId" || len(srv.Requests()) != 0 {
		t.Fatalf("%v", err)
	}
}

func TestDeleteUser(t *testing.T) {
	for _, c := range []struct{ user, anon, query string }{
		{"u 1é", "a-1", "people[0][userId]=u%201%C3%A9"},
		{"", "a-1", "people[0][segmentAnonymousId]=a-1"},
	} {
		srv := desttest.NewServer(t)
		if err := srv.Client().Delete(context.Background(), desttest.Instance(t, Definition, settings), c.user, c.anon); err != nil {
			t.Fatal(err)
		}
		r := srv.Only(t)
		if r.Method != "DELETE" || r.Path != "/v1/people" || r.RawQuery != c.query {
			t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "X-Encharge-Token", "ek-1")
	}
	srv := desttest.NewServer(t)
	if err := srv.Client().Delete(context.Background(), desttest.Instance(t, Definition, settings), "", ""); err != nil || len(srv.Requests()) != 0 {
		t.Fatalf("no ids: %v, %d requests", err, len(srv.Requests()))
	}
}

func TestRejectsIncompletePayloads(t *testing.T) {
	for _, c := range []struct {
		a              *destkit.Action
		field, payload string
	}{
		{TrackEvent, "event", `{"type":"track"}`},
		{TrackEvent, "timestamp", `{"type":"track","event":"E","timestamp":"yesterday"}`},
		{IdentifyUser, "type", `{"user":{"a":1}}`},
		{AliasUser, "previousUserId", `{"userId":"u"}`},
		{CreateUpdateObject, "objectType", `{"externalId":"g"}`},
		{AddTag, "tag", `{"userId":"u","tag":""}`},
	} {
		_, err := c.a.Validate([]byte(c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field {
			t.Errorf("%s %s: %v", c.a.Key, c.field, err)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{AliasUser},
		`{"userId":"u","previousUserId":"a"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "15"}}, Outcome: destkit.Retry, RetryAfter: 15 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 502}, Outcome: destkit.Retry},
		})
}
