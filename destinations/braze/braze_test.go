package braze

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/valyala/fastjson"
)

var settings = map[string]any{"api_key": "brz-key", "app_id": "app-1", "endpoint": "https://rest.fra-01.braze.eu"}

const track = `{"type":"track","event":"Song Played","userId":"user-1234","receivedAt":"2024-05-01T10:00:01.000Z",` +
	`"properties":{"song":"Blue"},"context":{"traits":{"email":"ada@example.com"}}}`

func TestTrackEventDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"events_processed":1,"message":"success"}`})
	p := desttest.RenderDefault(t, Definition, "trackEvent", track)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/users/track" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer brz-key")
	desttest.JSONEqual(t, r.Body, `{"events":[{"external_id":"user-1234","email":"ada@example.com","app_id":"app-1","name":"Song Played","time":"2024-05-01T10:00:01.000Z","properties":{"song":"Blue"},"_update_existing_only":false}]}`)
	reqs, _ := TrackEvent.Perform(&destkit.Input{Payload: fastjson.MustParseBytes(p), Settings: desttest.Instance(t, Definition, settings).Settings})
	if reqs[0].URL != "https://rest.fra-01.braze.eu/users/track" {
		t.Fatal(reqs[0].URL)
	}
}

func TestTrackEventBatchMultiStatus(t *testing.T) {
	// Braze reports the second record of the events array as invalid; the
	// third payload has no identifier and never leaves.
	srv := desttest.NewServer(t, desttest.Reply{Status: 201,
		Body: `{"message":"success","errors":[{"type":"'name' is required","input_array":"events","index":1}]}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "trackEvent", `{"external_id":"u1","name":"A","time":"2024-05-01T10:00:00Z"}`),
		desttest.Validate(t, Definition, "trackEvent", `{"external_id":"u2","name":"B","time":"2024-05-01T10:00:00Z"}`),
		desttest.Validate(t, Definition, "trackEvent", `{"name":"C","time":"2024-05-01T10:00:00Z"}`),
		desttest.Validate(t, Definition, "trackEvent", `{"email":"d@example.com","name":"D","time":"2024-05-01T10:00:00Z"}`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, ps)
	if errs[0] != nil || errs[3] != nil {
		t.Fatalf("delivered events failed: %v", errs)
	}
	var api *destkit.APIError
	if !errors.As(errs[1], &api) || string(api.Body) != "'name' is required" || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatalf("errs[1] = %v", errs[1])
	}
	var pv *destkit.PayloadValidationError
	if !errors.As(errs[2], &pv) {
		t.Fatalf("errs[2] = %v", errs[2])
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"events":[`+
		`{"external_id":"u1","app_id":"app-1","name":"A","time":"2024-05-01T10:00:00Z"},`+
		`{"external_id":"u2","app_id":"app-1","name":"B","time":"2024-05-01T10:00:00Z"},`+
		`{"email":"d@example.com","app_id":"app-1","name":"D","time":"2024-05-01T10:00:00Z"}]}`)
}

func TestTrackEventBatchWholeFailure(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 401: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"x"}`})
		ps := [][]byte{desttest.Validate(t, Definition, "trackEvent", `{"external_id":"u1","name":"A","time":"2024-05-01T10:00:00Z"}`)}
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackEvent, ps)
		if got := destkit.Classify(errs[0]).Outcome; got != want {
			t.Errorf("%d: %v", status, got)
		}
	}
}

