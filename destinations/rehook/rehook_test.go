package rehook

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"api_key": "rk_live", "api_secret": "s3cret"}

const (
	track = `{"type":"track","event":"Order Completed","userId":"user-1234","messageId":"m-1",` +
		`"timestamp":"2024-05-01T10:00:00.000Z","properties":{"order_id":"o-9","revenue":42.5}}`
	identify = `{"type":"identify","userId":"user-1234","messageId":"m-2",` +
		`"traits":{"email":"ada@example.com","name":"Ada Lovelace","referral_code":"ADA10"}}`
	// "cmtfbGl2ZTpzM2NyZXQ=" is base64("rk_live:s3cret").
	wantAuth = "Basic cmtfbGl2ZTpzM2NyZXQ="
)

func TestDefaultMappings(t *testing.T) {
	for _, tc := range []struct {
		action *destkit.Action
		event  string
		path   string
		body   string
	}{
		{TrackEvent, track, "/events/invoke",
			`{"event_name":"Order Completed","source_id":"user-1234","metadata":{"order_id":"o-9","revenue":42.5}}`},
		// An event without a name falls back to its type.
		{TrackEvent, `{"type":"page","userId":"u-2","properties":{"path":"/"}}`, "/events/invoke",
			`{"event_name":"page","source_id":"u-2","metadata":{"path":"/"}}`},
		{IdentifyUser, identify, "/customers",
			`{"source_id":"user-1234","metadata":{"email":"ada@example.com","name":"Ada Lovelace","referral_code":"ADA10"},"referral_code":"ADA10"}`},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true}`})
		p := desttest.RenderDefault(t, Definition, tc.action.Key, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), tc.action, p); err != nil {
			t.Fatalf("%s: %v", tc.action.Key, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != tc.path || r.RawQuery != "" {
			t.Fatalf("%s: got %s %s?%s", tc.action.Key, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", wantAuth)
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestURLs(t *testing.T) {
	for _, tc := range []struct {
		action  *destkit.Action
		payload string
		url     string
	}{
		{TrackEvent, `{"event_name":"x","source_id":"u"}`, "https://api.rehook.ai/events/invoke"},
		{IdentifyUser, `{"source_id":"u"}`, "https://api.rehook.ai/customers"},
	} {
		p := desttest.Validate(t, Definition, tc.action.Key, tc.payload)
		inst := desttest.Instance(t, Definition, settings)
		reqs, err := tc.action.Perform(&destkit.Input{Payload: mustParse(t, p), Settings: inst.Settings})
		if err != nil || len(reqs) != 1 || reqs[0].URL != tc.url {
			t.Errorf("%s: %v %+v", tc.action.Key, err, reqs)
		}
	}
}

func TestNullReferralCodeIsSent(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "identifyUser", `{"source_id":"u-1","referral_code":null}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), IdentifyUser, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"source_id":"u-1","referral_code":null}`)
}

func TestValidation(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	for _, tc := range []struct {
		action  *destkit.Action
		payload string
		field   string
	}{
		{TrackEvent, `{"event_name":"x"}`, "source_id"},
		{TrackEvent, `{"event_name":"","source_id":"u"}`, "event_name"},
		{TrackEvent, `{"event_name":"x","source_id":{"a":1}}`, "source_id"},
		{IdentifyUser, `{"source_id":""}`, "source_id"},
		{IdentifyUser, `{"source_id":"u","metadata":"nope"}`, "metadata"},
	} {
		err := sendUnvalidated(t, inst, tc.action, tc.payload)
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.field {
			t.Errorf("%s %s: got %v", tc.action.Key, tc.payload, err)
		}
	}
	// A payload that skipped validation is still refused before any request.
	for _, a := range Definition.Actions {
		err := destkit.NewClient(destkit.RedirectAll("http://127.0.0.1:1")).Send(context.Background(), inst, a, []byte(`{}`))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) {
			t.Errorf("%s: unvalidated empty payload: %v", a.Key, err)
		}
	}
}

// sendUnvalidated validates payload and, when it passes, sends it to an
// address nothing listens on, so only validation errors can come back
// without a network error.
func sendUnvalidated(t *testing.T, inst *destkit.Instance, a *destkit.Action, payload string) error {
	p, err := a.Validate([]byte(payload))
	if err != nil {
		return err
	}
	return destkit.NewClient(destkit.RedirectAll("http://127.0.0.1:1")).Send(context.Background(), inst, a, p)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions,
		`{"event_name":"x","source_id":"u"}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400, Body: `{"message":"bad"}`}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, Outcome: destkit.Retry, RetryAfter: 7 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}

func mustParse(t *testing.T, b []byte) *fastjson.Value {
	t.Helper()
	v, err := fastjson.ParseBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
