// Package metrics declares every Prometheus metric Actuate exports. Outcome counters are
// the Delivery Overview: for each destination instance, every event received ends in
// exactly one of filtered, no_matching_mapping, dead_lettered or routed, so
//
//	received = filtered + no_matching_mapping + dead_lettered + routed
//
// and each routed event's action requests end delivered or dead-lettered by the senders.
// Labels never carry settings, payloads or user data.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Names of the outcome counters, which the Delivery Overview reads back (package overview).
const (
	NameEventsReceived   = "actuate_events_received_total"
	NameIngestFailures   = "actuate_ingest_failures_total"
	NameInstanceOutcomes = "actuate_instance_outcomes_total"
	NameRequestsRouted   = "actuate_requests_routed_total"
	NameMappingFailures  = "actuate_mapping_failures_total"
	NameSendOutcomes     = "actuate_send_outcomes_total"
	// NameReplayOutcomes counts dead letters taken by replays (processor/replay).
	NameReplayOutcomes = "actuate_replay_outcomes_total"
)

// NameTokenRefreshFailures is read by the alert rules (deploy/prometheus).
const NameTokenRefreshFailures = "actuate_token_refresh_failures_total"

// Outcomes of an event for one destination instance in the router.
const (
	OutcomeFiltered          = "filtered"
	OutcomeNoMatchingMapping = "no_matching_mapping"
	OutcomeDeadLettered      = "dead_lettered"
	OutcomeRouted            = "routed"
)

// Outcomes of an action request in the sender.
const (
	SendDelivered    = "delivered"
	SendRetried      = "retried" // an attempt failed and another was scheduled: not final
	SendDeadLettered = "dead_lettered"
)

// Metrics is one process's set of metrics. Tests create their own with New so counts
// start at zero; processes register theirs with a registry served at /metrics.
type Metrics struct {
	// EventsReceived counts consumed events per source ("" when no source could be told).
	EventsReceived *prometheus.CounterVec
	// IngestFailures counts events that failed before reaching any instance, by stage
	// (decode, source) and reason.
	IngestFailures *prometheus.CounterVec
	// InstanceOutcomes counts each event's final router outcome per instance. Stage says
	// where it was filtered or dead-lettered (protocols, filter, render, validate); filter
	// names the destination filter that dropped it.
	InstanceOutcomes *prometheus.CounterVec
	// RequestsRouted counts action requests written to delivery topics, per mapping.
	RequestsRouted *prometheus.CounterVec
	// MappingFailures counts mappings that matched but whose request was dead-lettered,
	// by stage (render, validate).
	MappingFailures *prometheus.CounterVec
	// SendOutcomes counts action requests per instance, mapping and outcome; reason is a
	// short class such as "HTTP 400" or "timeout" for retried and dead-lettered ones.
	SendOutcomes *prometheus.CounterVec
	// ProtocolsViolations counts the violations of tracking plans, per plan and rule (the
	// rule's path in the plan, "unplanned event" or "internal"), whether the event was
	// blocked or passed.
	ProtocolsViolations *prometheus.CounterVec
	// RequestDuration measures HTTP requests to destinations.
	RequestDuration *prometheus.HistogramVec
	// ConsumerLag is the offset lag per group, topic and partition.
	ConsumerLag *prometheus.GaugeVec
	// TokenRefreshFailures counts failed OAuth token refreshes per instance: the token
	// endpoint refused or could not be reached (destkit.OnRefreshFailure).
	TokenRefreshFailures *prometheus.CounterVec
}

// New returns a fresh set of metrics.
func New() *Metrics {
	return &Metrics{
		EventsReceived: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: NameEventsReceived, Help: "Events consumed from events topics, per source.",
		}, []string{"source"}),
		IngestFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: NameIngestFailures, Help: "Events dead-lettered before reaching any destination instance.",
		}, []string{"stage", "reason"}),
		InstanceOutcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: NameInstanceOutcomes, Help: "Final router outcome of each event per destination instance (the Delivery Overview).",
		}, []string{"instance", "outcome", "stage", "filter"}),
		RequestsRouted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: NameRequestsRouted, Help: "Action requests written to delivery topics.",
		}, []string{"instance", "mapping"}),
		MappingFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: NameMappingFailures, Help: "Matched mappings whose action request was dead-lettered, by stage.",
		}, []string{"instance", "mapping", "stage"}),
		SendOutcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: NameSendOutcomes, Help: "Outcomes of delivery attempts per action request.",
		}, []string{"instance", "mapping", "outcome", "reason"}),
		ProtocolsViolations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "actuate_protocols_violations_total", Help: "Tracking plan violations, per plan and rule.",
		}, []string{"plan", "rule"}),
		RequestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "actuate_request_duration_seconds", Help: "Duration of HTTP requests to destinations.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"instance", "action"}),
		ConsumerLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "actuate_consumer_lag", Help: "Records not yet consumed, per consumer group, topic and partition.",
		}, []string{"group", "topic", "partition"}),
		TokenRefreshFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: NameTokenRefreshFailures, Help: "Failed OAuth token refreshes, per destination instance.",
		}, []string{"instance"}),
	}
}

// Register adds every metric to r.
func (m *Metrics) Register(r prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{m.EventsReceived, m.IngestFailures, m.InstanceOutcomes, m.RequestsRouted, m.MappingFailures, m.SendOutcomes, m.ProtocolsViolations, m.RequestDuration, m.ConsumerLag, m.TokenRefreshFailures} {
		if err := r.Register(c); err != nil {
			return err
		}
	}
	return nil
}
