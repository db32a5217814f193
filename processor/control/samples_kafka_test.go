package control

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/overview"
	"github.com/actuate/actuate/processor/router"
)

// TestDeliveryOverviewSamplesOnTheBroker, on the real broker: a destination configured
// through the API with a secret, a router producing samples and dead letters in its
// transactions, and the Delivery Overview showing a sample of a filter drop, of an event
// no mapping matched and of a validation dead letter — each carrying the secret, masked.
func TestDeliveryOverviewSamplesOnTheBroker(t *testing.T) {
	brokers := testenv.Kafka(t)
	events := testenv.Topic(t, "events", 3)
	dlq := testenv.Topic(t, "dlq", 3)
	samples := testenv.Topic(t, "samples", 3)
	overviewTopic := testenv.Topic(t, "overview", 1)
	opts := []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}
	const secret = "whsec-9f8e7d6c5b4a"

	m := metrics.New()
	reg := prometheus.NewRegistry()
	m.Register(reg)
	agg := &overview.Aggregator{Brokers: brokers, Topic: overviewTopic, SamplesTopic: samples, DLQTopic: dlq, Options: opts}
	c, mem := newAPI(t, Options{Overview: agg})
	agg.Workspace = mem.Workspace

	c.must(201, "POST", "/v1/sources", fmt.Sprintf(`{"id":"web","topics":[%q]}`, events))
	c.must(201, "POST", "/v1/destinations", `{"id":"hook","type":"webhook","sources":["web"],"enabled":true,"settings":{"sharedSecret":"`+secret+`"}}`)
	c.must(201, "POST", "/v1/destinations/hook/mappings", `{"id":"orders","action":"send","trigger":"event = \"Order Completed\"","mapping":{"url":"https://hooks.example.com/orders","method":"POST","data":{"@path":"$.properties"}}}`)
	c.must(201, "POST", "/v1/destinations/hook/mappings", `{"id":"broken","action":"send","trigger":"properties.broken = true","mapping":{"url":"https://hooks.example.com/broken","method":"POST","data":{"@path":"$.event"}}}`)
	c.must(200, "PATCH", "/v1/destinations/hook/mappings/orders", `{"enabled":true}`)
	c.must(200, "PATCH", "/v1/destinations/hook/mappings/broken", `{"enabled":true}`)
	c.must(201, "POST", "/v1/destinations/hook/filters", `{"title":"no test users","if":"userId = \"tester\"","actions":[{"type":"drop"}],"enabled":true}`)

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
	r, err := router.New(router.Config{Brokers: brokers, Group: "samples-" + events, Workspace: mem.Workspace, DLQTopic: dlq, SamplesTopic: samples,
		TopicPartitions: 3, Metrics: m, ClientOptions: append(opts, kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))})
	if err != nil {
		t.Fatal(err)
	}
	pub := &overview.Publisher{Gatherer: reg, Brokers: brokers, Topic: overviewTopic, Process: "p1", Interval: 200 * time.Millisecond, Options: opts}
	start("router", r.Run)
	start("publisher", pub.Run)
	start("aggregator", agg.Run)

	producer, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	began := time.Now()
	var recs []*kgo.Record
	for _, ev := range []string{
		`{"type":"track","event":"Order Completed","userId":"tester","properties":{"key":"` + secret + `"}}`,
		`{"type":"identify","userId":"ada","traits":{"key":"` + secret + `"}}`,
		`{"type":"track","event":"Broken","userId":"bob","properties":{"broken":true,"key":"` + secret + `"}}`,
	} {
		recs = append(recs, &kgo.Record{Topic: events, Value: []byte(ev)})
	}
	if err := producer.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	path := "/v1/destinations/hook/delivery?from=" + began.Add(-time.Minute).UTC().Format(time.RFC3339) + "&to=" + time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	want := []string{"filtered by no test users", "no matching mapping", "validate: payload validation failed"}
	var body string
	var ov overview.Overview
	waitUntil(t, 60*time.Second, func() bool {
		body = c.must(200, "GET", path, "").body
		ov = overview.Overview{}
		json.Unmarshal([]byte(body), &ov)
		for _, reason := range want {
			if len(ov.Samples[reason]) == 0 {
				return false
			}
		}
		return ov.FilteredAtDest["no test users"] == 1 && ov.NoMatchingMapping == 1
	})
	t.Logf("samples in the Delivery Overview %v after producing", time.Since(began))
	if strings.Contains(body, secret) || strings.Contains(body, secret[:8]) {
		t.Fatalf("the secret is in the Delivery Overview: %s", body)
	}
	for _, reason := range want {
		s := ov.Samples[reason]
		if len(s) != 1 || !strings.Contains(s[0].Payload, `"key":"[redacted]"`) || s[0].Time.Before(began.Add(-time.Second)) {
			t.Errorf("%s: %+v", reason, s)
		}
	}
	if s := ov.Samples["validate: payload validation failed"][0]; s.Mapping != "broken" || s.Error == "" || !strings.Contains(s.Payload, `"event":"Broken"`) {
		t.Errorf("validation sample %+v", s)
	}
	if s := ov.Samples["filtered by no test users"][0]; !strings.Contains(s.Payload, `"userId":"tester"`) {
		t.Errorf("filter sample %+v", s)
	}
}
