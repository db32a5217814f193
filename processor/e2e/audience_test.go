package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/brazecohorts"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tokens"
	"github.com/actuate/actuate/processor/workspace"
)

// TestAudienceEndToEnd, on the real broker and Redis: Engage identify events of users
// entering and leaving an audience go through the processor and the sender to Braze
// Cohorts. The cohort is created once, on the first batch, through the audience kit (its
// id kept in Redis, shared by every sender); each wave of events becomes one batched
// request whose adds and removes follow the events, a user's latest change winning.
func TestAudienceEndToEnd(t *testing.T) {
	brokers := testenv.Kafka(t)
	redisAddr := testenv.Redis(t)
	events := testenv.Topic(t, "events", 1)
	dlq := testenv.Topic(t, "dlq", 1)
	retry := testenv.Topic(t, "retry", 1)
	sfx := testenv.Suffix()
	cohorts := "cohorts-" + sfx
	braze := newSink(t, func(string, http.Header, []byte) (int, map[string]string) { return 200, nil })

	// The default mapping, with the audience key Braze Cohorts asks to be written in.
	mapping := strings.TrimSuffix(string(brazecohorts.SyncAudiences.DefaultMapping()), "}") + `,"personas_audience_key":"vip"}`
	yaml := fmt.Sprintf(`
sources: [{ id: web, topics: [%[1]s] }]
destinations:
  - id: %[2]s
    type: braze-cohorts
    sources: [web]
    enabled: true
    settings: { client_secret: cohort-secret, endpoint: "https://rest.iad-01.braze.com" }
    delivery: { batch_size: 100, batch_wait: 1500ms, concurrency: 1 }
    mappings: [{ id: vip, enabled: true, action: syncAudiences, trigger: 'type = "identify"', mapping: %[3]s }]
`, events, cohorts, mapping)
	ws := testws.Compile(t, yaml)
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(cohorts))

	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { rdb.Close() })
	prefix := "actuate-test:audience-e2e:" + sfx + ":"
	audiences := tokens.New(rdb, tokens.Options{Prefix: prefix}).Audiences()
	t.Cleanup(func() {
		keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
	})

	m := metrics.New()
	live := func() *workspace.Workspace { return ws }
	opts := []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}
	r, err := router.New(router.Config{Brokers: brokers, Group: "audience-router-" + sfx, Workspace: live, DLQTopic: dlq, Metrics: m, Logger: zap.NewNop(), ClientOptions: opts})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Config{Brokers: brokers, Group: "audience-sender-" + sfx, Workspace: live, Metrics: m, Logger: zap.NewNop(),
		DeliveryTopics: "^" + regexp.QuoteMeta("actuate.delivery.") + ".*-" + sfx + "$", RetryTopic: retry, DLQTopic: dlq, ClientOptions: opts,
		DestOptions: []destkit.Option{destkit.OverrideHost("rest.iad-01.braze.com", braze.URL), destkit.WithAudienceStore(audiences)}})
	if err != nil {
		t.Fatal(err)
	}
	defer start(t, r.Run, s.Run)()

	second := 0
	identify := func(user string, member bool) *kgo.Record {
		second++
		return &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(`{"type":"identify","userId":%q,`+
			`"timestamp":"2026-03-01T10:00:%02d.000Z","traits":{"vip":%t},`+
			`"context":{"personas":{"computation_class":"audience","computation_key":"vip","computation_id":"aud_42"}}}`, user, second, member))}
	}
	users := func(n int) []string {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) && len(braze.bodies("/partners/segment/cohorts/users")) < n {
			time.Sleep(50 * time.Millisecond)
		}
		got := braze.bodies("/partners/segment/cohorts/users")
		if len(got) < n {
			t.Fatalf("%d membership requests after a minute, want %d", len(got), n)
		}
		return got
	}
	change := func(adds, removes string) string {
		var parts []string
		if adds != "" {
			parts = append(parts, `{"user_ids":[`+adds+`],"device_ids":[],"aliases":[]}`)
		}
		if removes != "" {
			parts = append(parts, `{"user_ids":[`+removes+`],"device_ids":[],"aliases":[],"should_remove":true}`)
		}
		return `{"client_secret":"cohort-secret","cohort_id":"aud_42","cohort_changes":[` + strings.Join(parts, ",") + `]}`
	}

	// Wave 1: four users enter. Within a request Braze's users are latest first.
	testenv.Produce(t, identify("u1", true), identify("u2", true), identify("u3", true), identify("u4", true))
	got := users(1)
	desttest.JSONEqual(t, []byte(got[0]), change(`"u4","u3","u2","u1"`, ""))

	// Wave 2: two leave, one enters, and one enters then leaves (the leaving wins).
	testenv.Produce(t, identify("u2", false), identify("u5", true), identify("u6", true), identify("u4", false), identify("u6", false))
	got = users(2)
	desttest.JSONEqual(t, []byte(got[1]), change(`"u5"`, `"u6","u4","u2"`))

	// Wave 3: a user who left comes back.
	testenv.Produce(t, identify("u2", true))
	got = users(3)
	desttest.JSONEqual(t, []byte(got[2]), change(`"u2"`, ""))

	time.Sleep(300 * time.Millisecond) // anything more would be a request that should not be
	creates := braze.bodies("/partners/segment/cohorts")
	if len(creates) != 1 {
		t.Fatalf("the cohort was created %d times, want once: %q", len(creates), creates)
	}
	// created_at is the batch's first event's time; which of wave 1's comes first depends
	// on the delivery topic's partitions.
	if !regexp.MustCompile(`^\{"client_secret":"cohort-secret","name":"vip","cohort_id":"aud_42","created_at":"2026-03-01T10:00:0[1-4]\.000Z"\}$`).MatchString(creates[0]) {
		t.Fatalf("creation %s", creates[0])
	}
	if n := len(braze.bodies("/partners/segment/cohorts/users")); n != 3 {
		t.Fatalf("%d membership requests, want one per wave", n)
	}
	// The kit kept the cohort in Redis, where every sender finds it.
	if id, ok, err := audiences.Get(context.Background(), cohorts+"\x1fvip"); err != nil || !ok || id != "aud_42" {
		t.Fatalf("audience store: %q %v %v", id, ok, err)
	}
}
