package launchdarklyaudiences

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "api-ld-token-1", "clientId": "env-client-1"}

func audienceEvent(typ, user, audienceID, key string, member bool) string {
	flag := "false"
	if member {
		flag = "true"
	}
	obj := "traits"
	extra := ""
	if typ == "track" {
		obj = "properties"
		extra = `"event":"Audience Entered","traits":{"email":"t@example.com"},`
	}
	return `{"type":"` + typ + `","userId":"` + user + `","anonymousId":"anon-` + user + `",` + extra + `"` + obj + `":{"email":"` + user + `@example.com","` + key + `":` + flag + `},` +
		`"context":{"personas":{"computation_class":"audience","computation_key":"` + key + `","computation_id":"` + audienceID + `"}}}`
}

func TestSyncAudienceDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("identify", "u1", "aud_1", "big_spenders", true))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SyncAudience, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/api/v2/segment-targets/segment-audiences" || r.RawQuery != "" {
		t.Fatalf("%s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "api-ld-token-1")
	desttest.Header(t, r, "LD-API-Version", "20240415")
	desttest.Header(t, r, "User-Agent", "SegmentSyncAudiences/1.1.0")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `{"environmentId":"env-client-1","contextKind":"user","batch":[{"userId":"u1","cohortName":"Big spenders","cohortId":"aud_1","value":true}]}`)
}

// A batch becomes one request per audience, each keeping its users' order, includes
// and excludes together.
func TestSyncAudienceBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	batch := [][]byte{
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("identify", "u1", "aud_1", "vip", true)),
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("track", "u2", "aud_2", "churn_risk", true)),
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("identify", "u3", "aud_1", "vip", false)),
		desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("identify", "u1", "aud_1", "vip", false)),
	}
	for _, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), SyncAudience, batch) {
		if err != nil {
			t.Fatal(err)
		}
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.JSONEqual(t, rs[0].Body, `{"environmentId":"env-client-1","contextKind":"user","batch":[`+
		`{"userId":"u1","cohortName":"Vip","cohortId":"aud_1","value":true},`+
		`{"userId":"u3","cohortName":"Vip","cohortId":"aud_1","value":false},`+
		`{"userId":"u1","cohortName":"Vip","cohortId":"aud_1","value":false}]}`)
	desttest.JSONEqual(t, rs[1].Body, `{"environmentId":"env-client-1","contextKind":"user","batch":[{"userId":"u2","cohortName":"Churn risk","cohortId":"aud_2","value":true}]}`)
}

// Each context key priority takes the first identifier present.
func TestContextKeyPriorities(t *testing.T) {
	for prio, want := range map[string]string{
		userIDThenEmail: "e@x.io", userIDThenAnonymousID: "anon-1", userIDThenEmailThenAnonymousID: "e@x.io", emailOnly: "e@x.io",
	} {
		p := desttest.Validate(t, Definition, "syncAudience", `{"segment_audience_id":"a","segment_audience_key":"k","segment_computation_action":"audience",`+
			`"context_kind":"user","segment_anonymous_id":"anon-1","user_email":"e@x.io","context_key":"`+prio+`","traits_or_props":{"k":true}}`)
		reqs, err := desttest.Perform(SyncAudience, desttest.Instance(t, Definition, settings), p)
		if err != nil {
			t.Fatal(err)
		}
		desttest.JSONEqual(t, reqs[0].Body, `{"environmentId":"env-client-1","contextKind":"user","batch":[{"userId":"`+want+`","cohortName":"K","cohortId":"a","value":true}]}`)
	}
}

// An event without the identifier its priority needs is refused, alone in its batch.
func TestSyncAudienceRefusals(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "syncAudience", Field: "context_key", Payload: `{"segment_audience_id":"a","segment_audience_key":"k","segment_computation_action":"audience",` +
			`"context_kind":"user","segment_anonymous_id":"anon-1","context_key":"user_id_only","traits_or_props":{"k":true}}`},
		{Action: "syncAudience", Field: "segment_computation_action", Payload: `{"segment_audience_id":"a","segment_audience_key":"k","segment_computation_action":"computed_trait",` +
			`"context_kind":"user","segment_user_id":"u","context_key":"user_id_only","traits_or_props":{"k":true}}`},
	})
	desttest.RefusesEmpty(t, Definition, settings, SyncAudience)
	srv := desttest.NewServer(t)
	good := desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("identify", "u1", "aud_1", "vip", true))
	bad := desttest.Validate(t, Definition, "syncAudience", `{"segment_audience_id":"a","segment_audience_key":"k","segment_computation_action":"audience",`+
		`"context_kind":"user","context_key":"email_only","traits_or_props":{"k":true}}`)
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), SyncAudience, [][]byte{bad, good})
	var pve *destkit.PayloadValidationError
	if !errors.As(errs[0], &pve) || errs[1] != nil || len(srv.Requests()) != 1 {
		t.Fatalf("%v", errs)
	}
}

func TestSyncAudienceErrors(t *testing.T) {
	p := string(desttest.RenderDefault(t, Definition, "syncAudience", audienceEvent("identify", "u1", "aud_1", "vip", true)))
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{SyncAudience}, p, desttest.Statuses(`{"message":"invalid"}`))
	desttest.BatchErrorPaths(t, Definition, settings, []*destkit.Action{SyncAudience}, p, desttest.Statuses(`{"message":"invalid"}`))
}
