package sender

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/webhook"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// harness is one test's world: its own delivery, retry and dead-letter topics, consumer
// group, workspace and metrics on the shared test broker.
type harness struct {
	t       *testing.T
	brokers []string
	topics  map[string]string // instance id -> delivery topic
	retry   string
	dlq     string
	group   string
	ws      atomic.Pointer[workspace.Workspace]
	metrics *metrics.Metrics
	logs    *observer.ObservedLogs
	log     *zap.Logger
	kafka   *kgo.Client
	adm     *kadm.Client
}

func randomSuffix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newHarness compiles yaml (with lookup, default: the registry) and creates one delivery
// topic of `partitions` partitions per instance id given.
func newHarness(t *testing.T, yaml string, lookup workspace.Lookup, partitions int32, instances ...string) *harness {
	t.Helper()
	brokers := testenv.Kafka(t)
	h := &harness{t: t, brokers: brokers, topics: map[string]string{}, metrics: metrics.New(),
		group: "actuate-sender-test-" + randomSuffix()}
	for _, id := range instances {
		h.topics[id] = testenv.Topic(t, "actuate.delivery."+id, partitions)
	}
	h.retry = testenv.Topic(t, "actuate.retry", 2)
	h.dlq = testenv.Topic(t, "actuate.dlq", 1)
	h.setConfig(yaml, lookup)
	core, logs := observer.New(zapcore.DebugLevel)
	h.logs = logs
	h.log = zap.New(zapcore.NewTee(core, zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.AddSync(testWriter{t}), zapcore.InfoLevel)))
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	h.kafka = cl
	h.adm = kadm.NewClient(cl)
	return h
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func (h *harness) setConfig(yaml string, lookup workspace.Lookup) {
	h.t.Helper()
	if lookup == nil {
		lookup = destinations.Get
	}
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		h.t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, lookup)
	if err != nil {
		h.t.Fatal(err)
	}
	h.ws.Store(ws)
}

func (h *harness) config() Config {
	var topics []string
	for _, tp := range h.topics {
		topics = append(topics, regexp.QuoteMeta(tp))
	}
	return Config{
		Brokers: h.brokers, Group: h.group, Workspace: h.ws.Load, Metrics: h.metrics, Logger: h.log,
		DeliveryTopics: "^(" + strings.Join(topics, "|") + ")$",
		RetryTopic:     h.retry, DLQTopic: h.dlq,
		CommitInterval: 100 * time.Millisecond,
		Grace:          2 * time.Second,
	}
}

// start runs a sender until the returned stop is called (or the test ends).
func (h *harness) start(cfg Config) (stop func()) {
	h.t.Helper()
	s, err := New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					h.t.Errorf("Run: %v", err)
				}
			case <-time.After(30 * time.Second):
				h.t.Errorf("Run did not return within 30s of cancellation")
			}
		})
	}
	h.t.Cleanup(stop)
	return stop
}

func (h *harness) request(inst, mapping, action string, payload []byte) *schemas.ActionRequest {
	return &schemas.ActionRequest{
		Instance: inst, Mapping: mapping, Action: action, MessageID: "msg-" + randomSuffix(),
		Payload: payload, ConfigVersion: h.ws.Load().Version, ReceivedAt: time.Now(),
	}
}

// produce writes requests to the instance's delivery topic, keyed by user, and returns
// their offsets.
func (h *harness) produce(inst, user string, reqs ...*schemas.ActionRequest) []int64 {
	h.t.Helper()
	topic := h.topics[inst]
	if topic == "" {
		for _, tp := range h.topics {
			topic = tp // a request for an instance the config does not know
			break
		}
	}
	var recs []*kgo.Record
	for _, r := range reqs {
		val, err := schemas.AppendActionRequest(nil, r)
		if err != nil {
			h.t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: topic, Key: []byte(user), Value: val})
	}
	res := h.kafka.ProduceSync(context.Background(), recs...)
	if err := res.FirstErr(); err != nil {
		h.t.Fatal(err)
	}
	offs := make([]int64, len(res))
	for i, r := range res {
		offs[i] = r.Record.Offset
	}
	return offs
}

