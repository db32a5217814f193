package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// brokerAway is how long the broker stays stopped, besides the time it takes to stop and start.
const brokerAway = 11 * time.Second

// TestKafkaBrokerRestart runs the whole pipeline — `actuate process` and `actuate send` as
// child processes, events flowing to a webhook on 127.0.0.1 — on a broker of its own, and
// restarts that broker (stop; a few seconds; start, same data) while events are being
// produced and processed. The pipeline resumes by itself, the processes stay up, and
// nothing is lost: the events topic holds each event once, the delivery topic each
// (event, mapping) exactly once (read_committed) in each user's order, every request
// reaches the webhook at least once, and nothing is dead-lettered. Duplicates at the
// webhook (at-least-once) are counted and reported.
//
// Not parallel: it runs a broker JVM of its own, and the CI machine has two shared cores.
func TestKafkaBrokerRestart(t *testing.T) {
	// `actuate send` keeps tokens and rate limits in Redis: the suite's shared one serves, as
	// nothing here stops it. testenv.Redis also skips the test outside with-services.sh (and
	// fails it in CI).
	redisAddr := testenv.Redis(t)
	bin := actuateBinary(t)
	began := time.Now()
	var timeline []string
	var tlMu sync.Mutex
	note := func(format string, args ...any) {
		tlMu.Lock()
		defer tlMu.Unlock()
		timeline = append(timeline, fmt.Sprintf("%6.1fs ", time.Since(began).Seconds())+fmt.Sprintf(format, args...))
	}
	defer func() { t.Logf("timeline:\n  %s", strings.Join(timeline, "\n  ")) }()

	// A broker of this test's own, so that stopping it disturbs no one else.
	kafka := testenv.StartPrivateKafka(t, testenv.PrivateKafkaOptions{})
	brokers := kafka.Brokers
	note("private broker up on %s", brokers[0])

	sfx := testenv.Suffix()
	eventsTopic := "rel.restart." + sfx
	testenv.CreateTopic(t, brokers, eventsTopic, 6)
	inst := "restart-" + sfx
	delivery := workspace.DeliveryTopic(inst)
	// Created here (as the processor would, with its 12 partitions) so that the sender finds
	// it on its first metadata fetch rather than at its next refresh 10 s on: the restart is
	// under test here, not the discovery of a new instance.
	testenv.CreateTopic(t, brokers, delivery, 12)

	// The webhook: counts each (messageId, mapping) it accepted, and when it first did; the
	// path names the mapping. While slow is set it takes its time to answer.
	type key = [2]string // messageId, mapping
	var slow atomic.Bool
	var sinkMu sync.Mutex
	got := map[key]int{}
	first := map[key]time.Time{}
	var undecodable int
	hook := newSink(t, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		var b struct{ M string }
		err := json.Unmarshal(body, &b)
		if slow.Load() {
			time.Sleep(250 * time.Millisecond)
		}
		sinkMu.Lock()
		if err != nil || b.M == "" {
			undecodable++
		} else {
			k := key{b.M, strings.TrimPrefix(r.URL.Path, "/")}
			if got[k] == 0 {
				first[k] = time.Now()
			}
			got[k]++
		}
		sinkMu.Unlock()
		w.Write([]byte(`{}`))
		return false
	})

	yaml := fmt.Sprintf(`
sources: [{ id: web, topics: [%[1]s] }]
destinations:
  - id: %[2]s
    type: webhook
    sources: [web]
    enabled: true
    delivery: { concurrency: 8 }
    mappings:
      - { id: all, enabled: true, action: send, trigger: 'type = "track"',
          mapping: { url: "%[3]s/all", method: POST, data: { m: { "@path": "$.messageId" }, u: { "@path": "$.userId" }, s: { "@path": "$.properties.seq" } } } }
      - { id: odd, enabled: true, action: send, trigger: 'properties.odd = true',
          mapping: { url: "%[3]s/odd", method: POST, data: { m: { "@path": "$.messageId" }, u: { "@path": "$.userId" }, s: { "@path": "$.properties.seq" } } } }
`, eventsTopic, inst, hook.URL)
	cfgPath := filepath.Join(t.TempDir(), "actuate.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}

	// The deployment's own defaults throughout (groups, config topic, delivery, retry and
	// dead-letter topics): the broker is ours alone.
	ev := newEvidence()
	procMetrics, sendMetrics := freeAddr(t), freeAddr(t)
	processorProc := startChild(t, ev, "processor", exec.Command(bin, "process", "--config", cfgPath,
		"--brokers", strings.Join(brokers, ","), "--metrics-addr", procMetrics, "--log-level", "info"))
	senderProc := startChild(t, ev, "sender", exec.Command(bin, "send", "--config", cfgPath,
		"--brokers", strings.Join(brokers, ","), "--redis", redisAddr, "--metrics-addr", sendMetrics, "--log-level", "info"))
	note("processor and sender started")

	// Events: a warm-up event first, so that the pipeline is flowing end to end (config
	// read, groups joined, transactions initialised) before the clock starts. Then n in 100 batches, one every 100 ms. The broker is stopped once 40%
	// are produced; the next 20% are produced while it stops and is away (the producer
	// buffers and retries); the last 40% only once it is back.
	n := events(3000)
	const users = 100
	const batches = 100
	stopAt, resumeAt := batches*4/10, batches*6/10
	want := map[key]bool{{"warm-up", "all"}: true}
	wantIDs := map[string]bool{"warm-up": true}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("m-%d", i)
		wantIDs[id] = true
		want[key{id, "all"}] = true
		if (i/users)%2 == 1 {
			want[key{id, "odd"}] = true
		}
	}
	wantTotal := len(want)
	delivered := func() (distinct, total int) {
		sinkMu.Lock()
		defer sinkMu.Unlock()
		for k, c := range got {
			if want[k] {
				distinct++
			}
			total += c
		}
		return distinct, total
	}

	// The producer's requests may be in flight when the broker goes: the idempotent producer
	// (franz-go's default) retries them without writing an event twice.
	producer := newClient(t, brokers, kgo.MaxBufferedRecords(1<<20), kgo.RecordDeliveryTimeout(3*time.Minute))
	produceSync(t, producer, &kgo.Record{Topic: eventsTopic, Key: []byte("u-warm"),
		Value: []byte(`{"type":"track","event":"E","userId":"u-warm","messageId":"warm-up","properties":{"seq":0,"odd":false}}`)})
	if !waitFor(60*time.Second, func() bool { d, _ := delivered(); return d > 0 }) {
		t.Fatalf("the warm-up event did not reach the webhook within 60 s; processor log:\n%s\nsender log:\n%s",
			tail(ev.text("processor log"), 3000), tail(ev.text("sender log"), 3000))
	}
	note("the warm-up event reached the webhook; producing %d events", n)

	stopNow := make(chan struct{})
	restarted := make(chan struct{})
	produced := make(chan struct{})
	var produceErrs []error
	var produceMu sync.Mutex
	// Ends the producer if the test gives up half way.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	go func() {
		defer close(produced)
		perBatch := (n + batches - 1) / batches
		for b, i := 0, 0; i < n; b++ {
			switch b {
			case stopAt:
				close(stopNow)
			case resumeAt:
				select {
				case <-restarted:
				case <-ctx.Done():
					return
				}
			}
			for end := min(i+perBatch, n); i < end; i++ {
				u, s := i%users, i/users
				value := fmt.Sprintf(`{"type":"track","event":"E","userId":"u-%d","messageId":"m-%d","properties":{"seq":%d,"odd":%t}}`,
					u, i, s, s%2 == 1)
				producer.Produce(ctx, &kgo.Record{Topic: eventsTopic, Key: []byte(fmt.Sprintf("u-%d", u)), Value: []byte(value)},
					func(_ *kgo.Record, err error) {
						if err != nil {
							produceMu.Lock()
							produceErrs = append(produceErrs, err)
							produceMu.Unlock()
						}
					})
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err := producer.Flush(ctx); err != nil {
			produceMu.Lock()
			produceErrs = append(produceErrs, fmt.Errorf("flush: %w", err))
			produceMu.Unlock()
		}
	}()

	// Restart the broker mid-stream, once 40% are produced: the producer goes on producing
	// and the processor on routing. The webhook slows down a second before, so that the
	// sender has requests in flight and queued when the broker goes, which it completes
	// while it cannot commit them.
	<-stopNow
	slow.Store(true)
	time.Sleep(time.Second)
	d, _ := delivered()
	if d < 2 {
		t.Errorf("only %d requests had reached the webhook when the broker was stopped: the restart was not mid-stream", d)
	}
	note("%d/%d requests delivered, the webhook slowed down; stopping the broker", d, wantTotal)
	stopBegan := time.Now()
	if err := kafka.Stop(); err != nil {
		t.Fatal(err)
	}
	note("broker stopped (took %v)", time.Since(stopBegan).Round(time.Millisecond))
	time.Sleep(time.Second)
	slow.Store(false)
	// Away longer than a transaction may stay open (10 s): the processor's open transaction
	// cannot end, which it must survive (a CI run with the broker away 8 s found that it
	// did not).
	time.Sleep(brokerAway)
	startBegan := time.Now()
	if err := kafka.Start(); err != nil {
		t.Fatal(err)
	}
	close(restarted)
	readyAt := time.Now()
	// How the pipeline catches up, for the timeline.
	progressDone := make(chan struct{})
	go func() {
		for last := -1; ; {
			select {
			case <-progressDone:
				return
			case <-time.After(2 * time.Second):
			}
			if d, total := delivered(); d != last {
				note("  %d/%d requests delivered (%d in all)", d, wantTotal, total)
				last = d
			}
		}
	}()
	downFor := readyAt.Sub(stopBegan)
	d, _ = delivered()
	note("broker ready again (start took %v, down for %v); %d/%d requests delivered", time.Since(startBegan).Round(time.Millisecond),
		downFor.Round(time.Millisecond), d, wantTotal)

	<-produced
	note("all %d events produced", n)
	resumed := time.Now()
	complete := waitFor(90*time.Second, func() bool { d, _ := delivered(); return d >= wantTotal })
	close(progressDone)
	d, _ = delivered()
	note("%d/%d requests delivered (%v after the last event was produced)", d, wantTotal, time.Since(resumed).Round(time.Millisecond))
	time.Sleep(2 * time.Second) // late duplicates count too

	// The pipeline must have resumed on its own: neither process may have exited.
	for _, c := range []*child{processorProc, senderProc} {
		if !c.alive() {
			t.Errorf("%s exited after the broker restart (%v); its log:\n%s", c.name, c.cmd.ProcessState, tail(ev.text(c.name+" log"), 4000))
		}
	}
	procText, sendText := scrape(ev, "processor", procMetrics), scrape(ev, "sender", sendMetrics)

	// What the topics hold, read_committed.
	eventRecs := readCommitted(t, brokers, eventsTopic, 30*time.Second, time.Second, func(c int) bool { return c >= len(wantIDs) })
	deliveryRecs := readCommitted(t, brokers, delivery, 60*time.Second, 3*time.Second, func(c int) bool { return c >= wantTotal })
	dls := deadLetters(t, brokers, "actuate.dlq", ev, 2*time.Second, 0, func(*schemas.DeadLetter) bool { return true }, func(int) bool { return false })
	note("read %d event records, %d delivery records, %d dead letters", len(eventRecs), len(deliveryRecs), len(dls))

	// Both groups commit past everything they consumed: nothing is left to be redone by
	// the next restart (a group that lost its commits to the restart would redo it all).
	admin := newClient(t, brokers)
	behind := func(group string, recs []*kgo.Record) []string {
		last := map[string]map[int32]int64{}
		for _, r := range recs {
			if last[r.Topic] == nil {
				last[r.Topic] = map[int32]int64{}
			}
			last[r.Topic][r.Partition] = max(last[r.Topic][r.Partition], r.Offset)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		committed, err := kadm.NewClient(admin).FetchOffsets(ctx, group)
		if err != nil {
			return []string{err.Error()}
		}
		var out []string
		for topic, ps := range last {
			for p, off := range ps {
				if c, ok := committed.Lookup(topic, p); !ok || c.Err != nil || c.At <= off {
					out = append(out, fmt.Sprintf("%s/%d: committed %d (%v), last record %d", topic, p, c.At, c.Err, off))
				}
			}
		}
		sort.Strings(out)
		return out
	}
	var procBehind, sendBehind []string
	waitFor(15*time.Second, func() bool {
		procBehind, sendBehind = behind(router.DefaultGroup, eventRecs), behind(sender.DefaultGroup, deliveryRecs)
		return len(procBehind) == 0 && len(sendBehind) == 0
	})
	note("committed offsets checked")
	for _, c := range []*child{processorProc, senderProc} {
		if took, killed := c.stop(20 * time.Second); killed {
			note("%s did not stop within %v of SIGINT; killed", c.name, took.Round(time.Millisecond))
		} else {
			note("%s stopped on SIGINT in %v", c.name, took.Round(time.Millisecond))
		}
	}

	// 1. The events topic: each event once (the producer side of the restart).
	eventSeen := map[string]int{}
	var eventDup, eventUnexpected int
	for _, r := range eventRecs {
		var e struct{ MessageID string }
		json.Unmarshal(r.Value, &e)
		eventSeen[e.MessageID]++
		switch {
		case eventSeen[e.MessageID] > 1:
			eventDup++
		case !wantIDs[e.MessageID]:
			eventUnexpected++
		}
	}
	eventMissing := 0
	for id := range wantIDs {
		if eventSeen[id] == 0 {
			eventMissing++
		}
	}

	// 2. The delivery topic: each (event, mapping) exactly once, in each user's order.
	inTopic := checkDeliveries(t, deliveryRecs, want)

	// 3. The webhook: every request at least once; duplicates counted.
	// Duplicates come from work the sender finished but could not commit before its
	// partitions were lost to the outage; they are split by when the request first arrived.
	sinkMu.Lock()
	var sinkMissing, sinkDupKeys, sinkDups, sinkUnexpected, sinkTotal int
	var dupBefore, dupDuring, dupAfter int
	for k := range want {
		switch c := got[k]; {
		case c == 0:
			sinkMissing++
		case c > 1:
			sinkDupKeys++
			sinkDups += c - 1
			switch at := first[k]; {
			case at.Before(stopBegan):
				dupBefore += c - 1
			case at.Before(readyAt):
				dupDuring += c - 1
			default:
				dupAfter += c - 1
			}
		}
	}
	for k, c := range got {
		sinkTotal += c
		if !want[k] {
			sinkUnexpected += c
		}
	}
	sinkUndecodable := undecodable
	sinkMu.Unlock()

	t.Logf("broker restarted mid-stream (down for %v): %d events (and the warm-up event) → %d expected (event, mapping) requests", downFor.Round(time.Millisecond), n, wantTotal)
	t.Logf("events topic: %d records: missing %d, duplicates %d, unexpected %d", len(eventRecs), eventMissing, eventDup, eventUnexpected)
	t.Logf("delivery topic (read_committed): %d records: missing %d, duplicates %d, unexpected %d, out of order %d", len(deliveryRecs), inTopic.missing, inTopic.duplicate, inTopic.unexpected, inTopic.outOfOrder)
	t.Logf("webhook: %d requests accepted for %d expected: missing %d, duplicates %d (over %d requests; first delivered before the stop %d, while the broker was away %d, after it was back %d), unexpected %d, undecodable %d",
		sinkTotal, wantTotal, sinkMissing, sinkDups, sinkDupKeys, dupBefore, dupDuring, dupAfter, sinkUnexpected, sinkUndecodable)
	t.Logf("metrics: processor routed %v; sender delivered %v, retried %v; dead letters %d",
		metricSum(procText, "actuate_requests_routed_total"), metricSum(sendText, "actuate_send_outcomes_total", `outcome="delivered"`),
		metricSum(sendText, "actuate_send_outcomes_total", `outcome="retried"`), len(dls))

	produceMu.Lock()
	for i, err := range produceErrs {
		if i < 5 {
			t.Errorf("producing an event: %v", err)
		}
	}
	produceMu.Unlock()
	if eventMissing != 0 || eventDup != 0 || eventUnexpected != 0 || len(eventRecs) != len(wantIDs) {
		t.Errorf("the events topic does not hold each of the %d events exactly once", len(wantIDs))
	}
	if !inTopic.exact() || len(deliveryRecs) != wantTotal {
		t.Errorf("the delivery topic does not hold each (event, mapping) exactly once in order")
	}
	for _, b := range append(procBehind, sendBehind...) {
		t.Errorf("a group did not commit past what it consumed: %s", b)
	}
	if !complete || sinkMissing != 0 || sinkUnexpected != 0 || sinkUndecodable != 0 {
		t.Errorf("%d of %d requests never reached the webhook (unexpected %d, undecodable %d)", sinkMissing, wantTotal, sinkUnexpected, sinkUndecodable)
	}
	for i, dl := range dls {
		if i < 5 {
			t.Errorf("dead letter: %s %s/%s: %s: %s", dl.Stage, dl.Instance, dl.Mapping, dl.Reason, dl.Error)
		}
	}
	if name := ev.panicked(); name != "" {
		t.Errorf("%s panicked:\n%s", name, tail(ev.text(name), 4000))
	}
	t.Logf("processor sessions restarted after a failed transaction end: %d",
		strings.Count(ev.text("processor log"), "starting a new session"))
	if t.Failed() {
		t.Logf("processor log:\n%s", tail(ev.text("processor log"), 6000))
		t.Logf("sender log:\n%s", tail(ev.text("sender log"), 6000))
	}
}

// tail is the end of a log, at most n bytes.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
