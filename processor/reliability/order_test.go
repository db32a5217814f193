package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// faultyWorld is a fault test's own topics and workspace: two webhook instances, one
// sending single requests (concurrency 8), one batching (concurrency 4 and batchDelivery),
// their delivery topics of 6 partitions, a retry topic of 3 and a dead-letter topic.
type faultyWorld struct {
	brokers                           []string
	redis, sfx                        string
	single, batched, retry, dlq, yaml string
	ws                                *workspace.Workspace
}

func newFaultyWorld(t *testing.T, single, batched, topicPrefix, batchDelivery string, dlqPartitions int32) faultyWorld {
	t.Helper()
	w := faultyWorld{brokers: testenv.Kafka(t), redis: testenv.Redis(t), sfx: testenv.Suffix()}
	w.single, w.batched = single+"-"+w.sfx, batched+"-"+w.sfx
	w.retry, w.dlq = topicPrefix+"retry."+w.sfx, topicPrefix+"dlq."+w.sfx
	for _, tp := range []string{workspace.DeliveryTopic(w.single), workspace.DeliveryTopic(w.batched)} {
		createTopic(t, w.brokers, tp, 6)
	}
	createTopic(t, w.brokers, w.retry, 3)
	createTopic(t, w.brokers, w.dlq, dlqPartitions)
	w.yaml = fmt.Sprintf(`
sources: [{ id: web, topics: [rel.unused.%[1]s] }]
destinations:
  - { id: %[2]s, type: webhook, sources: [web], enabled: true, delivery: { concurrency: 8 } }
  - { id: %[3]s, type: webhook, sources: [web], enabled: true, delivery: { concurrency: 4, %[4]s } }
`, w.sfx, w.single, w.batched, batchDelivery)
	cfg, err := config.Parse([]byte(w.yaml))
	if err != nil {
		t.Fatal(err)
	}
	if w.ws, err = workspace.Compile(cfg, destinations.Get); err != nil {
		t.Fatal(err)
	}
	return w
}

// orderSink fails about a third of the attempts of each body, at most three times: 500,
// 429 with Retry-After: 1 (longer than the senders' InlineRetryMax, so those retries go
// through the retry topic), and answers slower than the senders' timeout (an unknown
// outcome: the destination has the request). It records, per path and user, each accepted
// request's sequence number in order of arrival.
type orderSink struct {
	*sink
	timeout time.Duration

	mu       sync.Mutex
	failures map[string]int
	arrivals map[string][]int // "path user" → sequence numbers, in order of arrival
	firstAt  map[string]time.Time
	unknown  map[string]int // "path user seq" → unknown outcomes served
	served   map[string]int
}

type orderedData struct {
	U string
	S int
}

func newOrderSink(t *testing.T, timeout time.Duration) *orderSink {
	f := &orderSink{timeout: timeout, failures: map[string]int{}, arrivals: map[string][]int{},
		firstAt: map[string]time.Time{}, unknown: map[string]int{}, served: map[string]int{}}
	f.sink = newSink(t, f.answer)
	return f
}

func (f *orderSink) answer(w http.ResponseWriter, r *http.Request, body []byte) bool {
	var many []orderedData
	if json.Unmarshal(body, &many) != nil {
		var one orderedData
		json.Unmarshal(body, &one)
		many = []orderedData{one}
	}
	f.mu.Lock()
	key := string(body)
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d", key, f.failures[key])
	kind := "ok"
	if f.failures[key] < 3 {
		switch h.Sum32() % 9 {
		case 0:
			kind = "500"
		case 1:
			kind = "429"
		case 2:
			kind = "slow"
		}
	}
	if kind != "ok" {
		f.failures[key]++
	}
	f.served[kind]++
	if kind == "ok" || kind == "slow" {
		now := time.Now()
		for _, d := range many {
			k := r.URL.Path + " " + d.U
			f.arrivals[k] = append(f.arrivals[k], d.S)
			if kind == "slow" {
				f.unknown[fmt.Sprintf("%s %d", k, d.S)]++
			}
			if _, ok := f.firstAt[fmt.Sprintf("%s %d", k, d.S)]; !ok {
				f.firstAt[fmt.Sprintf("%s %d", k, d.S)] = now
			}
		}
	}
	f.mu.Unlock()
	serveFault(w, kind, f.timeout)
	return false
}

