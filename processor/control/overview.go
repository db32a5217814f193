package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/workspace"
)

// DefaultOverviewTopic holds every process's count deltas for the Delivery Overview.
const DefaultOverviewTopic = "actuate.overview"

// overviewMetrics are the counters the router, the sender and ingest keep per outcome.
var overviewMetrics = []string{
	"actuate_events_received_total", "actuate_ingest_failures_total", "actuate_instance_outcomes_total",
	"actuate_requests_routed_total", "actuate_mapping_failures_total", "actuate_send_outcomes_total",
}

// Delta is the growth of one counter series over one publishing interval.
type Delta struct {
	Metric string            `json:"m"`
	Labels map[string]string `json:"l"`
	Value  float64           `json:"v"`
}

// deltaRecord is one process's deltas over [From, To).
type deltaRecord struct {
	Process string    `json:"process"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Deltas  []Delta   `json:"deltas"`
}

// Publisher reads the outcome counters of this process from a prometheus.Gatherer and
// publishes what they grew by to the overview topic every Interval. Reading the
// counters the router and sender already keep leaves the pipeline untouched; labels
// carry ids and reasons, never settings or payloads.
type Publisher struct {
	Gatherer prometheus.Gatherer
	Brokers  []string
	Topic    string
	Process  string
	Interval time.Duration
	Logger   *zap.Logger
	Options  []kgo.Opt

	last map[string]float64
	from time.Time
}

// Run publishes until ctx ends, then once more.
func (p *Publisher) Run(ctx context.Context) error {
	if p.Topic == "" {
		p.Topic = DefaultOverviewTopic
	}
	if p.Interval <= 0 {
		p.Interval = 10 * time.Second
	}
	if p.Logger == nil {
		p.Logger = zap.NewNop()
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(p.Brokers...), kgo.AllowAutoTopicCreation()}, p.Options...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	p.last, p.from = map[string]float64{}, time.Now().UTC()
	tick := time.NewTicker(p.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			p.publish(final, cl)
			cancel()
			return nil
		case <-tick.C:
			p.publish(ctx, cl)
		}
	}
}

func (p *Publisher) publish(ctx context.Context, cl *kgo.Client) {
	families, err := p.Gatherer.Gather()
	if err != nil {
		p.Logger.Warn("gathering metrics for the Delivery Overview", zap.Error(err))
		return
	}
	now := time.Now().UTC()
	rec := deltaRecord{Process: p.Process, From: p.from, To: now}
	for _, f := range families {
		if !slices.Contains(overviewMetrics, f.GetName()) {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			id := f.GetName()
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
				id += "\x00" + l.GetName() + "=" + l.GetValue()
			}
			v := m.GetCounter().GetValue()
			if d := v - p.last[id]; d > 0 {
				rec.Deltas = append(rec.Deltas, Delta{Metric: f.GetName(), Labels: labels, Value: d})
			}
			p.last[id] = v
		}
	}
	if len(rec.Deltas) == 0 {
		p.from = now
		return
	}
	value, _ := json.Marshal(rec)
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: p.Topic, Key: []byte(p.Process), Value: value}).FirstErr(); err != nil {
		// The counts stay in last's past: they are lost to the overview, not double counted.
		p.Logger.Warn("publishing Delivery Overview counts", zap.Error(err))
	}
	p.from = now
}

// Aggregator reads every process's deltas from the overview topic and answers the
// Delivery Overview for a time range (at the publishing interval's resolution). It also
// keeps the latest samples of discards from the samples and dead-letter topics.
type Aggregator struct {
	Brokers   []string
	Topic     string
	Workspace func() *workspace.Workspace
	Options   []kgo.Opt
	// SamplesTopic and DLQTopic are where the router and the sender put discarded events;
	// defaults router.DefaultSamplesTopic and router.DefaultDLQTopic.
	SamplesTopic string
	DLQTopic     string
	// MaxSampleBytes bounds the samples held in memory; default DefaultMaxSampleBytes.
	MaxSampleBytes int

	mu      sync.Mutex
	records []deltaRecord

	samplesOnce sync.Once
	samples     *sampleStore
	violations  violationStore
}

// Run reads the topic until ctx ends.
func (a *Aggregator) Run(ctx context.Context) error {
	if a.Topic == "" {
		a.Topic = DefaultOverviewTopic
	}
	if a.SamplesTopic == "" {
		a.SamplesTopic = router.DefaultSamplesTopic
	}
	if a.DLQTopic == "" {
		a.DLQTopic = router.DefaultDLQTopic
	}
	// Without counts there is no overview: samples stop with them.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	samplesDone := make(chan error, 1)
	go func() { samplesDone <- a.runSamples(ctx) }()
	err := a.runCounts(ctx)
	cancel()
	return errors.Join(err, <-samplesDone)
}

func (a *Aggregator) runCounts(ctx context.Context) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(a.Brokers...), kgo.ConsumeTopics(a.Topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}, a.Options...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	// Seven days of counts: the overview's longest range.
	resp, err := kadm.NewClient(cl).CreateTopic(ctx, 1, -1, map[string]*string{"retention.ms": kadm.StringPtr(fmt.Sprint(int64(overviewRetention / time.Millisecond)))}, a.Topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) && ctx.Err() == nil {
		return fmt.Errorf("overview topic: %w", err)
	}
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		fetches.EachRecord(func(r *kgo.Record) {
			var d deltaRecord
			if json.Unmarshal(r.Value, &d) == nil {
				a.mu.Lock()
				a.records = append(a.records, d)
				a.mu.Unlock()
			}
		})
		a.prune(time.Now().Add(-overviewRetention))
	}
}

// overviewRetention is the longest range the overview answers, and how long counts stay.
const overviewRetention = 7 * 24 * time.Hour

// prune forgets counts whose interval ended before cutoff, so memory stays bounded by the
// retention however long the process runs. Records arrive roughly in time order; the
// scan stops at the first one to keep.
func (a *Aggregator) prune(cutoff time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := 0
	for i < len(a.records) && a.records[i].To.Before(cutoff) {
		i++
	}
	if i > 0 {
		a.records = append(a.records[:0], a.records[i:]...)
	}
}

// Overview sums the deltas of records whose interval ends within [from, to).
func (a *Aggregator) Overview(_ context.Context, instance string, from, to time.Time) (*Overview, error) {
	ov := &Overview{Destination: instance, From: from, To: to, Mappings: map[string]*MappingSteps{}, Samples: map[string][]Sample{}}
	ov.FailedOnIngest, ov.FilteredAtDest, ov.FailedBeforeSend, ov.FailedDelivery = map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
	sources := map[string]bool{}
	if ws := a.Workspace(); ws != nil {
		for _, s := range ws.Sources {
			for _, inst := range s.Instances {
				if inst.ID == instance {
					sources[s.ID] = true
				}
			}
		}
	}
	mapping := func(id string) *MappingSteps {
		m := ov.Mappings[id]
		if m == nil {
			m = &MappingSteps{FailedBeforeSend: map[string]int64{}, FailedDelivery: map[string]int64{}}
			ov.Mappings[id] = m
		}
		return m
	}
	var inst *workspace.Instance
	if ws := a.Workspace(); ws != nil {
		inst = ws.Instance(instance)
	}
	ov.Samples = a.sampleStore().latest(instance, from, to, inst)
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range a.records {
		if r.To.Before(from) || !r.To.Before(to) {
			continue
		}
		for _, d := range r.Deltas {
			n, l := int64(d.Value), d.Labels
			if d.Metric == "actuate_events_received_total" {
				if sources[l["source"]] {
					ov.Received += n
				}
				continue
			}
			if d.Metric == "actuate_ingest_failures_total" {
				ov.FailedOnIngest[l["stage"]+": "+l["reason"]] += n
				continue
			}
			if l["instance"] != instance {
				continue
			}
			switch d.Metric {
			case "actuate_instance_outcomes_total":
				switch {
				case l["outcome"] == metrics.OutcomeFiltered && l["stage"] == "filter":
					ov.FilteredAtDest[l["filter"]] += n
				case l["outcome"] == metrics.OutcomeFiltered:
					ov.FilteredAtSource += n
				case l["outcome"] == metrics.OutcomeNoMatchingMapping:
					ov.NoMatchingMapping += n
				case l["outcome"] == metrics.OutcomeDeadLettered:
					ov.FailedBeforeSend[l["stage"]] += n
				case l["outcome"] == metrics.OutcomeRouted:
					ov.Routed += n
				}
			case "actuate_requests_routed_total":
				mapping(l["mapping"]).Routed += n
			case "actuate_mapping_failures_total":
				mapping(l["mapping"]).FailedBeforeSend[l["stage"]] += n
			case "actuate_send_outcomes_total":
				m := mapping(l["mapping"])
				switch l["outcome"] {
				case metrics.SendDelivered:
					ov.SuccessfulDelivery += n
					m.SuccessfulDelivery += n
				case metrics.SendRetried:
					ov.PendingRetry += n
					m.PendingRetry += n
				case metrics.SendDeadLettered:
					ov.FailedDelivery[l["reason"]] += n
					m.FailedDelivery[l["reason"]] += n
				}
			}
		}
	}
	return ov, nil
}