// records reads topic from the start until n records arrived, then checks for a short
// while that no more come.
func (h *harness) records(topic string, n int, timeout time.Duration) []*kgo.Record {
	h.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(h.brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		h.t.Fatal(err)
	}
	defer cl.Close()
	var out []*kgo.Record
	deadline := time.Now().Add(timeout)
	settle := time.Time{}
	for {
		if len(out) >= n && settle.IsZero() {
			settle = time.Now().Add(500 * time.Millisecond)
		}
		end := deadline
		if !settle.IsZero() {
			end = settle
		}
		if time.Now().After(end) {
			break
		}
		ctx, cancel := context.WithDeadline(context.Background(), end)
		fs := cl.PollFetches(ctx)
		cancel()
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	if len(out) != n {
		h.t.Fatalf("%s holds %d records, want %d", topic, len(out), n)
	}
	return out
}

func (h *harness) deadLetters(n int) []*schemas.DeadLetter {
	h.t.Helper()
	var out []*schemas.DeadLetter
	for _, r := range h.records(h.dlq, n, 20*time.Second) {
		d, err := schemas.DecodeDeadLetter(r.Value)
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func (h *harness) count(inst, mapping, outcome, reason string) float64 {
	c, err := h.metrics.SendOutcomes.GetMetricWithLabelValues(inst, mapping, outcome, reason)
	if err != nil {
		h.t.Fatal(err)
	}
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		h.t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// committed returns the group's committed offset per partition of topic (-1: none).
func (h *harness) committed(topic string) map[int32]int64 {
	h.t.Helper()
	resp, err := h.adm.FetchOffsets(context.Background(), h.group)
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[int32]int64{}
	for p, o := range resp[topic] {
		out[p] = o.At
	}
	return out
}

// ends returns the end offset of every partition of topic.
func (h *harness) ends(topic string) map[int32]int64 {
	h.t.Helper()
	resp, err := h.adm.ListEndOffsets(context.Background(), topic)
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[int32]int64{}
	resp.Each(func(o kadm.ListedOffset) { out[o.Partition] = o.Offset })
	return out
}

// waitCommitted waits until every partition of topic with records is committed to its end.
func (h *harness) waitCommitted(topic string) {
	h.t.Helper()
	ends := h.ends(topic)
	waitFor(h.t, 15*time.Second, "offsets of "+topic+" committed to the end", func() bool {
		got := h.committed(topic)
		for p, end := range ends {
			if end > 0 && got[p] != end {
				return false
			}
		}
		return true
	})
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sink is a destination on 127.0.0.1 that records every request and answers through
// reply (default 200 {}).
type sink struct {
	*httptest.Server
	mu    sync.Mutex
	got   []received
	reply func(n int, r *http.Request, body []byte) (int, map[string]string, string)
}

type received struct {
	at     time.Time
	method string
	path   string
	header http.Header
	body   []byte
}

func newSink(t *testing.T, reply func(n int, r *http.Request, body []byte) (int, map[string]string, string)) *sink {
	s := &sink{reply: reply}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.got)
		s.got = append(s.got, received{at: time.Now(), method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: body})
		s.mu.Unlock()
		status, hdr, out := 200, map[string]string(nil), "{}"
		if s.reply != nil {
			status, hdr, out = s.reply(n, r, body)
		}
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		io.WriteString(w, out)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *sink) requests() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

// webhookPayload is a validated payload of the Webhook destination's send action.
func webhookPayload(t *testing.T, url, data string) []byte {
	t.Helper()
	p, err := webhook.Send.Validate([]byte(`{"url":"` + url + `","method":"POST","data":` + data + `}`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// lookupWith is the registry plus test-only definitions.
func lookupWith(defs ...*destkit.Definition) workspace.Lookup {
	return destinations.Default().With(defs...).Get
}

// waitMembers waits until the group has n members that each hold partitions of topic.
func (h *harness) waitMembers(n int, topic string) {
	h.t.Helper()
	waitFor(h.t, 30*time.Second, "the group to balance over its members", func() bool {
		gs, err := h.adm.DescribeGroups(context.Background(), h.group)
		if err != nil {
			return false
		}
		g := gs[h.group]
		if g.State != "Stable" || len(g.Members) != n {
			return false
		}
		for _, m := range g.Members {
			a, ok := m.Assigned.AsConsumer()
			if !ok {
				return false
			}
			held := false
			for _, tp := range a.Topics {
				held = held || (tp.Topic == topic && len(tp.Partitions) > 0)
			}
			if !held {
				return false
			}
		}
		return true
	})
}