// orderReport is what the arrivals say about order, per user: a break is a request whose
// first delivery came before the first delivery of the user's request before it; a stale
// duplicate is a delivery of a request after a later request of the user was delivered.
type orderReport struct {
	delivered, missing, breaks, stale                    int
	duplicates, dupUnknown, dupAfterKill, dupUnexplained int
}

// report reads the arrivals. A duplicate is explained by an unknown outcome served for the
// request, or by the kill: the request was delivered before it, or its delivery record
// was not committed then (uncommitted reports that), so the group redid it.
func (f *orderSink) report(t *testing.T, want map[string]int, killedAt time.Time, uncommitted func(k string, s int) bool) orderReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	var r orderReport
	for k, n := range want {
		seen := make([]int, n)
		high := -1
		for _, s := range f.arrivals[k] {
			if s < 0 || s >= n {
				continue
			}
			seen[s]++
			if seen[s] > 1 {
				r.duplicates++
				id := fmt.Sprintf("%s %d", k, s)
				switch {
				case f.unknown[id] > 0:
					r.dupUnknown++
				case f.firstAt[id].Before(killedAt) || uncommitted(k, s):
					r.dupAfterKill++
				default:
					r.dupUnexplained++
				}
				if s < high {
					r.stale++
				}
				continue
			}
			r.delivered++
			if s > 0 && seen[s-1] == 0 {
				r.breaks++
				if r.breaks <= 5 {
					t.Errorf("order: %s: request %d delivered before %d (arrivals %v)", k, s, s-1, f.arrivals[k])
				}
			}
			high = max(high, s)
		}
		for _, c := range seen {
			if c == 0 {
				r.missing++
			}
		}
	}
	return r
}