func TestTrackPurchaseOnePurchasePerProduct(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201,
		Body: `{"message":"success","errors":[{"type":"bad currency","input_array":"purchases","index":2}]}`})
	order := func(user string, products string) []byte {
		return desttest.Validate(t, Definition, "trackPurchase", `{"external_id":"`+user+`","time":"2024-05-01T10:00:00Z",`+
			`"products":`+products+`,"properties":{"order_id":"o","products":[]}}`)
	}
	ps := [][]byte{
		order("u1", `[{"product_id":"a","currency":"EUR","price":10,"quantity":1},{"product_id":"b","currency":"EUR","price":5,"quantity":2}]`),
		order("u2", `[{"product_id":"c","currency":"XXX","price":1,"quantity":1}]`),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), TrackPurchase, ps)
	if errs[0] != nil || errs[1] == nil {
		t.Fatalf("errs %v", errs)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"purchases":[`+
		`{"external_id":"u1","app_id":"app-1","product_id":"a","currency":"EUR","price":10,"quantity":1,"time":"2024-05-01T10:00:00Z","properties":{"order_id":"o"}},`+
		`{"external_id":"u1","app_id":"app-1","product_id":"b","currency":"EUR","price":5,"quantity":2,"time":"2024-05-01T10:00:00Z","properties":{"order_id":"o"}},`+
		`{"external_id":"u2","app_id":"app-1","product_id":"c","currency":"XXX","price":1,"quantity":1,"time":"2024-05-01T10:00:00Z","properties":{"order_id":"o"}}]}`)
}

func TestUpdateUserProfileIdentifyPreset(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"message":"success"}`})
	var mapping destkit.JSON
	for _, p := range Definition.Presets {
		if p.Action == "updateUserProfile" {
			mapping = p.Mapping
		}
	}
	p := desttest.Render(t, Definition, "updateUserProfile", mapping, `{"type":"identify","userId":"user-1234",`+
		`"traits":{"email":"ada@example.com","firstName":"Ada","gender":"female","plan":"pro","address":{"city":"Lyon"}}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"attributes":[{"external_id":"user-1234","email":"ada@example.com","first_name":"Ada","gender":"F","home_city":"Lyon","plan":"pro","address":{"city":"Lyon"},"_update_existing_only":false}]}`)
}

func TestUpdateUserProfileNeedsAnIdentifier(t *testing.T) {
	p := desttest.Validate(t, Definition, "updateUserProfile", `{"email":"ada@example.com"}`)
	err := destkit.NewClient().Send(context.Background(), desttest.Instance(t, Definition, settings), UpdateUserProfile, p)
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) {
		t.Fatal(err)
	}
}

func TestCreateAliasAndIdentifyUser(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	c := srv.Client()
	if err := c.Send(context.Background(), inst, CreateAlias, desttest.Validate(t, Definition, "createAlias",
		`{"alias_name":"anon-5678","alias_label":"segment_anonymous_id"}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(context.Background(), inst, IdentifyUser, desttest.Validate(t, Definition, "identifyUser",
		`{"external_id":"user-1234","user_alias":{"alias_name":"anon-5678","alias_label":"segment_anonymous_id"},"merge_behavior":"merge"}`)); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if rs[0].Path != "/users/alias/new" || rs[1].Path != "/users/identify" {
		t.Fatalf("%s %s", rs[0].Path, rs[1].Path)
	}
	desttest.JSONEqual(t, rs[0].Body, `{"user_aliases":[{"alias_name":"anon-5678","alias_label":"segment_anonymous_id"}]}`)
	desttest.JSONEqual(t, rs[1].Body, `{"aliases_to_identify":[{"external_id":"user-1234",`+
		`"user_alias":{"alias_name":"anon-5678","alias_label":"segment_anonymous_id"}}],"merge_behavior":"merge"}`)
}

func BenchmarkTrackEventBatch100(b *testing.B) {
	inst, _ := destkit.NewInstance("b", Definition, settings)
	in := &destkit.BatchInput{Settings: inst.Settings}
	for range 100 {
		in.Payloads = append(in.Payloads, fastjson.MustParse(`{"external_id":"user-1234","name":"Song Played",`+
			`"time":"2024-05-01T10:00:00Z","properties":{"song":"Blue","duration":182}}`))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := trackEvents(in, fieldExistingOnly); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/event")
}
