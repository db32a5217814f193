package braze

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// withSyncMode prefixes an action's default mapping with a sync mode, as a
// V2 subscription stores it.
func withSyncMode(a *destkit.Action, mode string) destkit.JSON {
	return destkit.JSON(`{"` + destkit.SyncModeKey + `":"` + mode + `",` + string(a.DefaultMapping())[1:])
}

func brazeInst(t *testing.T) *destkit.Instance { return desttest.Instance(t, Definition, settings) }

// wantCall checks the parts of a request every Braze test cares about.
func wantCall(t *testing.T, r desttest.Recorded, method, path string) {
	t.Helper()
	if r.Method != method || r.Path != path || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s, want %s %s", r.Method, r.Path, r.RawQuery, method, path)
	}
	desttest.Header(t, r, "Authorization", "Bearer brz-key")
	desttest.Header(t, r, "Content-Type", "application/json")
}

func TestTrackEvent2SyncModes(t *testing.T) {
	for mode, flag := range map[string]string{"add": "false", "update": "true"} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"events_processed":1,"message":"success"}`})
		p := desttest.Render(t, Definition, "trackEvent2", withSyncMode(TrackEvent2, mode), track)
		if err := srv.Client().Send(context.Background(), brazeInst(t), TrackEvent2, p); err != nil {
			t.Fatal(err)
		}
		r := srv.Only(t)
		wantCall(t, r, "POST", "/users/track")
		desttest.Header(t, r, "X-Braze-Batch", "")
		desttest.JSONEqual(t, r.Body, `{"events":[{"external_id":"user-1234","email":"ada@example.com","app_id":"app-1","name":"Song Played",`+
			`"time":"2024-05-01T10:00:01.000Z","properties":{"song":"Blue"},"_update_existing_only":`+flag+`}]}`)
	}
}

func TestTrackEvent2BatchRejectsBadSyncMode(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"message":"success"}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "trackEvent2", `{"__segment_internal_sync_mode":"update","external_id":"u1","name":"A","time":"2024-05-01T10:00:00Z"}`),
		desttest.Validate(t, Definition, "trackEvent2", `{"__segment_internal_sync_mode":"delete","external_id":"u2","name":"B","time":"2024-05-01T10:00:00Z"}`),
		desttest.Validate(t, Definition, "trackEvent2", `{"__segment_internal_sync_mode":"add","braze_id":"b3","name":"C","time":"2024-05-01T10:00:00Z"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), brazeInst(t), TrackEvent2, ps)
	var pv *destkit.PayloadValidationError
	if errs[0] != nil || errs[2] != nil || !errors.As(errs[1], &pv) {
		t.Fatalf("errs %v", errs)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "X-Braze-Batch", "true")
	desttest.JSONEqual(t, r.Body, `{"events":[`+
		`{"external_id":"u1","app_id":"app-1","name":"A","time":"2024-05-01T10:00:00Z","_update_existing_only":true},`+
		`{"braze_id":"b3","app_id":"app-1","name":"C","time":"2024-05-01T10:00:00Z","_update_existing_only":false}]}`)
}

const orderCompleted = `{"type":"track","event":"Order Completed","userId":"user-1234","receivedAt":"2024-05-01T10:00:01.000Z",` +
	`"context":{"traits":{"email":"ada@example.com"}},"properties":{"order_id":"o-1","total":27,` +
	`"products":[{"product_id":"p-1","price":12,"quantity":1,"currency":"EUR"},{"product_id":"p-2","price":15,"quantity":1,"currency":"EUR"}]}}`