// TestPerUserOrderThroughFaultsAndKill runs two sender processes against a destination
// that fails a third of attempts (500, 429 with a Retry-After that sends the retry through
// the retry topic, answers slower than the timeout), SIGKILLs one mid-run and restarts it.
// Every request arrives; each user's requests arrive in order (0 breaks), single and
// batched; duplicates are counted and explained (after an unknown outcome, or redone after
// the kill), and stale duplicates — a request again after a later one — are reported.
func TestPerUserOrderThroughFaultsAndKill(t *testing.T) {
	t.Parallel()
	wd := newFaultyWorld(t, "ord", "ordb", "rel.ord.", "batch_size: 10, batch_wait: 100ms", 1)
	brokers, single, batched, retry, dlq, ws := wd.brokers, wd.single, wd.batched, wd.retry, wd.dlq, wd.ws
	const timeout = 500 * time.Millisecond
	fs := newOrderSink(t, timeout)

	// Users' requests interleaved, as events arrive; each user's sequence numbers count up.
	n := events(2000)
	const users = 80
	want := map[string]int{}
	var recs []*kgo.Record
	for i := 0; i < n; i++ {
		inst, path := single, "/single"
		if i%2 == 1 {
			inst, path = batched, "/batched"
		}
		user := fmt.Sprintf("u-%d", (i/2)%users)
		k := path + " " + user
		seq := want[k]
		want[k]++
		payload := fmt.Sprintf(`{"url":"%s%s","method":"POST","data":{"u":%q,"s":%d}}`, fs.URL, path, user, seq)
		v, err := schemas.AppendActionRequest(nil, &schemas.ActionRequest{Instance: inst, Mapping: "m", Action: "send",
			MessageID: fmt.Sprintf("%s-%d", user, i), Payload: []byte(payload), ConfigVersion: ws.Version, ReceivedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: workspace.DeliveryTopic(inst), Key: []byte(user), Value: v})
	}
	producer := newClient(t, brokers, kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	produceSync(t, producer, recs...)
	type where struct {
		topic     string
		partition int32
		offset    int64
	}
	placedAt := map[string]where{} // "path user seq" → its delivery record
	for _, rec := range recs {
		var req struct{ Data orderedData }
		dec, _ := schemas.DecodeActionRequest(rec.Value)
		json.Unmarshal(dec.Payload, &req)
		path := "/single"
		if rec.Topic == workspace.DeliveryTopic(batched) {
			path = "/batched"
		}
		placedAt[fmt.Sprintf("%s %s %d", path, req.Data.U, req.Data.S)] = where{rec.Topic, rec.Partition, rec.Offset}
	}

	ev := newEvidence()
	cs := childSender{Brokers: brokers, Redis: wd.redis, ConfigYAML: wd.yaml, Group: "rel-ord-" + wd.sfx,
		DeliveryTopics: `^actuate\.delivery\.(ord|ordb)-` + wd.sfx + `$`, RetryTopic: retry, DLQTopic: dlq,
		Prefix: "rel-ord-" + wd.sfx + ":", Timeout: timeout, BackoffBase: 100 * time.Millisecond,
		InlineRetryMax: 500 * time.Millisecond}
	a := startChild(t, ev, "sender A", senderCommand(cs))
	b := startChild(t, ev, "sender B", senderCommand(cs))
	began := time.Now()

	delivered := func() int {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		return len(fs.firstAt)
	}
	waitFor(60*time.Second, func() bool { return delivered() >= n/3 })
	a.kill()
	killedAt := time.Now()
	atKill := delivered()
	committed, err := kadm.NewClient(producer).FetchOffsets(context.Background(), cs.Group)
	if err != nil {
		t.Fatal(err)
	}
	uncommittedID := func(id string) bool {
		w := placedAt[id]
		o, ok := committed.Lookup(w.topic, w.partition)
		return !ok || o.At <= w.offset
	}
	uncommitted := func(k string, s int) bool { return uncommittedID(fmt.Sprintf("%s %d", k, s)) }
	// Delivered but not committed at the kill: the killed sender's share of these is
	// what its partitions' next owner redoes.
	var exposed int
	fs.mu.Lock()
	for id, at := range fs.firstAt {
		if at.Before(killedAt) && uncommittedID(id) {
			exposed++
		}
	}
	fs.mu.Unlock()
	a = startChild(t, ev, "sender A (restarted)", senderCommand(cs))
	done := waitFor(90*time.Second, func() bool { return delivered() >= n })
	time.Sleep(2 * time.Second) // late duplicates count too
	elapsed := time.Since(began)
	for _, c := range []*child{a, b} {
		c.stop(15 * time.Second)
	}

	r := fs.report(t, want, killedAt, uncommitted)
	// The retry topic: records that hold a user's place, and of those the requests that
	// followed their user there without an attempt of their own.
	var placed, followed int
	for _, rec := range readCommitted(t, brokers, retry, 5*time.Second, time.Second, nil) {
		for _, h := range rec.Headers {
			if h.Key == "actuate-order-id" {
				placed++
				if req, err := schemas.DecodeActionRequest(rec.Value); err == nil && req.Attempt == 0 {
					followed++
				}
			}
		}
	}
	fs.mu.Lock()
	t.Logf("%d requests of %d users (half single, half in batches of ≤10) through 2 sender processes in %v; faults served %v of %d attempts; sender A SIGKILLed at %v with %d delivered, %d of them not committed",
		n, users, elapsed.Round(time.Millisecond), fs.served, fs.attempts.Load(), killedAt.Sub(began).Round(time.Millisecond), atKill, exposed)
	fs.mu.Unlock()
	t.Logf("retry topic: %d records holding their user's place, %d of them later requests that followed their user there", placed, followed)
	t.Logf("order: %d delivered, %d missing, %d order breaks; duplicates %d (after an unknown outcome %d, redone after the kill %d, unexplained %d), of which %d stale (after a later request of the user)",
		r.delivered, r.missing, r.breaks, r.duplicates, r.dupUnknown, r.dupAfterKill, r.dupUnexplained, r.stale)
	if !done || r.missing != 0 {
		t.Errorf("%d of %d requests never reached the destination", r.missing, n)
	}
	if r.breaks != 0 {
		t.Errorf("%d order breaks", r.breaks)
	}
	if r.dupUnexplained != 0 {
		t.Errorf("%d duplicates followed neither an unknown outcome nor the kill", r.dupUnexplained)
	}
	if fs.served["500"] == 0 || fs.served["429"] == 0 || fs.served["slow"] == 0 || placed == 0 {
		t.Errorf("not every fault was served, or nothing went through the retry topic: %v, %d retry records", fs.served, placed)
	}
	dls := deadLetters(t, brokers, dlq, ev, 2*time.Second, 0, func(*schemas.DeadLetter) bool { return true }, func(int) bool { return false })
	if len(dls) != 0 {
		t.Errorf("%d dead letters, want none (first: %s: %s)", len(dls), dls[0].Reason, dls[0].Error)
	}
	if name := ev.panicked(); name != "" {
		t.Errorf("%s panicked:\n%s", name, tail(ev.text(name), 3000))
	}
}
