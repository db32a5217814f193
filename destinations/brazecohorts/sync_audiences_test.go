package brazecohorts

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"client_secret": "braze-secret-1", "endpoint": "https://rest.iad-01.braze.com"}

// mapping is the default mapping plus the audience key a user writes in.
func mapping() destkit.JSON {
	m := string(SyncAudiences.DefaultMapping())
	return destkit.JSON(`{"personas_audience_key":"vip_users",` + m[1:])
}

// identify is Engage's identify for a user entering (true) or leaving (false) vip_users.
func identify(user, ts string, member bool) string {
	flag := "false"
	if member {
		flag = "true"
	}
	return `{"type":"identify","userId":"` + user + `","timestamp":"` + ts + `","traits":{"email":"` + user + `@example.com","vip_users":` + flag + `},` +
		`"context":{"personas":{"computation_class":"audience","computation_key":"vip_users","computation_id":"aud_9"}}}`
}

func TestSyncAudiencesCreatesTheCohortOnceThenSendsChanges(t *testing.T) {
	t.Setenv("BRAZE_COHORTS_PARTNER_API_KEY_US", "partner-us")
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, settings)
	c := srv.Client()
	batch := [][]byte{
		desttest.Render(t, Definition, "syncAudiences", mapping(), identify("u1", "2026-03-01T10:00:00.000Z", true)),
		desttest.Render(t, Definition, "syncAudiences", mapping(), identify("u2", "2026-03-01T10:00:01.000Z", false)),
		desttest.Render(t, Definition, "syncAudiences", mapping(), identify("u3", "2026-03-01T10:00:02.000Z", true)),
		// u1 leaves again later in the batch: the latest change wins.
		desttest.Render(t, Definition, "syncAudiences", mapping(), identify("u1", "2026-03-01T10:00:03.000Z", false)),
	}
	for i, err := range c.SendBatch(context.Background(), inst, SyncAudiences, batch) {
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if err := c.Send(context.Background(), inst, SyncAudiences, batch[2]); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests, want create + two updates", len(rs))
	}
	if rs[0].Method != "POST" || rs[0].Path != "/partners/segment/cohorts" {
		t.Fatalf("%s %s", rs[0].Method, rs[0].Path)
	}
	desttest.Header(t, rs[0], "Content-Type", "application/json")
	desttest.JSONEqual(t, rs[0].Body, `{"partner_api_key":"partner-us","client_secret":"braze-secret-1","name":"vip_users","cohort_id":"aud_9","created_at":"2026-03-01T10:00:00.000Z"}`)
	if rs[1].Method != "POST" || rs[1].Path != "/partners/segment/cohorts/users" {
		t.Fatalf("%s %s", rs[1].Method, rs[1].Path)
	}
	desttest.JSONEqual(t, rs[1].Body, `{"partner_api_key":"partner-us","client_secret":"braze-secret-1","cohort_id":"aud_9","cohort_changes":[`+
		`{"user_ids":["u3"],"device_ids":[],"aliases":[]},`+
		`{"user_ids":["u1","u2"],"device_ids":[],"aliases":[],"should_remove":true}]}`)
	desttest.JSONEqual(t, rs[2].Body, `{"partner_api_key":"partner-us","client_secret":"braze-secret-1","cohort_id":"aud_9","cohort_changes":[`+
		`{"user_ids":["u3"],"device_ids":[],"aliases":[]}]}`)
}

// Without an external id, a user is identified by device id, then by alias; without a
// partner key in the environment the body has none (EU endpoints read the EU key).
func TestSyncAudiencesDeviceAndAlias(t *testing.T) {
	t.Setenv("BRAZE_COHORTS_PARTNER_API_KEY_US", "partner-us")
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, map[string]any{"client_secret": "s", "endpoint": "https://rest.fra-01.braze.eu"})
	base := `"cohort_id":"aud_9","cohort_name":"vip","personas_audience_key":"vip","time":"2026-03-01T10:00:00.000Z"`
	batch := [][]byte{
		desttest.Validate(t, Definition, "syncAudiences", `{"device_id":"dev-1","event_properties":{"vip":true},`+base+`}`),
		desttest.Validate(t, Definition, "syncAudiences", `{"user_alias":{"alias_name":"n","alias_label":"l"},"event_properties":{"vip":false},`+base+`}`),
		desttest.Validate(t, Definition, "syncAudiences", `{"event_properties":{"vip":false},`+base+`}`),
	}
	for _, err := range srv.Client().SendBatch(context.Background(), inst, SyncAudiences, batch) {
		if err != nil {
			t.Fatal(err)
		}
	}
	rs := srv.Requests()
	desttest.JSONEqual(t, rs[0].Body, `{"client_secret":"s","name":"vip","cohort_id":"aud_9","created_at":"2026-03-01T10:00:00.000Z"}`)
	desttest.JSONEqual(t, rs[1].Body, `{"client_secret":"s","cohort_id":"aud_9","cohort_changes":[`+
		`{"user_ids":[],"device_ids":["dev-1"],"aliases":[]},`+
		`{"user_ids":[],"device_ids":[],"aliases":[{"alias_name":"n","alias_label":"l"}],"should_remove":true}]}`)
}

// An audience key that differs from the cohort name is refused and sends nothing.
func TestSyncAudiencesRefusesAnotherAudienceKey(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, "syncAudiences", destkit.JSON(`{"personas_audience_key":"other",`+string(SyncAudiences.DefaultMapping())[1:]),
		identify("u1", "2026-03-01T10:00:00.000Z", true))
	err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SyncAudiences, p)
	var pve *destkit.PayloadValidationError
	if !errors.As(err, &pve) || pve.Field != "personas_audience_key" {
		t.Fatalf("%v", err)
	}
	if len(srv.Requests()) != 0 {
		t.Fatal("sent anyway")
	}
}

// A failed creation is retried with the next event; the statuses of both calls classify.
func TestSyncAudiencesErrors(t *testing.T) {
	p := desttest.Render(t, Definition, "syncAudiences", mapping(), identify("u1", "2026-03-01T10:00:00.000Z", true))
	desttest.ErrorPathsFor(t, Definition, settings, SyncAudiences, p, desttest.Statuses(`{"message":"bad"}`))
	srv := desttest.NewServer(t, desttest.Reply{Status: 500})
	inst := desttest.Instance(t, Definition, settings)
	if err := srv.Client().Send(context.Background(), inst, SyncAudiences, p); destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatalf("%v", err)
	}
	if err := srv.Client().Send(context.Background(), inst, SyncAudiences, p); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Fatalf("%d requests: the failed creation must be tried again", n)
	}
}
