package router

import "github.com/actuate/actuate/processor/metrics"

// Tally counts the outcomes of one transaction. Counts reach the metrics only once the
// transaction commits, so events reprocessed after an abort are counted once.
type Tally struct {
	bySource        map[string]int
	ingestFailures  map[[2]string]int
	outcomes        map[[4]string]int
	requests        map[[2]string]int
	mappingFailures map[[3]string]int
	violations      map[[2]string]int
	deadLetters     int
	err             error // an internal failure that must abort the transaction
}

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{
		bySource: map[string]int{}, ingestFailures: map[[2]string]int{}, outcomes: map[[4]string]int{},
		requests: map[[2]string]int{}, mappingFailures: map[[3]string]int{}, violations: map[[2]string]int{},
	}
}

func (t *Tally) received(source string)             { t.bySource[source]++ }
func (t *Tally) ingestFailure(stage, reason string) { t.ingestFailures[[2]string{stage, reason}]++ }
func (t *Tally) outcome(instance, outcome, stage, filter string) {
	t.outcomes[[4]string{instance, outcome, stage, filter}]++
}
func (t *Tally) routed(instance, mapping string) { t.requests[[2]string{instance, mapping}]++ }
func (t *Tally) mappingFailure(instance, mapping, stage string) {
	t.mappingFailures[[3]string{instance, mapping, stage}]++
}
func (t *Tally) violation(plan, rule string) { t.violations[[2]string{plan, rule}]++ }

// Err is an internal failure met while routing; the transaction must not commit.
func (t *Tally) Err() error { return t.err }

// Reset empties the tally for the next transaction.
func (t *Tally) Reset() {
	clear(t.bySource)
	clear(t.ingestFailures)
	clear(t.outcomes)
	clear(t.requests)
	clear(t.mappingFailures)
	clear(t.violations)
	t.deadLetters = 0
	t.err = nil
}

// Merge adds other's counts to t.
func (t *Tally) Merge(other *Tally) {
	for k, n := range other.bySource {
		t.bySource[k] += n
	}
	for k, n := range other.ingestFailures {
		t.ingestFailures[k] += n
	}
	for k, n := range other.outcomes {
		t.outcomes[k] += n
	}
	for k, n := range other.requests {
		t.requests[k] += n
	}
	for k, n := range other.mappingFailures {
		t.mappingFailures[k] += n
	}
	for k, n := range other.violations {
		t.violations[k] += n
	}
	t.deadLetters += other.deadLetters
	if t.err == nil {
		t.err = other.err
	}
}

// Publish adds the counts to m.
func (t *Tally) Publish(m *metrics.Metrics) {
	for k, n := range t.bySource {
		m.EventsReceived.WithLabelValues(k).Add(float64(n))
	}
	for k, n := range t.ingestFailures {
		m.IngestFailures.WithLabelValues(k[0], k[1]).Add(float64(n))
	}
	for k, n := range t.outcomes {
		m.InstanceOutcomes.WithLabelValues(k[0], k[1], k[2], k[3]).Add(float64(n))
	}
	for k, n := range t.requests {
		m.RequestsRouted.WithLabelValues(k[0], k[1]).Add(float64(n))
	}
	for k, n := range t.mappingFailures {
		m.MappingFailures.WithLabelValues(k[0], k[1], k[2]).Add(float64(n))
	}
	for k, n := range t.violations {
		m.ProtocolsViolations.WithLabelValues(k[0], k[1]).Add(float64(n))
	}
}
