package control

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	analytics "gopkg.in/segmentio/analytics-go.v3"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/ingest"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/overview"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
)

// TestAPIChangeReachesARunningPipeline, on the real broker: events sent by Segment's own
// Go library to the ingest API go through the processor and the sender to an HTTP
// destination configured through the control API; a mapping change and a destination
// filter made through the API then take effect in the running pipeline within seconds,
// read from the config topic by a second store, as another process would.
func TestAPIChangeReachesARunningPipeline(t *testing.T) {
	brokers := testenv.Kafka(t)
	cfgTopic := testenv.Topic(t, "config", 1)
	history := testenv.Topic(t, "history", 1)
	events := testenv.Topic(t, "events", 3)
	dlq := testenv.Topic(t, "dlq", 1)
	retry := testenv.Topic(t, "retry", 1)
	var sfx [4]byte
	rand.Read(sfx[:])
	hook := "hook-" + hex.EncodeToString(sfx[:])
	opts := []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}

	var mu sync.Mutex
	var bodies []string
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.URL.Path+" "+string(b))
		mu.Unlock()
	}))
	defer sink.Close()
	received := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bodies...)
	}

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
	newStore := func() *configstore.Store {
		s, err := configstore.New(configstore.Config{Brokers: brokers, Topic: cfgTopic, HistoryTopic: history,
			TransactionalID: "txn-" + cfgTopic, Lookup: destinations.Get, ClientOptions: opts}, nil)
		if err != nil {
			t.Fatal(err)
		}
		start("store", s.Run)
		return s
	}
	apiStore, pipelineStore := newStore(), newStore()

	// The pipeline's counters, published as deltas to an overview topic and aggregated
	// for the Delivery Overview.
	m := metrics.New()
	reg := prometheus.NewRegistry()
	m.Register(reg)
	overviewTopic := testenv.Topic(t, "overview", 1)
	pub := &overview.Publisher{Gatherer: reg, Brokers: brokers, Topic: overviewTopic, Process: "p1", Interval: 200 * time.Millisecond, Options: opts}
	agg := &overview.Aggregator{Brokers: brokers, Topic: overviewTopic, Workspace: apiStore.Workspace, Options: opts}
	start("publisher", pub.Run)
	start("aggregator", agg.Run)

	producer, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	mux := http.NewServeMux()
	api := New(Options{Store: apiStore, Lookup: destinations.Get, Token: token, Overview: agg,
		LatestEvents: func(ctx context.Context, topic string, n int) ([][]byte, error) {
			return LatestEvents(ctx, brokers, topic, n)
		}})
	in := ingest.NewHandler(apiStore.Workspace, func(ctx context.Context, rs ...*kgo.Record) error {
		return producer.ProduceSync(ctx, rs...).FirstErr()
	}, nil)
	mux.Handle("/v1/batch", in)
	mux.Handle("/", api)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := &client{t: t, srv: srv}

	c.must(201, "POST", "/v1/sources", fmt.Sprintf(`{"id":"web","topics":[%q],"write_key":"wk-e2e"}`, events))
	c.must(201, "POST", "/v1/destinations", fmt.Sprintf(`{"id":%q,"type":"webhook","sources":["web"],"enabled":true}`, hook))
	c.must(201, "POST", "/v1/destinations/"+hook+"/mappings", fmt.Sprintf(`{"id":"orders","action":"send","trigger":"event = \"Order Completed\"","mapping":{"url":"%s/v1","method":"POST","data":{"user":{"@path":"$.userId"},"order":{"@path":"$.properties.order_id"}}}}`, sink.URL))
	c.must(200, "PATCH", "/v1/destinations/"+hook+"/mappings/orders", `{"enabled":true}`)
	waitUntil(t, 10*time.Second, func() bool {
		inst := pipelineStore.Workspace().Instance(hook)
		return inst != nil && len(inst.Mappings) == 1
	})

	r, err := router.New(router.Config{Brokers: brokers, Group: "router-" + hook, Workspace: pipelineStore.Workspace, DLQTopic: dlq,
		TopicPartitions: 3, Metrics: m, ClientOptions: append(opts, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Config{Brokers: brokers, Group: "sender-" + hook, Workspace: pipelineStore.Workspace,
		Tokens: destkit.NewMemoryTokenStore(), Metrics: m, DeliveryTopics: "^" + regexp.QuoteMeta("actuate.delivery."+hook) + "$",
		RetryTopic: retry, DLQTopic: dlq, TopicPartitions: 3,
		ClientOptions: append(opts, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))})
	if err != nil {
		t.Fatal(err)
	}
	start("router", r.Run)
	start("sender", s.Run)

	// Segment's Go library, pointed at the ingest API.
	seg, err := analytics.NewWithConfig("wk-e2e", analytics.Config{Endpoint: srv.URL, BatchSize: 1, Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	track := func(user, order string) {
		if err := seg.Enqueue(analytics.Track{UserId: user, Event: "Order Completed", Properties: analytics.NewProperties().Set("order_id", order)}); err != nil {
			t.Fatal(err)
		}
	}
	track("ada", "o-1")
	waitUntil(t, 60*time.Second, func() bool { return len(received()) >= 1 })
	if got := received()[0]; got != `/v1 {"user":"ada","order":"o-1"}` {
		t.Fatalf("first delivery %q", got)
	}

	// The Event Tester loads the latest event of the source's topic.
	res := c.must(200, "POST", "/v1/destinations/"+hook+"/test", `{"from_source":"web"}`)
	if !strings.Contains(res.body, `"order": "o-1"`) || !strings.Contains(res.body, `"matched": true`) {
		t.Errorf("tester from the source's latest event: %s", res.body)
	}

	// Change the mapping and add a filter through the API; the running pipeline follows.
	changed := time.Now()
	c.must(200, "PATCH", "/v1/destinations/"+hook+"/mappings/orders", fmt.Sprintf(`{"mapping":{"url":"%s/v2","method":"POST","data":{"order":{"@path":"$.properties.order_id"},"v":2}}}`, sink.URL))
	c.must(201, "POST", "/v1/destinations/"+hook+"/filters", `{"sourceId":"web","title":"no test users","if":"userId = \"tester\"","actions":[{"type":"drop"}],"enabled":true}`)
	waitUntil(t, 10*time.Second, func() bool {
		inst := pipelineStore.Workspace().Instance(hook)
		return inst != nil && len(inst.Filters) == 1
	})
	t.Logf("the API's change reached the pipeline's workspace in %v", time.Since(changed))
	track("tester", "o-dropped")
	track("bob", "o-2")
	seg.Close()
	waitUntil(t, 60*time.Second, func() bool { return len(received()) >= 2 })
	time.Sleep(500 * time.Millisecond)
	got := received()
	if len(got) != 2 || got[1] != `/v2 {"order":"o-2","v":2}` {
		t.Fatalf("after the change the destination got %q", got)
	}
	t.Logf("end to end after the change: %v", time.Since(changed))

	path := "/v1/destinations/" + hook + "/delivery?from=" + changed.Add(-time.Hour).UTC().Format(time.RFC3339) + "&to=" + time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	var ov overview.Overview
	waitUntil(t, 20*time.Second, func() bool {
		ov = overview.Overview{}
		json.Unmarshal([]byte(c.must(200, "GET", path, "").body), &ov)
		return ov.SuccessfulDelivery == 2 && ov.Received == 3
	})
	if ov.FilteredAtDest["no test users"] != 1 || ov.Routed != 2 || ov.Mappings["orders"] == nil || ov.Mappings["orders"].SuccessfulDelivery != 2 {
		t.Errorf("overview %+v", ov)
	}
}

func waitUntil(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
