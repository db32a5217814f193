package segment

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const common = `"user_id":"u-1","anonymous_id":"a-1","timestamp":"2024-05-01T10:00:00.000Z","message_id":"m-1",` +
	`"ip_address":"203.0.113.9","locale":"en-US","page":{"url":"https://shop.example/cart","title":"Cart","x":1},` +
	`"device":{"type":"ios","adTracking_Enabled":"true"},"consent":{"categoryPreferences":{"ads":false}}`

const wantContext = `"userId":"u-1","anonymousId":"a-1","timestamp":"2024-05-01T10:00:00.000Z","messageId":"m-1",` +
	`"context":{"device":{"type":"ios","adTracking_Enabled":true},"ip":"203.0.113.9","locale":"en-US",` +
	`"page":{"url":"https://shop.example/cart","title":"Cart"},"consent":{"categoryPreferences":{"ads":false}}`

func TestActions(t *testing.T) {
	for _, tc := range []struct {
		action  *destkit.Action
		payload string
		want    string
	}{
		{SendIdentify, `{` + common + `,"traits":{"plan":"pro","address":"old"},"address":{"city":"Lyon"}}`,
			`{"batch":[{` + wantContext + `},"traits":{"plan":"pro","address":{"city":"Lyon"}},"type":"identify"}]}`},
		{SendGroup, `{` + common + `,"group_id":"g-1","traits":{"name":"Acme"}}`,
			`{"batch":[{` + wantContext + `},"groupId":"g-1","traits":{"name":"Acme"},"type":"group"}]}`},
		{SendScreen, `{` + common + `,"screen_name":"Home","properties":{"tab":1}}`,
			`{"batch":[{` + wantContext + `},"name":"Home","properties":{"name":"Home","tab":1},"type":"screen"}]}`},
		{SendPage, `{` + common + `,"page_name":"Cart","page_category":"Shop","properties":{"items":2}}`,
			`{"batch":[{` + wantContext + `},"name":"Cart","properties":{"name":"Cart","category":"Shop","title":"Cart","url":"https://shop.example/cart","items":2},"type":"page"}]}`},
		{SendTrack, `{` + common + `,"event_name":"Order Completed","properties":{"total":42.5},"traits":{"plan":"pro"}}`,
			`{"batch":[{` + wantContext + `,"traits":{"plan":"pro"}},"event":"Order Completed","properties":{"total":42.5},"type":"track"}]}`},
	} {
		t.Run(tc.action.Key, func(t *testing.T) {
			srv := desttest.NewServer(t)
			inst := desttest.Instance(t, Definition, map[string]any{"source_write_key": "wk_123"})
			p := desttest.Validate(t, Definition, tc.action.Key, tc.payload)
			if err := srv.Client().Send(context.Background(), inst, tc.action, p); err != nil {
				t.Fatal(err)
			}
			r := srv.Only(t)
			if r.Method != "POST" || r.Path != "/v1/batch" {
				t.Fatalf("got %s %s", r.Method, r.Path)
			}
			desttest.Header(t, r, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("wk_123:")))
			desttest.Header(t, r, "Content-Type", "application/json")
			desttest.JSONEqual(t, r.Body, tc.want)
		})
	}
}

func TestRequiresAnIdentity(t *testing.T) {
	p := desttest.Validate(t, Definition, "sendTrack", `{"event_name":"x","anonymous_id":""}`)
	err := destkit.NewClient().Send(context.Background(), desttest.Instance(t, Definition, map[string]any{"source_write_key": "k"}), SendTrack, p)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "user_id" {
		t.Fatalf("got %v", err)
	}
}

func TestErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 401: destkit.Fail, 429: destkit.Retry, 502: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		p := desttest.Validate(t, Definition, "sendGroup", `{"user_id":"u","group_id":"g"}`)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, map[string]any{"source_write_key": "k"}), SendGroup, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%d: got %v", status, got)
		}
	}
}

func TestWriteKeyRequired(t *testing.T) {
	if _, err := destkit.NewInstance("x", Definition, map[string]any{}); err == nil {
		t.Fatal("missing write key accepted")
	}
}

// TestMinimalTrack: with nothing but an identity and a name mapped, consent, traits and
// properties are still empty objects, and consent without boolean category preferences
// is replaced by an empty one, as Segment's actions write them.
func TestMinimalTrack(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, map[string]any{"source_write_key": "wk_123"})
	p := desttest.Validate(t, Definition, "sendTrack", `{"user_id":"u-1","event_name":"Signed Up","consent":{"categoryPreferences":{"ads":"yes"}}}`)
	if err := srv.Client().Send(context.Background(), inst, SendTrack, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"batch":[{"userId":"u-1","context":{"consent":{},"traits":{}},`+
		`"event":"Signed Up","properties":{},"type":"track"}]}`)
}
