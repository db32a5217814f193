package regulation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/profile/changelog"
	"github.com/actuate/actuate/processor/regulation"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// TestSuppressionInTheRunningProcessor, on the real broker: a suppress regulation made
// through one store (the API's) reaches the running processor's store, and from then on
// the suppressed user's events are filtered with stage suppressed while others route.
func TestSuppressionInTheRunningProcessor(t *testing.T) {
	brokers := testenv.Kafka(t)
	regTopic := testenv.Topic(t, "regulations", 1)
	events := testenv.Topic(t, "events", 3)
	dlq := testenv.Topic(t, "dlq", 1)
	hook := "hook-" + events[len(events)-8:]
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(hook))
	ws := testws.Compile(t, hookConfig(events, hook, false))
	ctx := t.Context()
	api, processor := startStore(t, brokers, regTopic), startStore(t, brokers, regTopic)
	m := metrics.New()
	startRouter(t, brokers, ws, hook, dlq, router.Config{Metrics: m, Suppression: processor})

	if _, err := api.Create(ctx, regulation.SuppressOnly, []string{"ada"}, ws); err != nil {
		t.Fatal(err)
	}
	wait, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := processor.CatchUp(wait); err != nil {
		t.Fatal(err)
	}
	var recs []*kgo.Record
	for i := range 3 {
		for _, u := range []string{"ada", "bob"} {
			recs = append(recs, &kgo.Record{Topic: events, Key: []byte(u), Value: []byte(fmt.Sprintf(`{"type":"track","event":"e","userId":%q,"messageId":"%s-%d"}`, u, u, i))})
		}
	}
	testenv.Produce(t, recs...)

	suppressed := func() float64 {
		return testutil.ToFloat64(m.InstanceOutcomes.WithLabelValues(hook, metrics.OutcomeFiltered, string(schemas.StageSuppressed), ""))
	}
	routed := func() float64 {
		return testutil.ToFloat64(m.InstanceOutcomes.WithLabelValues(hook, metrics.OutcomeRouted, "", ""))
	}
	deadline := time.Now().Add(60 * time.Second)
	for suppressed() < 3 || routed() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("suppressed %v, routed %v", suppressed(), routed())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(workspace.DeliveryTopic(hook)),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	pctx, pcancel := context.WithTimeout(ctx, 3*time.Second)
	defer pcancel()
	var users []string
	for pctx.Err() == nil {
		cl.PollFetches(pctx).EachRecord(func(r *kgo.Record) { users = append(users, string(r.Key)) })
	}
	if len(users) != 3 || users[0] != "bob" || users[1] != "bob" || users[2] != "bob" {
		t.Errorf("requests for %q, want bob's three only", users)
	}
}

// TestDeletionErasesTheProfileInTheRunningProcessor, on the real broker: with profiles on,
// a running processor keeps ada's and bob's profiles from their identifies; a delete
// regulation for ada, carried out by the deleter through the changelog client (as serve
// wires it), has the processor tombstone ada's profile, and bob's stays.
func TestDeletionErasesTheProfileInTheRunningProcessor(t *testing.T) {
	brokers := testenv.Kafka(t)
	regTopic := testenv.Topic(t, "regulations", 1)
	events := testenv.Topic(t, "events", 3)
	dlq := testenv.Topic(t, "dlq", 1)
	sfx := events[len(events)-8:]
	hook := "hook-" + sfx
	profiles := &changelog.Client{Brokers: brokers, Changelog: "regulation.changelog." + sfx, Repartition: "regulation.repartition." + sfx}
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(hook), profiles.Changelog, profiles.Repartition)
	ws := testws.Compile(t, hookConfig(events, hook, true))
	ctx := t.Context()
	store := startStore(t, brokers, regTopic)
	startRouter(t, brokers, ws, hook, dlq, router.Config{Metrics: metrics.New(), Suppression: store,
		ProfilesChangelog: profiles.Changelog, ProfilesRepartition: profiles.Repartition})
	testenv.Go(t, (&regulation.Deleter{Store: store, Workspace: func() *workspace.Workspace { return ws }, Profiles: profiles,
		Interval: 20 * time.Millisecond, Backoff: 50 * time.Millisecond}).Run)

	var recs []*kgo.Record
	for _, u := range []string{"ada", "bob"} {
		recs = append(recs, &kgo.Record{Topic: events, Key: []byte(u),
			Value: []byte(fmt.Sprintf(`{"type":"identify","userId":%q,"messageId":"i-%s","traits":{"email":"%s@example.com"}}`, u, u, u))})
	}
	testenv.Produce(t, recs...)
	// waitFor polls the committed profile of user until kept says it is as wanted.
	waitFor := func(user string, kept bool) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
			p, err := profiles.Get(rctx, user)
			rcancel()
			if err == nil && (p != nil) == kept {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s's profile kept = %v, want %v (last error: %v)", user, p != nil, kept, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("ada", true)
	waitFor("bob", true)

	reg, err := store.Create(ctx, regulation.DeleteOnly, []string{"ada"}, ws)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Profiles == nil || reg.Profiles.State != regulation.StatePending {
		t.Fatalf("created with profiles %+v", reg.Profiles)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, _ := store.Get(reg.ID)
		if got.Profiles.State == regulation.StateSucceeded && got.Profiles.Attempts == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the erasure's status: %+v", got.Profiles)
		}
		time.Sleep(20 * time.Millisecond)
	}
	waitFor("ada", false)
	waitFor("bob", true)
}

// hookConfig is a workspace of one source on events and a webhook instance hook that
// sends every track's userId; profiles turns profiles on.
func hookConfig(events, hook string, profiles bool) string {
	return fmt.Sprintf(`
sources: [{ id: web, write_key: wk, topics: [%s] }]
profiles: { enabled: %t }
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: all, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "https://h.example.com/", method: POST, data: { user: { "@path": "$.userId" } } } }
`, events, profiles, hook)
}

// startRouter runs a processor of ws for the test (group "router-<hook>", three
// partitions per topic it creates, reading from the start), with cfg's other settings.
func startRouter(t *testing.T, brokers []string, ws *workspace.Workspace, hook, dlq string, cfg router.Config) {
	t.Helper()
	cfg.Brokers, cfg.Group, cfg.DLQTopic, cfg.TopicPartitions = brokers, "router-"+hook, dlq, 3
	cfg.Workspace = func() *workspace.Workspace { return ws }
	cfg.ClientOptions = []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}
	r, err := router.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	testenv.Go(t, r.Run)
}

// startStore runs a regulations store of topic until the test ends.
func startStore(t *testing.T, brokers []string, topic string) *regulation.Store {
	t.Helper()
	s, err := regulation.NewStore(regulation.Config{Brokers: brokers, Topic: topic, ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	testenv.Go(t, s.Run)
	return s
}
