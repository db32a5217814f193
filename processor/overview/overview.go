// Package overview is the Delivery Overview: every process publishes the growth of its
// outcome counters to the overview topic (Publisher), and the API process aggregates
// them over a time range per destination instance (Aggregator), with the latest samples
// of each discard reason from the samples and dead-letter topics, and the latest
// violating events of each tracking plan.
package overview

import (
	"context"
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
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// DefaultOverviewTopic holds every process's count deltas for the Delivery Overview.
const DefaultOverviewTopic = schemas.TopicOverview

// overviewMetrics are the counters the router, the sender and ingest keep per outcome.
var overviewMetrics = []string{
	metrics.NameEventsReceived, metrics.NameIngestFailures, metrics.NameInstanceOutcomes,
	metrics.NameRequestsRouted, metrics.NameMappingFailures, metrics.NameSendOutcomes,
}

// Overview is the Delivery Overview of one destination instance, the steps of Segment's.
type Overview struct {
	Destination string    `json:"destination"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Steps
	// Mappings breaks the mapping-level steps down per mapping.
	Mappings map[string]*MappingSteps `json:"mappings"`
	// Samples holds, per discard reason ("filtered by protocols", "filtered by <filter>",
	// "no matching mapping", "<stage>: <reason>" of dead letters), up to 10 of the latest
	// payloads in the range, newest first, secrets masked.
	Samples map[string][]Sample `json:"samples"`
}

// Steps are the instance-level counts.
type Steps struct {
	// Received counts events read from the instance's sources' topics (per source, as
	// events topics are shared by instances).
	Received int64 `json:"successfully_received"`
	// FailedOnIngest counts events that could not be read (bad JSON, unknown source),
	// workspace-wide: they never reached any instance.
	FailedOnIngest     map[string]int64 `json:"failed_on_ingest"`
	FilteredAtSource   int64            `json:"filtered_at_source"`
	FilteredAtDest     map[string]int64 `json:"filtered_at_destination"` // by filter, or "consent" and "integrations object"
	NoMatchingMapping  int64            `json:"no_matching_mapping"`
	FailedBeforeSend   map[string]int64 `json:"failed_before_send"` // render, validate
	Routed             int64            `json:"routed"`
	PendingRetry       int64            `json:"pending_retry"`
	FailedDelivery     map[string]int64 `json:"failed_delivery"` // by reason
	SuccessfulDelivery int64            `json:"successful_delivery"`
	// Replayed counts the dead letters replays took, by outcome (processor/replay);
	// their requests are counted again in the steps above as they are delivered.
	Replayed map[string]int64 `json:"replayed,omitempty"`
}

// MappingSteps are the counts of one mapping.
type MappingSteps struct {
	Routed             int64            `json:"routed"`
	FailedBeforeSend   map[string]int64 `json:"failed_before_send"`
	PendingRetry       int64            `json:"pending_retry"`
	FailedDelivery     map[string]int64 `json:"failed_delivery"`
	SuccessfulDelivery int64            `json:"successful_delivery"`
}

// Sample is one discarded payload: the event as consumed (filtered, no matching
// mapping, dead letters of the processor) or the rendered payload (dead letters of the
// sender), as text because it may be cut.
type Sample struct {
	Time    time.Time `json:"time"`
	Mapping string    `json:"mapping,omitempty"`
	Error   string    `json:"error,omitempty"`
	Payload string    `json:"payload"`
	// Truncated is set when the payload is cut to its first 16 KiB.
	Truncated bool `json:"truncated,omitempty"`
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
	rec := schemas.OverviewDeltas{Process: p.Process, From: p.from, To: now}
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
				rec.Deltas = append(rec.Deltas, schemas.Delta{Metric: f.GetName(), Labels: labels, Value: d})
			}
			p.last[id] = v
		}
	}
	if len(rec.Deltas) == 0 {
		p.from = now
		return
	}
	value, err := schemas.AppendOverviewDeltas(nil, &rec)
	if err != nil {
		p.Logger.Error("encoding Delivery Overview counts", zap.Error(err))
		return
	}
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
	// defaults schemas.TopicSamples and schemas.TopicDLQ.
	SamplesTopic string
	DLQTopic     string
	// MaxSampleBytes bounds the samples held in memory; default DefaultMaxSampleBytes.
	MaxSampleBytes int

	mu      sync.Mutex
	records []schemas.OverviewDeltas

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
		a.SamplesTopic = schemas.TopicSamples
	}
	if a.DLQTopic == "" {
		a.DLQTopic = schemas.TopicDLQ
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
			if d, err := schemas.DecodeOverviewDeltas(r.Value); err == nil {
				a.mu.Lock()
				a.records = append(a.records, *d)
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
			if d.Metric == metrics.NameEventsReceived {
				if sources[l["source"]] {
					ov.Received += n
				}
				continue
			}
			if d.Metric == metrics.NameIngestFailures {
				ov.FailedOnIngest[l["stage"]+": "+l["reason"]] += n
				continue
			}
			if l["instance"] != instance {
				continue
			}
			switch d.Metric {
			case metrics.NameInstanceOutcomes:
				switch {
				case l["outcome"] == metrics.OutcomeFiltered && l["stage"] == string(schemas.StageFilter):
					ov.FilteredAtDest[l["filter"]] += n
				case l["outcome"] == metrics.OutcomeFiltered && schemas.Stage(l["stage"]).ControlName() != "":
					ov.FilteredAtDest[schemas.Stage(l["stage"]).ControlName()] += n
				case l["outcome"] == metrics.OutcomeFiltered:
					ov.FilteredAtSource += n
				case l["outcome"] == metrics.OutcomeNoMatchingMapping:
					ov.NoMatchingMapping += n
				case l["outcome"] == metrics.OutcomeDeadLettered:
					ov.FailedBeforeSend[l["stage"]] += n
				case l["outcome"] == metrics.OutcomeRouted:
					ov.Routed += n
				}
			case metrics.NameReplayOutcomes:
				if ov.Replayed == nil {
					ov.Replayed = map[string]int64{}
				}
				ov.Replayed[l["outcome"]] += n
			case metrics.NameRequestsRouted:
				mapping(l["mapping"]).Routed += n
			case metrics.NameMappingFailures:
				mapping(l["mapping"]).FailedBeforeSend[l["stage"]] += n
			case metrics.NameSendOutcomes:
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
