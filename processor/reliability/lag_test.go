package reliability

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/lag"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/workspace"
)

// TestLagReachesZeroWhenIdle sends a burst through the router and the sender on the real
// broker, its events written by a transactional producer (committed transactions, then an
// aborted one), and once everything is delivered reads with Kafka's admin API, for the
// processor's group and the sender's, the committed offset against the log end offset of
// every partition: Kafka's tools show that difference as the lag, and it must reach 0 —
// the transaction markers after the last records (the producer's in the events topic, the
// router's in the delivery topic) are committed past. actuate_consumer_lag's computation
// (lag.Measure) must agree.
func TestLagReachesZeroWhenIdle(t *testing.T) {
	t.Parallel()
	brokers := testenv.Kafka(t)
	sfx := testenv.Suffix()
	eventsTopic, dlq, retry := "rel.lag.events."+sfx, "rel.lag.dlq."+sfx, "rel.lag.retry."+sfx
	createTopic(t, brokers, eventsTopic, 6)
	createTopic(t, brokers, dlq, 3)
	createTopic(t, brokers, retry, 3)
	inst := "lag-" + sfx
	delivery := workspace.DeliveryTopic(inst)
	testenv.DeleteTopicsAtCleanup(t, delivery)

	hooks := newSink(t, ok)
	cfg, err := config.Parse([]byte(fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: all, enabled: true, action: send, trigger: 'type = "track"',
          mapping: { url: "%s/all", method: POST, data: { m: { "@path": "$.messageId" } } } }
      - { id: odd, enabled: true, action: send, trigger: 'properties.odd = true',
          mapping: { url: "%s/odd", method: POST, data: { m: { "@path": "$.messageId" } } } }
`, eventsTopic, inst, hooks.URL, hooks.URL)))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, lookup)
	if err != nil {
		t.Fatal(err)
	}

	// The burst: three committed transactions over every partition, then an aborted one,
	// so each events partition ends with a marker (an abort marker on most).
	const perTxn, committedTxns = 100, 3
	producer := newClient(t, brokers, kgo.TransactionalID("rel-lag-"+sfx), kgo.DefaultProduceTopic(eventsTopic))
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	n := 0
	transaction := func(commit bool) {
		t.Helper()
		if err := producer.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		var recs []*kgo.Record
		for range perTxn {
			recs = append(recs, &kgo.Record{Key: []byte(fmt.Sprintf("u-%d", n%37)),
				Value: []byte(fmt.Sprintf(`{"type":"track","event":"E","userId":"u-%d","messageId":"m-%d","properties":{"odd":%t}}`, n%37, n, n%2 == 1))})
			n++
		}
		if err := producer.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
		if err := producer.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
			t.Fatal(err)
		}
	}
	for range committedTxns {
		transaction(true)
	}
	transaction(false)
	wantAll, wantOdd := perTxn*committedTxns, perTxn*committedTxns/2

	routerGroup, senderGroup := "rel-lag-router-"+sfx, "rel-lag-sender-"+sfx
	live := func() *workspace.Workspace { return ws }
	r, err := router.New(router.Config{Brokers: brokers, Group: routerGroup, Workspace: live, DLQTopic: dlq,
		SamplesPerMinute: -1, TopicPartitions: 4, Metrics: metrics.New(), ClientOptions: fastGroup()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Config{Brokers: brokers, Group: senderGroup, Workspace: live, Metrics: metrics.New(),
		DeliveryTopics: "^" + regexp.QuoteMeta(delivery) + "$", RetryTopic: retry, DLQTopic: dlq,
		CommitInterval: 200 * time.Millisecond, ClientOptions: fastGroup()})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, run := range []func(context.Context) error{r.Run, s.Run} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(runCtx); err != nil {
				t.Errorf("run: %v", err)
			}
		}()
	}
	defer func() { stop(); wg.Wait() }()

	if !waitFor(90*time.Second, func() bool { return hooks.count("/all") >= wantAll && hooks.count("/odd") >= wantOdd }) {
		t.Fatalf("not everything was delivered in time: /all %d/%d, /odd %d/%d", hooks.count("/all"), wantAll, hooks.count("/odd"), wantOdd)
	}

	admin := kadm.NewClient(newClient(t, brokers))
	groups := map[string][]string{routerGroup: {eventsTopic}, senderGroup: {delivery, retry}}
	read := map[string]map[topicPartition]int64{}
	// settle waits for a lag of 0 on every partition of both groups, as Kafka's tools
	// compute it, keeping what it read last.
	settle := func(after string) {
		t.Helper()
		var report []string
		settled := waitFor(30*time.Second, func() bool {
			report = report[:0]
			zero := true
			for _, group := range []string{routerGroup, senderGroup} {
				lags, lines, ok := idleLag(ctx, admin, group, groups[group]...)
				read[group] = lags
				report = append(report, lines...)
				zero = zero && ok
			}
			return zero
		})
		sort.Strings(report)
		if !settled {
			t.Fatalf("lag did not reach 0 within 30 s of %s (committed/log end per partition):\n  %s", after, strings.Join(report, "\n  "))
		}
		t.Logf("idle after %s, committed/log end per partition:\n  %s", after, strings.Join(report, "\n  "))
	}
	settle("the last delivery")

	// Once idle, a transaction is aborted: the router fetches nothing but its abort markers,
	// and commits past them in a transaction that produces nothing.
	transaction(false)
	settle("an aborted transaction while idle")

	// actuate_consumer_lag is computed by lag.Measure: what was read above, on every
	// partition of both groups (the sender's empty retry topic included, at 0).
	measured, err := lag.Measure(ctx, admin, routerGroup, senderGroup)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, l := range measured {
		seen[l.Group]++
		want := read[l.Group][topicPartition{l.Topic, l.Partition}] // 0 when never written
		if l.Lag != want || l.Lag != 0 {
			t.Errorf("actuate_consumer_lag{group=%q,topic=%q,partition=\"%d\"} = %d; Kafka's figure %d", l.Group, l.Topic, l.Partition, l.Lag, want)
		}
	}
	if seen[routerGroup] != 6 || seen[senderGroup] != 4+3 {
		t.Errorf("actuate_consumer_lag covers %d partitions of the processor's group (want 6) and %d of the sender's (want 7)", seen[routerGroup], seen[senderGroup])
	}

	// The aborted transaction's events went nowhere, and the markers the router and the
	// sender now see were not taken for events: no dead letters.
	if got := hooks.count("/all"); got != wantAll {
		t.Errorf("/all received %d requests, want %d", got, wantAll)
	}
	dlqEnds, err := admin.ListEndOffsets(ctx, dlq)
	if err != nil {
		t.Fatal(err)
	}
	dlqEnds.Each(func(o kadm.ListedOffset) {
		if o.Offset != 0 {
			t.Errorf("dead-letter partition %d holds %d records, want none", o.Partition, o.Offset)
		}
	})
}

type topicPartition struct {
	topic     string
	partition int32
}

// idleLag reads group's committed offsets and the log end offsets of topics, as
// kafka-consumer-groups --describe does: the lag of each partition that holds data (log end
// minus committed), lines describing them, and whether every lag is 0.
func idleLag(ctx context.Context, admin *kadm.Client, group string, topics ...string) (lags map[topicPartition]int64, lines []string, zero bool) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	committed, err := admin.FetchOffsets(ctx, group)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: fetching committed offsets: %v", group, err)}, false
	}
	ends, err := admin.ListEndOffsets(ctx, topics...)
	if err != nil {
		return nil, []string{fmt.Sprintf("%s: listing end offsets: %v", group, err)}, false
	}
	lags, zero = map[topicPartition]int64{}, true
	ends.Each(func(end kadm.ListedOffset) {
		if end.Err != nil {
			lines = append(lines, fmt.Sprintf("%s %s/%d: %v", group, end.Topic, end.Partition, end.Err))
			zero = false
			return
		}
		at := int64(-1) // none committed
		if c, ok := committed.Lookup(end.Topic, end.Partition); ok && c.Err == nil {
			at = c.At
		}
		if end.Offset == 0 && at == -1 {
			return // nothing ever written: no lag either way
		}
		l := end.Offset - max(at, 0)
		lags[topicPartition{end.Topic, end.Partition}] = l
		lines = append(lines, fmt.Sprintf("%s %s/%d: %d/%d lag %d", group, end.Topic, end.Partition, at, end.Offset, l))
		if l != 0 {
			zero = false
		}
	})
	return lags, lines, zero
}