func TestTrackPurchase2DefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"purchases_processed":2,"message":"success"}`})
	p := desttest.Render(t, Definition, "trackPurchase2", withSyncMode(TrackPurchase2, "update"), orderCompleted)
	if err := srv.Client().Send(context.Background(), brazeInst(t), TrackPurchase2, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/users/track")
	desttest.Header(t, r, "X-Braze-Batch", "true")
	desttest.JSONEqual(t, r.Body, `{"purchases":[`+
		`{"external_id":"user-1234","app_id":"app-1","product_id":"p-1","currency":"EUR","price":12,"quantity":1,"time":"2024-05-01T10:00:01.000Z","properties":{"order_id":"o-1","total":27},"_update_existing_only":true},`+
		`{"external_id":"user-1234","app_id":"app-1","product_id":"p-2","currency":"EUR","price":15,"quantity":1,"time":"2024-05-01T10:00:01.000Z","properties":{"order_id":"o-1","total":27},"_update_existing_only":true}]}`)
}

func TestUpdateUserProfile2DefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"attributes_processed":1,"message":"success"}`})
	ev := `{"type":"identify","userId":"user-1234","context":{"location":{"country":"France","latitude":45.76,"longitude":4.83}},` +
		`"traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","gender":"Female","plan":"pro"}}`
	p := desttest.Render(t, Definition, "updateUserProfile2", withSyncMode(UpdateUserProfile2, "update"), ev)
	if err := srv.Client().Send(context.Background(), brazeInst(t), UpdateUserProfile2, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/users/track")
	desttest.JSONEqual(t, r.Body, `{"attributes":[{"external_id":"user-1234","country":"France",`+
		`"current_location":{"latitude":45.76,"longitude":4.83},"email":"ada@example.com","first_name":"Ada","gender":"F",`+
		`"last_name":"Lovelace","plan":"pro","_update_existing_only":true}]}`)

	// "add" is not a mode of this action: nothing is sent.
	p = desttest.Render(t, Definition, "updateUserProfile2", withSyncMode(UpdateUserProfile2, "add"), ev)
	err := destkit.NewClient().Send(context.Background(), brazeInst(t), UpdateUserProfile2, p)
	if destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
}

func TestCreateAlias2(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"message":"success"}`})
	m := destkit.JSON(`{"__segment_internal_sync_mode":"add","external_id":null,"alias_name":{"@path":"$.anonymousId"},"alias_label":"segment_anonymous_id"}`)
	p := desttest.Render(t, Definition, "createAlias2", m, `{"type":"track","event":"Create Alias","anonymousId":"anon-5678"}`)
	if err := srv.Client().Send(context.Background(), brazeInst(t), CreateAlias2, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/users/alias/new")
	desttest.JSONEqual(t, r.Body, `{"user_aliases":[{"alias_name":"anon-5678","alias_label":"segment_anonymous_id"}]}`)

	p = desttest.Validate(t, Definition, "createAlias2", `{"alias_name":"a","alias_label":"l"}`)
	if err := destkit.NewClient().Send(context.Background(), brazeInst(t), CreateAlias2, p); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
}

func TestIdentifyUser2(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"aliases_processed":1,"message":"success"}`})
	m := destkit.JSON(`{"__segment_internal_sync_mode":"upsert","external_id":{"@path":"$.userId"},` +
		`"user_alias":{"alias_name":{"@path":"$.anonymousId"},"alias_label":"segment_anonymous_id"},` +
		`"email_to_identify":{"@path":"$.traits.email"},"prioritization":{"first_priority":"most_recently_updated","second_priority":"unidentified"},` +
		`"merge_behavior":"merge"}`)
	p := desttest.Render(t, Definition, "identifyUser2", m,
		`{"type":"identify","userId":"user-1234","anonymousId":"anon-5678","traits":{"email":"ada@example.com"}}`)
	if err := srv.Client().Send(context.Background(), brazeInst(t), IdentifyUser2, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/users/identify")
	desttest.JSONEqual(t, r.Body, `{"merge_behavior":"merge",`+
		`"aliases_to_identify":[{"external_id":"user-1234","user_alias":{"alias_name":"anon-5678","alias_label":"segment_anonymous_id"}}],`+
		`"emails_to_identify":[{"external_id":"user-1234","email":"ada@example.com","prioritization":["most_recently_updated","unidentified"]}]}`)

	// An email needs a prioritization; neither alias nor email is refused.
	if _, err := IdentifyUser2.Validate([]byte(`{"external_id":"u","email_to_identify":"a@b.c"}`)); err == nil {
		t.Fatal("email without prioritization validated")
	}
	if _, err := IdentifyUser2.Validate([]byte(`{"external_id":"u"}`)); err == nil {
		t.Fatal("neither alias nor email validated")
	}

	// Braze reports a refused merge inside a 201.
	srv = desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"message":"success","errors":[{"type":"alias not found","index":0}]}`})
	err := srv.Client().Send(context.Background(), brazeInst(t), IdentifyUser2, p)
	var api *destkit.APIError
	if !errors.As(err, &api) || string(api.Body) != "alias not found" || destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
}

func TestTriggerCampaign(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"dispatch_id":"d-1","message":"success"}`})
	m := destkit.JSON(`{"campaign_id":"camp-1","trigger_properties":{"@path":"$.properties"},` +
		`"recipients":[{"external_user_id":{"@path":"$.userId"},"send_to_existing_only":true,"attributes":{"plan":{"@path":"$.properties.plan"}}}],` +
		`"prioritization":{"first_priority":"identified"}}`)
	p := desttest.Render(t, Definition, "triggerCampaign", m,
		`{"type":"track","event":"Trial Ending","userId":"user-1234","properties":{"plan":"pro","days_left":3}}`)
	if err := srv.Client().Send(context.Background(), brazeInst(t), TriggerCampaign, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/campaigns/trigger/send")
	desttest.JSONEqual(t, r.Body, `{"campaign_id":"camp-1","trigger_properties":{"plan":"pro","days_left":3},`+
		`"recipients":[{"external_user_id":"user-1234","send_to_existing_only":true,"attributes":{"plan":"pro"},"prioritization":["identified"]}]}`)
}

func TestTriggerCanvasDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"dispatch_id":"d-2","message":"success"}`})
	m := destkit.JSON(`{"canvas_id":"cv-1",` + string(TriggerCanvas.DefaultMapping())[1:])
	m = destkit.JSON(string(m[:len(m)-1]) + `,"broadcast":true}`)
	p := desttest.Render(t, Definition, "triggerCanvas", m, `{"type":"track","event":"Launch","properties":{"feature":"x"}}`)
	if err := srv.Client().Send(context.Background(), brazeInst(t), TriggerCanvas, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/canvas/trigger/send")
	desttest.JSONEqual(t, r.Body, `{"canvas_id":"cv-1","canvas_entry_properties":{"feature":"x"},"broadcast":true}`)

	for _, bad := range []string{
		`{"canvas_id":"cv-1","broadcast":false,"recipients":[]}`,
		`{"canvas_id":"cv-1","broadcast":true,"recipients":[{"external_user_id":"u"}]}`,
	} {
		p, err := TriggerCanvas.Validate([]byte(bad))
		if err == nil {
			err = destkit.NewClient().Send(context.Background(), brazeInst(t), TriggerCanvas, p)
		}
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// Every single-event action maps Braze's HTTP errors the same way: 4xx is
// final (a 401 too: Braze keys cannot be refreshed), 429 and 5xx retry.
func TestErrorStatuses(t *testing.T) {
	payloads := map[*destkit.Action]string{
		TrackEvent2:        `{"__segment_internal_sync_mode":"add","external_id":"u","name":"A","time":"2024-05-01T10:00:00Z"}`,
		TrackPurchase2:     `{"__segment_internal_sync_mode":"add","external_id":"u","time":"2024-05-01T10:00:00Z","products":[{"product_id":"p","price":1}]}`,
		UpdateUserProfile2: `{"__segment_internal_sync_mode":"update","external_id":"u"}`,
		CreateAlias2:       `{"__segment_internal_sync_mode":"add","alias_name":"a","alias_label":"l"}`,
		IdentifyUser2:      `{"__segment_internal_sync_mode":"add","external_id":"u","user_alias":{"alias_name":"a","alias_label":"l"}}`,
		TriggerCampaign:    `{"campaign_id":"c","broadcast":true}`,
		TriggerCanvas:      `{"canvas_id":"c","broadcast":true}`,
	}
	for a, raw := range payloads {
		p := desttest.Validate(t, Definition, a.Key, raw)
		for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 401: destkit.Fail, 404: destkit.Fail,
			429: destkit.Retry, 500: destkit.Retry, 503: destkit.Retry} {
			srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"nope"}`, Header: map[string]string{"Retry-After": "7"}})
			err := srv.Client().Send(context.Background(), brazeInst(t), a, p)
			if got := destkit.Classify(err).Outcome; got != want {
				t.Errorf("%s %d: %v (%v)", a.Key, status, got, err)
			}
			if status == 429 && destkit.Classify(err).RetryAfter.Seconds() != 7 {
				t.Errorf("%s: Retry-After lost: %v", a.Key, destkit.Classify(err))
			}
		}
	}
}
