package router

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// runRouter starts a router of cfg and stops it when the test ends, which fails if Run
// returned an error.
func runRouter(t *testing.T, cfg Config) *Router {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("router: %v", err)
		}
	})
	return r
}

func randomSuffix() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// TestRouterEndToEndOnKafka routes events from a real broker through Protocols, filters
// and triggers into delivery topics, and checks every request, per-user order, the dead
// letters and that the outcome counts add up.
func TestRouterEndToEndOnKafka(t *testing.T) {
	brokers := testenv.Kafka(t)
	events := testenv.Topic(t, "events", 4)
	dlq := testenv.Topic(t, "dlq", 1)
	suffix := randomSuffix()
	orders, all := "orders-"+suffix, "all-"+suffix
	ws := testws.Compile(t, fmt.Sprintf(`
sources: [{ id: web, write_key: wk_web, topics: [%s] }]
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - id: big
        enabled: true
        action: send
        trigger: 'event = "Order Completed" and properties.total > 10'
        mapping: { url: "https://orders.example.com/", method: POST, data: { user: { "@path": "$.userId" }, seq: { "@path": "$.properties.seq" } } }
      - id: every
        enabled: true
        action: send
        trigger: 'event = "Order Completed"'
        mapping: { url: "https://orders.example.com/all", method: POST, data: { seq: { "@path": "$.properties.seq" } } }
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ title: only orders, if: "event != 'Order Completed'", actions: [{ type: drop_event }] }]
    mappings:
      - { id: m, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://all.example.com/", method: POST, data: { "@path": "$.properties" } } }
`, events, orders, all))
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(orders), workspace.DeliveryTopic(all))

	const users, perUser = 8, 25
	var records []*kgo.Record
	for seq := range perUser {
		for u := range users {
			user := fmt.Sprintf("user-%d", u)
			name := "Order Completed"
			if seq%5 == 4 {
				name = "Page Scrolled"
			}
			records = append(records, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(
				`{"type":"track","event":%q,"userId":%q,"messageId":"%s-%d","properties":{"seq":%d,"total":%d}}`, name, user, user, seq, seq, seq))})
		}
	}
	// Hostile records between good ones: each must become a dead letter with a reason while
	// its partition keeps flowing.
	bad := []string{
		`{"type":"track",`,
		"{\"type\":\"track\",\"event\":\"\xff\"}",
		`{"type":"track","event":"x","userId":"u","properties":"nope"}`,
		`{"type":"track","event":"x","properties":{"blob":"` + strings.Repeat("x", 990_000) + `"}}`,
		`{"type":"track","event":"x","properties":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
	}
	for i, b := range bad {
		records = append(records, &kgo.Record{Topic: events, Key: []byte(fmt.Sprintf("user-%d", i)), Value: []byte(b)})
	}
	unknownSource := &kgo.Record{Topic: events, Key: []byte("user-1"), Value: []byte(`{"type":"track","event":"x","userId":"user-1"}`),
		Headers: []kgo.RecordHeader{{Key: WriteKeyHeader, Value: []byte("wk_unknown")}}}
	records = append(records, unknownSource)
	bad = append(bad, string(unknownSource.Value))
	// The good events of each user come last in each partition as well, so the hostile ones
	// sit in the middle of the stream.
	for seq := perUser; seq < perUser+2; seq++ {
		for u := range users {
			user := fmt.Sprintf("user-%d", u)
			records = append(records, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(
				`{"type":"track","event":"Order Completed","userId":%q,"messageId":"%s-%d","properties":{"seq":%d,"total":%d}}`, user, user, seq, seq, seq))})
		}
	}
	testenv.Produce(t, records...)

	m := metrics.New()
	runRouter(t, Config{
		Brokers: brokers, Group: "router-test-" + suffix, DLQTopic: dlq, Metrics: m,
		Workspace:     func() *workspace.Workspace { return ws },
		ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())},
	})

	orderEvents := users*perUser*4/5 + 2*users
	bigOrders := 0
	for seq := range perUser + 2 {
		if seq%5 != 4 && seq > 10 {
			bigOrders += users
		}
	}
	got := consume(t, brokers, map[string]int{
		workspace.DeliveryTopic(orders): bigOrders + orderEvents,
		workspace.DeliveryTopic(all):    orderEvents,
		dlq:                             len(bad),
	})

	lastSeq := map[string]int{}
	for _, rec := range got[workspace.DeliveryTopic(orders)] {
		ar, err := schemas.DecodeActionRequest(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		user := string(rec.Key)
		var seq int
		switch ar.Mapping {
		case "big":
			if _, err := fmt.Sscanf(string(ar.Payload), `{"url":"https://orders.example.com/","method":"POST","data":{"user":"`+user+`","seq":%d}}`, &seq); err != nil {
				t.Fatalf("payload %s: %v", ar.Payload, err)
			}
		case "every":
			if _, err := fmt.Sscanf(string(ar.Payload), `{"url":"https://orders.example.com/all","method":"POST","data":{"seq":%d}}`, &seq); err != nil {
				t.Fatalf("payload %s: %v", ar.Payload, err)
			}
		}
		if ar.MessageID != fmt.Sprintf("%s-%d", user, seq) {
			t.Fatalf("messageId %s for %s seq %d", ar.MessageID, user, seq)
		}
		// Per user, requests come in event order; one event's two mappings in mapping order.
		key := user
		if prev, ok := lastSeq[key]; ok && (seq < prev) {
			t.Fatalf("user %s: seq %d after %d", user, seq, prev)
		}
		lastSeq[key] = seq
	}
	reasons := map[string]bool{}
	for _, rec := range got[dlq] {
		dl, err := schemas.DecodeDeadLetter(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		if dl.Topic != events || dl.Reason == "" || dl.Error == "" || len(dl.Original) == 0 {
			t.Fatalf("dead letter %+v", dl)
		}
		reasons[string(dl.Stage)+": "+dl.Reason] = true
	}
	for _, want := range []string{"decode: malformed JSON", "decode: invalid UTF-8", "decode: invalid field properties",
		"decode: event too large", "decode: nesting too deep", "source: unknown write key"} {
		if !reasons[want] {
			t.Errorf("no dead letter %q among %v", want, reasons)
		}
	}

	// Counts reach the metrics after the transaction commits; give the loop a moment.
	deadline := time.Now().Add(10 * time.Second)
	for testutil.ToFloat64(m.InstanceOutcomes.WithLabelValues(all, metrics.OutcomeFiltered, "filter", "only orders")) < float64(users*perUser/5) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	received := testutil.ToFloat64(m.EventsReceived.WithLabelValues("web"))
	for _, inst := range []string{orders, all} {
		sum := 0.0
		for _, outcome := range []struct{ outcome, stage, filter string }{
			{metrics.OutcomeRouted, "", ""}, {metrics.OutcomeNoMatchingMapping, "trigger", ""},
			{metrics.OutcomeFiltered, "filter", "only orders"}, {metrics.OutcomeDeadLettered, "mapping", ""},
		} {
			sum += testutil.ToFloat64(m.InstanceOutcomes.WithLabelValues(inst, outcome.outcome, outcome.stage, outcome.filter))
		}
		if received != float64(users*(perUser+2)) || sum != received {
			t.Errorf("instance %s: outcomes add up to %v, received %v, want %d", inst, sum, received, users*(perUser+2))
		}
	}
}

// consume reads committed records until each topic has the wanted count, and fails on
// more or on a timeout.
func consume(t *testing.T, brokers []string, want map[string]int) map[string][]*kgo.Record {
	t.Helper()
	topics := make([]string, 0, len(want))
	for topic := range want {
		topics = append(topics, topic)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topics...),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.MetadataMinAge(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	got := map[string][]*kgo.Record{}
	complete := func() bool {
		for topic, n := range want {
			if len(got[topic]) < n {
				return false
			}
		}
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for !complete() {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			counts := map[string]int{}
			for topic := range want {
				counts[topic] = len(got[topic])
			}
			t.Fatalf("timed out: got %v, want %v", counts, want)
		}
		fetches.EachRecord(func(r *kgo.Record) { got[r.Topic] = append(got[r.Topic], r) })
	}
	// Anything beyond the wanted counts would be a duplicate.
	extra, cancelExtra := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelExtra()
	cl.PollFetches(extra).EachRecord(func(r *kgo.Record) { got[r.Topic] = append(got[r.Topic], r) })
	for topic, n := range want {
		if len(got[topic]) != n {
			t.Fatalf("topic %s: %d records, want exactly %d", topic, len(got[topic]), n)
		}
	}
	return got
}

// TestRouterRebalanceLosesAndDuplicatesNothing moves partitions between two routers while
// events flow: a second router joins, then the first leaves. Every (event, mapping) must
// land in the delivery topic exactly once, in per-user order.
func TestRouterRebalanceLosesAndDuplicatesNothing(t *testing.T) {
	brokers := testenv.Kafka(t)
	events := testenv.Topic(t, "events", 6)
	dlq := testenv.Topic(t, "dlq", 1)
	sfx := randomSuffix()
	inst := "rebalance-" + sfx
	ws := testws.Compile(t, fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: a, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://a.example.com/", method: POST, data: { seq: { "@path": "$.properties.seq" } } } }
      - { id: b, enabled: true, action: send, trigger: "properties.seq >= 0", mapping: { url: "https://b.example.com/", method: POST, data: { seq: { "@path": "$.properties.seq" } } } }
`, events, inst))
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(inst))

	const users, perUser = 30, 100
	// Router A runs two lanes (two members), B one: the lanes' partitions move too.
	start := func(ctx context.Context, lanes int) chan error {
		r, err := New(Config{
			Brokers: brokers, Group: "rebalance-" + sfx, DLQTopic: dlq, Lanes: lanes,
			Workspace:     func() *workspace.Workspace { return ws },
			ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())},
		})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		return done
	}
	produceBatch := func(from, to int) {
		var records []*kgo.Record
		for seq := from; seq < to; seq++ {
			for u := range users {
				user := fmt.Sprintf("user-%d", u)
				records = append(records, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(
					`{"type":"track","event":"e","userId":%q,"messageId":"%s-%d","properties":{"seq":%d}}`, user, user, seq, seq))})
			}
		}
		testenv.Produce(t, records...)
	}

	ctxA, stopA := context.WithCancel(context.Background())
	doneA := start(ctxA, 2)
	produceBatch(0, perUser/3)
	time.Sleep(500 * time.Millisecond)
	ctxB, stopB := context.WithCancel(context.Background())
	doneB := start(ctxB, 1)
	defer func() {
		stopB()
		if err := <-doneB; err != nil {
			t.Errorf("router B: %v", err)
		}
	}()
	produceBatch(perUser/3, 2*perUser/3)
	time.Sleep(time.Second)
	stopA()
	if err := <-doneA; err != nil {
		t.Errorf("router A: %v", err)
	}
	produceBatch(2*perUser/3, perUser)

	got := consume(t, brokers, map[string]int{workspace.DeliveryTopic(inst): 2 * users * perUser})
	seen := map[string]bool{}
	last := map[string]int{}
	for _, rec := range got[workspace.DeliveryTopic(inst)] {
		ar, err := schemas.DecodeActionRequest(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		id := ar.MessageID + "/" + ar.Mapping
		if seen[id] {
			t.Fatalf("%s delivered twice", id)
		}
		seen[id] = true
		var seq int
		fmt.Sscanf(ar.MessageID[strings.LastIndexByte(ar.MessageID, '-')+1:], "%d", &seq)
		key := string(rec.Key) + "/" + ar.Mapping
		if prev, ok := last[key]; ok && seq <= prev {
			t.Fatalf("%s: seq %d after %d", key, seq, prev)
		}
		last[key] = seq
	}
}

