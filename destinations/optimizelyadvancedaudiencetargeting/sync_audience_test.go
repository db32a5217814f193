package optimizelyadvancedaudiencetargeting

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "opti-key-1", "region": "US"}

func audienceEvent(typ, user, ts string, member bool) string {
	flag := "false"
	if member {
		flag = "true"
	}
	obj := `"traits":{"vip":` + flag + `}`
	if typ == "track" {
		obj = `"event":"Audience Entered","properties":{"audience_key":"vip","vip":` + flag + `}`
	}
	return `{"type":"` + typ + `","userId":"` + user + `","timestamp":"` + ts + `",` + obj + `,` +
		`"context":{"personas":{"computation_class":"audience","computation_key":"vip","computation_id":"aud_7"}}}`
}

func TestSyncAudienceBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	batch := [][]byte{
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("identify", "u1", "2026-03-01T10:00:00.000Z", true)),
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("track", "u2", "2026-03-01T10:00:01.000Z", false)),
	}
	for _, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), SyncAudience, batch) {
		if err != nil {
			t.Fatal(err)
		}
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/twilio_segment/batch_sync_audience" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer opti-key-1")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `[{"audienceId":"aud_7","audienceName":"vip","timestamp":"2026-03-01T10:00:00.000Z","subscription":true,"userId":"u1"},`+
		`{"audienceId":"aud_7","audienceName":"vip","timestamp":"2026-03-01T10:00:01.000Z","subscription":false,"userId":"u2"}]`)
}

// Each region has its host; an anonymous user goes by anonymous id.
func TestSyncAudienceRegionsAndAnonymousUsers(t *testing.T) {
	ev := `{"type":"identify","anonymousId":"anon-1","timestamp":"2026-03-01T10:00:00.000Z","traits":{"vip":true},` +
		`"context":{"personas":{"computation_class":"audience","computation_key":"vip","computation_id":"aud_7"}}}`
	for region, want := range map[string]string{
		"US": "https://function.zaius.app/twilio_segment/batch_sync_audience",
		"EU": "https://function.eu1.ocp.optimizely.com/twilio_segment/batch_sync_audience",
		"AU": "https://function.au1.ocp.optimizely.com/twilio_segment/batch_sync_audience",
	} {
		reqs, err := desttest.Perform(SyncAudience, desttest.Instance(t, Definition, map[string]any{"apiKey": "k", "region": region}),
			desttest.RenderDefault(t, Definition, "syncAudience", ev))
		if err != nil || len(reqs) != 1 || reqs[0].URL != want {
			t.Fatalf("%s: %v %v", region, reqs, err)
		}
		desttest.JSONEqual(t, reqs[0].Body, `[{"audienceId":"aud_7","audienceName":"vip","timestamp":"2026-03-01T10:00:00.000Z","subscription":true,"userId":"anon-1"}]`)
	}
}

func TestSyncAudienceRefusals(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "syncAudience", Field: "segment_computation_action", Payload: `{"custom_audience_name":"vip","segment_computation_action":"trait",` +
			`"segment_computation_id":"a","optimizelyUserId":"u","timestamp":"t"}`},
		{Action: "syncAudience", Field: "optimizelyUserId", Payload: `{"custom_audience_name":"vip","segment_computation_action":"audience",` +
			`"segment_computation_id":"a","timestamp":"t"}`},
	})
	desttest.RefusesEmpty(t, Definition, settings, SyncAudience)
}

func TestSyncAudienceErrors(t *testing.T) {
	p := `{"custom_audience_name":"vip","segment_computation_action":"audience","segment_computation_id":"a","optimizelyUserId":"u","timestamp":"t","traitsOrProperties":{"vip":true}}`
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{SyncAudience}, p, desttest.Statuses(`{"error":"bad"}`))
	desttest.BatchErrorPaths(t, Definition, settings, []*destkit.Action{SyncAudience}, p, desttest.Statuses(`{"error":"bad"}`))
}
