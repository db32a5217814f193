package segmentprofiles

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any { return map[string]any{"source_write_key": "wk-space"} }

const identify = `{"type":"identify","userId":"u-1","anonymousId":"anon-1","messageId":"m-1","timestamp":"2024-05-01T10:00:00.000Z",` +
	`"traits":{"email":"ada@example.com","plan":"pro"},"context":{"consent":{"categoryPreferences":{"Advertising":true,"Analytics":false}}}}`

func send(t *testing.T, a *destkit.Action, p []byte, want string) {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/v1/batch" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("wk-space:")))
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, want)
}

const space = `"engage_space":"spa_parity","user_id":{"@path":"$.userId"},"anonymous_id":{"@path":"$.anonymousId"},`

func TestSendIdentify(t *testing.T) {
	p := desttest.Render(t, Definition, "sendIdentify", `{`+space+`"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"message_id":{"@path":"$.messageId"},"consent":{"@path":"$.context.consent"}}`, identify)
	send(t, SendIdentify, p, `{"batch":[{"userId":"u-1","anonymousId":"anon-1","messageId":"m-1","traits":{"email":"ada@example.com","plan":"pro"},`+
		`"timestamp":"2024-05-01T10:00:00.000Z","integrations":{"All":false},"type":"identify","context":{"consent":{"categoryPreferences":{"Advertising":true,"Analytics":false}}}}]}`)
	reqs, _ := desttest.Perform(SendIdentify, desttest.Instance(t, Definition, settings()), p)
	if reqs[0].URL != "https://api.segment.io/v1/batch" {
		t.Fatal(reqs[0].URL)
	}
}

func TestSendGroup(t *testing.T) {
	group := `{"type":"group","userId":"u-1","groupId":"g-1","messageId":"m-2","timestamp":"2024-05-01T10:00:00.000Z","traits":{"name":"Acme"},"context":{"consent":{"categoryPreferences":{"Ads":"yes"}}}}`
	p := desttest.Render(t, Definition, "sendGroup", `{`+space+`"group_id":{"@path":"$.groupId"},"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"message_id":{"@path":"$.messageId"},"consent":{"@path":"$.context.consent"}}`, group)
	// Consent whose preferences are not all booleans is left out.
	send(t, SendGroup, p, `{"batch":[{"userId":"u-1","groupId":"g-1","messageId":"m-2","traits":{"name":"Acme"},`+
		`"timestamp":"2024-05-01T10:00:00.000Z","integrations":{"All":false},"type":"group","context":{"consent":{}}}]}`)
}

func TestSendTrack(t *testing.T) {
	track := `{"type":"track","event":"Signed Up","anonymousId":"anon-1","messageId":"m-3","timestamp":"2024-05-01T10:00:00.000Z","properties":{"plan":"pro"}}`
	p := desttest.Render(t, Definition, "sendTrack", `{`+space+`"event_name":{"@path":"$.event"},"properties":{"@path":"$.properties"},"group_id":"g-1",`+
		`"timestamp":{"@path":"$.timestamp"},"message_id":{"@path":"$.messageId"},"consent":{"@path":"$.context.consent"}}`, track)
	send(t, SendTrack, p, `{"batch":[{"anonymousId":"anon-1","timestamp":"2024-05-01T10:00:00.000Z","event":"Signed Up","messageId":"m-3",`+
		`"integrations":{"All":false},"properties":{"plan":"pro"},"context":{"consent":{}},"type":"track"}]}`)
}

func TestSendSubscription(t *testing.T) {
	m := `{` + space + `"email":{"@path":"$.traits.email"},"email_subscription_status":" Subscribed ","subscription_groups":{"news":"false","deals":true,"x":"maybe"},` +
		`"phone":"+14155550123","sms_subscription_status":"did_not_subscribe","whatsapp_subscription_status":null,"ios_push_token":"apns-1","ios_push_subscription_status":"true",` +
		`"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"message_id":{"@path":"$.messageId"},"consent":{"@path":"$.context.consent"}}`
	p := desttest.Render(t, Definition, "sendSubscription", destkit.JSON(m), identify)
	send(t, SendSubscription, p, `{"batch":[{"userId":"u-1","anonymousId":"anon-1","traits":{"email":"ada@example.com","plan":"pro"},"context":{`+
		`"messaging_subscriptions":[`+
		`{"key":"ada@example.com","type":"EMAIL","status":"SUBSCRIBED","groups":[{"name":"news","status":"UNSUBSCRIBED"},{"name":"deals","status":"SUBSCRIBED"},{"name":"x","status":"INVALID"}]},`+
		`{"key":"+14155550123","type":"SMS","status":"DID_NOT_SUBSCRIBE"},{"key":"apns-1","type":"IOS_PUSH","status":"SUBSCRIBED"}],`+
		`"externalIds":[{"id":"ada@example.com","type":"email","collection":"users","encoding":"none"},{"id":"+14155550123","type":"phone","collection":"users","encoding":"none"},`+
		`{"id":"apns-1","type":"ios.push_token","collection":"users","encoding":"none"}],`+
		`"messaging_subscriptions_retl":true,"consent":{"categoryPreferences":{"Advertising":true,"Analytics":false}}},`+
		`"timestamp":"2024-05-01T10:00:00.000Z","integrations":{"All":false},"messageId":"m-1","type":"identify"}]}`)
}

func TestRefusals(t *testing.T) {
	sub := func(extra string) string { return `{"engage_space":"s","user_id":"u"` + extra + `}` }
	desttest.Refuses(t, Definition, settings(), []desttest.Invalid{
		{Action: "sendIdentify", Payload: `{"engage_space":"s","traits":{}}`, Field: "user_id"},
		{Action: "sendTrack", Payload: `{"engage_space":"s","anonymous_id":"a"}`, Field: "event_name"},
		{Action: "sendSubscription", Payload: sub(`,"email_subscription_status":"subscribed"`), Field: "email"},
		{Action: "sendSubscription", Payload: sub(`,"email":"a@b.c"`), Field: "email_subscription_status"},
		{Action: "sendSubscription", Payload: sub(`,"phone":"1","email_subscription_status":"subscribed"`), Field: "email"},
		{Action: "sendSubscription", Payload: sub(`,"phone":"1","sms_subscription_status":"subscribed","subscription_groups":{"a":"true"}`), Field: "email_subscription_status"},
		{Action: "sendSubscription", Payload: sub(`,"email":"a@b.c","sms_subscription_status":"subscribed"`), Field: "phone"},
		{Action: "sendSubscription", Payload: sub(`,"email":"a@b.c","android_push_subscription_status":"subscribed"`), Field: "android_push_token"},
		{Action: "sendSubscription", Payload: sub(`,"email":"a@b.c","ios_push_subscription_status":"subscribed"`), Field: "ios_push_token"},
		{Action: "sendSubscription", Payload: sub(`,"email":"a","phone":"1","ios_push_token":"i","android_push_token":"a",` +
			`"email_subscription_status":"x","sms_subscription_status":"x","whatsapp_subscription_status":"x","ios_push_subscription_status":"x","android_push_subscription_status":"x"`), Field: "email_subscription_status"},
	})
	desttest.RefusesEmpty(t, Definition, settings(), Definition.Actions...)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings(), Definition.Actions,
		`{"engage_space":"s","user_id":"u","group_id":"g","event_name":"e","email":"a@b.c","email_subscription_status":"subscribed"}`,
		desttest.Statuses(`{"success":false}`))
}