// TestRouterFollowsATopicAddedWhileIdle: a config change adds a source whose topic is the
// only one with traffic; the router must start consuming it without a restart.
func TestRouterFollowsATopicAddedWhileIdle(t *testing.T) {
	brokers := testenv.Kafka(t)
	first := testenv.Topic(t, "first", 1)
	second := testenv.Topic(t, "second", 1)
	dlq := testenv.Topic(t, "dlq", 1)
	sfx := randomSuffix()
	inst := "follow-" + sfx
	config := func(topics string) *workspace.Workspace {
		return testws.Compile(t, fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: m, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://a.example.com/", method: POST, data: { e: { "@path": "$.event" } } } }
`, topics, inst))
	}
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(inst))
	var live atomic.Pointer[workspace.Workspace]
	live.Store(config(first))
	runRouter(t, Config{Brokers: brokers, Group: "follow-" + sfx, DLQTopic: dlq, Workspace: live.Load,
		ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}})

	time.Sleep(2 * time.Second) // the router is idle on the first topic
	live.Store(config(first + ", " + second))
	testenv.Produce(t, &kgo.Record{Topic: second, Key: []byte("u"), Value: []byte(`{"type":"track","event":"Late","userId":"u"}`)})
	got := consume(t, brokers, map[string]int{workspace.DeliveryTopic(inst): 1})
	ar, err := schemas.DecodeActionRequest(got[workspace.DeliveryTopic(inst)][0].Value)
	if err != nil || string(ar.Payload) != `{"url":"https://a.example.com/","method":"POST","data":{"e":"Late"}}` {
		t.Fatalf("got %+v, %v", ar, err)
	}
}
