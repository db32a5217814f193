package podscribe

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"advertiser": "acme-shop", "userId": "ps-77"}

const orderCompleted = `{"type":"track","event":"Order Completed","anonymousId":"anon-1","userId":"user-1234","messageId":"m-1",` +
	`"timestamp":"2024-05-01T10:00:00.000Z","properties":{"total":42.5,"order_id":"o-9","currency":"EUR","coupon":"SPRING~*",` +
	`"num_items_purchased":2,"is_new_customer":true,"is_subscription":false,"podscribeEvent":"purchase","note":"gift wrap"},` +
	`"context":{"ip":"203.0.113.9","userAgent":"Mozilla/5.0 (Mac)","library":{"name":"analytics.js","version":"2.11.1"},` +
	`"page":{"url":"https://shop.example/thanks?a=1","referrer":"https://podcast.example/ep 1"},` +
	`"traits":{"email":" Ada.Lovelace+news@GMail.com "}}}`

// sha256("adalovelace@gmail.com") and sha256("bob@example.org"), from sha256sum.
const (
	hAda = "cd98a25152ad884b29e524ea5d3d8d35615ed0afbbc5ea3a6d4215572b0b2bde"
	hBob = "686b5e4cf4f963adf8f51468a48028ef8d15bd02fa335f821279a3d1678c9615"
)

func preset(t *testing.T, name string) destkit.JSON {
	for _, p := range Definition.Presets {
		if p.Name == name {
			return p.Mapping
		}
	}
	t.Fatalf("no preset %q", name)
	return ""
}

// The queries are what Segment's implementation requests for the same
// settings, mapping and event, byte for byte: parameter order, encoding
// (note "~" escaped and "*" not), falsy values left out.
func TestRequests(t *testing.T) {
	for _, tc := range []struct {
		name     string
		action   *destkit.Action
		mapping  destkit.JSON
		settings map[string]any
		event    string
		query    string
	}{
		{"order completed", Track, preset(t, "Order Completed Calls"), settings, orderCompleted,
			"action=purchase&advertiser=acme-shop&user_id=ps-77&timestamp=2024-05-01T10%3A00%3A00.000Z&device_id=anon-1" +
				"&referrer=https%3A%2F%2Fpodcast.example%2Fep+1&url=https%3A%2F%2Fshop.example%2Fthanks%3Fa%3D1&ip=203.0.113.9" +
				"&user_agent=Mozilla%2F5.0+%28Mac%29&order_value=42.5&order_number=o-9&currency=EUR&discount_code=SPRING%7E*" +
				"&hashed_email=" + hAda + "&num_items_purchased=2&is_new_customer=true" +
				"&library=%7B%22name%22%3A%22analytics.js%22%2C%22version%22%3A%222.11.1%22%7D"},
		{"signed up with its properties", Track,
			`{"timestamp":{"@path":"$.timestamp"},"ip":{"@path":"$.context.ip"},"email":{"@path":"$.properties.email"},"properties":{"@path":"$.properties"},"podscribeEvent":"signup"}`,
			map[string]any{"advertiser": "acme-shop"},
			`{"type":"track","event":"Signed Up","anonymousId":"anon-1","timestamp":"2024-05-01T10:00:00.000Z",` +
				`"properties":{"total":0,"plan":"pro","seats":3,"email":"bob@example.org"},"context":{"ip":"203.0.113.9"}}`,
			"action=signup&advertiser=acme-shop&timestamp=2024-05-01T10%3A00%3A00.000Z&ip=203.0.113.9&hashed_email=" + hBob +
				"&properties=%7B%22plan%22%3A%22pro%22%2C%22seats%22%3A3%2C%22email%22%3A%22bob%40example.org%22%7D"},
		{"page", Page, preset(t, "Page Calls"), map[string]any{"advertiser": "acme-shop"},
			`{"type":"page","anonymousId":"anon-1","timestamp":"2024-05-01T10:00:00.000Z","properties":{},` +
				`"context":{"ip":"203.0.113.9","userAgent":"Mozilla/5.0","library":{"name":"analytics.js","version":"2.11.1"},` +
				`"page":{"url":"https://shop.example/","referrer":""}}}`,
			"action=view&advertiser=acme-shop&timestamp=2024-05-01T10%3A00%3A00.000Z&device_id=anon-1&url=https%3A%2F%2Fshop.example%2F" +
				"&ip=203.0.113.9&user_agent=Mozilla%2F5.0&library=%7B%22name%22%3A%22analytics.js%22%2C%22version%22%3A%222.11.1%22%7D"},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 200, Body: "", Header: map[string]string{"Content-Type": "image/gif"}})
		p := desttest.Render(t, Definition, tc.action.Key, tc.mapping, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, tc.settings), tc.action, p); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		r := srv.Only(t)
		if r.Method != "GET" || r.Path != "/tag" || len(r.Body) != 0 {
			t.Fatalf("%s: got %s %s with %q", tc.name, r.Method, r.Path, r.Body)
		}
		if r.RawQuery != tc.query {
			t.Fatalf("%s: query\n got %s\nwant %s", tc.name, r.RawQuery, tc.query)
		}
		if r.Header.Get("Authorization") != "" {
			t.Fatalf("%s: unexpected credentials", tc.name)
		}
	}
}

func TestSignedUpPreset(t *testing.T) {
	var p fastjson.Parser
	v, _ := p.Parse(string(preset(t, "Signed Up Calls")))
	if string(v.GetStringBytes("podscribeEvent")) != "signup" {
		t.Fatal(v)
	}
	if string(Definition.Presets[0].Trigger) != `type = "track" and event = "Order Completed"` {
		t.Fatal(Definition.Presets[0].Trigger)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		" Ada.Lovelace+news@GMail.com ": "adalovelace@gmail.com",
		"a.b+c@example.com":             "a.b+c@example.com",
		"A.B@GMAIL.COM":                 "ab@gmail.com",
		"plain@gmail.com.evil":          "plain@gmail.com.evil",
	} {
		if got := normalizeEmail(in); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
	// An email that already is a digest is sent as it is.
	q := query{}
	h, _ := destkit.HashSHA256(hBob, normalizeEmail)
	q.add("hashed_email", []byte(h))
	if string(q.b) != "hashed_email="+hBob {
		t.Fatal(string(q.b))
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "track", Payload: `{"ip":"1.2.3.4","podscribeEvent":"purchase"}`, Field: "timestamp"},
		{Action: "track", Payload: `{"timestamp":"2024-05-01T10:00:00Z","podscribeEvent":"purchase"}`, Field: "ip"},
		{Action: "track", Payload: `{"timestamp":"2024-05-01T10:00:00Z","ip":"1.2.3.4"}`, Field: "podscribeEvent"},
		{Action: "track", Payload: `{"timestamp":"yesterday","ip":"1.2.3.4","podscribeEvent":"purchase"}`, Field: "timestamp"},
		{Action: "track", Payload: `{"timestamp":"2024-05-01T10:00:00Z","ip":"1.2.3.4","podscribeEvent":"purchase","properties":{"total":"lots"}}`, Field: "properties.total"},
		{Action: "page", Payload: `{"timestamp":"2024-05-01T10:00:00Z","ip":"1.2.3.4","url":"not a url"}`, Field: "url"},
		{Action: "page", Payload: `{"timestamp":"2024-05-01T10:00:00Z"}`, Field: "ip"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, `{"timestamp":"2024-05-01T10:00:00Z","ip":"1.2.3.4","podscribeEvent":"purchase"}`,
		desttest.Statuses(`bad`))
}
