package replay_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/overview"
	"github.com/actuate/actuate/processor/replay"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// TestReplayAfterAMappingFix, on the real broker: a mapping bug sends every event to the
// dead-letter topic; after the fix a dry run counts them, a replay delivers each exactly
// once through the running sender, and a second replay of the same range does nothing new.
// The Delivery Overview shows the replay's counts.
func TestReplayAfterAMappingFix(t *testing.T) {
	brokers := testenv.Kafka(t)
	events := testenv.Topic(t, "events", 3)
	dlq := testenv.Topic(t, "dlq", 1)
	retry := testenv.Topic(t, "retry", 1)
	markers := testenv.Topic(t, "replay", 3)
	overviewTopic := testenv.Topic(t, "overview", 1)
	hook := "hook-" + events[len(events)-8:]
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(hook))
	opts := []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}

	var mu sync.Mutex
	var bodies []string
	var refusing atomic.Bool // the destination's outage, for the sender's dead letters
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if refusing.Load() {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer sink.Close()
	received := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := append([]string(nil), bodies...)
		sort.Strings(out)
		return out
	}

	workspaceText := func(url string) string {
		return fmt.Sprintf(`
sources: [{ id: web, write_key: wk_web, topics: [%s] }]
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - id: orders
        enabled: true
        action: send
        trigger: 'event = "Order Completed"'
        mapping: { url: %s, method: POST, data: { user: { "@path": "$.userId" }, order: { "@path": "$.properties.order_id" } } }
`, events, hook, url)
	}
	// The bug: the URL is read from a property the events do not have.
	var ws atomic.Pointer[workspace.Workspace]
	ws.Store(testws.Compile(t, workspaceText(`{ "@path": "$.properties.hook_url" }`)))
	current := func() *workspace.Workspace { return ws.Load() }

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	start := func(name string, run func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
	m := metrics.New()
	r, err := router.New(router.Config{Brokers: brokers, Group: "router-" + hook, Workspace: current, DLQTopic: dlq,
		TopicPartitions: 3, Metrics: m, ClientOptions: append(opts, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Config{Brokers: brokers, Group: "sender-" + hook, Workspace: current,
		Tokens: destkit.NewMemoryTokenStore(), Metrics: m, DeliveryTopics: "^" + regexp.QuoteMeta(workspace.DeliveryTopic(hook)) + "$",
		RetryTopic: retry, DLQTopic: dlq, TopicPartitions: 3,
		ClientOptions: append(opts, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))})
	if err != nil {
		t.Fatal(err)
	}
	agg := &overview.Aggregator{Brokers: brokers, Topic: overviewTopic, Workspace: current, SamplesTopic: testenv.Topic(t, "samples", 1), DLQTopic: dlq, Options: opts}
	start("router", r.Run)
	start("sender", s.Run)
	start("aggregator", agg.Run)

	const n = 6
	before := time.Now()
	var recs []*kgo.Record
	for i := range n {
		user := fmt.Sprintf("user-%d", i)
		recs = append(recs, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(
			`{"type":"track","event":"Order Completed","userId":%q,"messageId":"m-%d","properties":{"order_id":"o-%d"}}`, user, i, i))})
	}
	testenv.Produce(t, recs...)
	waitUntil(t, 60*time.Second, func() bool { return countDeadLetters(t, brokers, dlq, hook) >= n })

	// The fix.
	ws.Store(testws.Compile(t, workspaceText(`"`+sink.URL+`/orders"`)))
	cfg := replay.Config{Brokers: brokers, Workspace: current, DLQTopic: dlq, MarkerTopic: markers, OverviewTopic: overviewTopic,
		Counter: replay.NewCounter(), ClientOptions: opts}
	req := replay.Request{Destination: hook, Filter: replay.Filter{Mapping: "orders", Since: before.Add(-time.Minute), Until: time.Now().Add(time.Minute)}}

	dry := req
	dry.DryRun = true
	res, err := replay.Run(ctx, cfg, dry)
	if err != nil {
		t.Fatal(err)
	}
	if res.Selected != n || res.Outcomes[replay.OutcomeReplayed] != n || res.Requests != n {
		t.Fatalf("dry run: %+v", res)
	}
	time.Sleep(time.Second)
	if got := received(); len(got) != 0 {
		t.Fatalf("a dry run delivered %q", got)
	}

	began := time.Now()
	req.ID = "first"
	res, err = replay.Run(ctx, cfg, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Selected != n || res.Outcomes[replay.OutcomeReplayed] != n || res.Requests != n {
		t.Fatalf("replay: %+v", res)
	}
	waitUntil(t, 60*time.Second, func() bool { return len(received()) >= n })
	t.Logf("replayed and delivered %d dead letters in %v", n, time.Since(began))

	req.ID = "second"
	res, err = replay.Run(ctx, cfg, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Selected != n || res.Outcomes[replay.OutcomeAlreadyReplayed] != n || res.Requests != 0 {
		t.Fatalf("second replay: %+v", res)
	}
	time.Sleep(2 * time.Second)
	got := received()
	if len(got) != n {
		t.Fatalf("delivered %d requests, want each of %d once: %q", len(got), n, got)
	}
	for i := range n {
		if want := fmt.Sprintf(`{"user":"user-%d","order":"o-%d"}`, i, i); got[i] != want {
			t.Errorf("delivery %d = %s, want %s", i, got[i], want)
		}
	}

	var ov *overview.Overview
	waitUntil(t, 20*time.Second, func() bool {
		ov, _ = agg.Overview(ctx, hook, before.Add(-time.Hour), time.Now().Add(time.Hour))
		return ov.Replayed[replay.OutcomeReplayed] == n && ov.Replayed[replay.OutcomeAlreadyReplayed] == n
	})

	// The destination refuses requests: the sender dead-letters them (stage deliver); once
	// it takes them again, a replay of the stored requests delivers each once.
	refusing.Store(true)
	recs = nil
	for i := n; i < n+3; i++ {
		user := fmt.Sprintf("user-%d", i)
		recs = append(recs, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(
			`{"type":"track","event":"Order Completed","userId":%q,"messageId":"m-%d","properties":{"order_id":"o-%d"}}`, user, i, i))})
	}
	testenv.Produce(t, recs...)
	waitUntil(t, 60*time.Second, func() bool { return countDeadLetters(t, brokers, dlq, hook) >= n+3 })
	refusing.Store(false)
	stored := replay.Request{ID: "stored", Destination: hook, Mode: replay.ModeStored}
	if res, err = replay.Run(ctx, cfg, stored); err != nil {
		t.Fatal(err)
	}
	if res.Selected != n+3 || res.Outcomes[replay.OutcomeReplayed] != 3 || res.Outcomes[replay.OutcomeAlreadyReplayed] != n || res.Requests != 3 {
		t.Fatalf("stored replay: %+v", res)
	}
	waitUntil(t, 60*time.Second, func() bool { return len(received()) >= n+3 })
	stored.ID = "stored-again"
	if res, err = replay.Run(ctx, cfg, stored); err != nil || res.Requests != 0 || res.Outcomes[replay.OutcomeAlreadyReplayed] != n+3 {
		t.Fatalf("second stored replay: %+v, %v", res, err)
	}
	time.Sleep(2 * time.Second)
	if got := received(); len(got) != n+3 || got[n+2] != `{"user":"user-8","order":"o-8"}` {
		t.Fatalf("after the stored replay: %q", got)
	}
}

func countDeadLetters(t *testing.T, brokers []string, topic, instance string) int {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	count := 0
	for ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			if dl, err := schemas.DecodeDeadLetter(r.Value); err == nil && dl.Instance == instance {
				count++
			}
		})
	}
	return count
}

func waitUntil(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
