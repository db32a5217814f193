package router

import (
	"time"
	"unicode/utf8"

	"github.com/actuate/actuate/processor/protocols"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Sample reasons, as the Delivery Overview names discards that are not dead letters.
const (
	SampleReasonProtocols = "filtered by protocols"
	SampleReasonFilter    = "filtered by " // followed by the filter's name
	SampleReasonNoMatch   = "no matching mapping"
)

// MaxSampleEvent bounds the event bytes a sample keeps: the overview shows at most ten
// per reason, and a sample is for a person to read, not to replay.
const MaxSampleEvent = schemas.MaxSampleEvent

type sampleKind uint8

const (
	sampleProtocols sampleKind = iota + 1
	sampleFilter
	sampleNoMatch
	sampleViolation
)

// sampleKey names a sample budget without building the reason text, so spending a
// budget needs no allocation.
type sampleKey struct {
	instance string // or the tracking plan, for sampleViolation
	filter   string
	kind     sampleKind
}

// samples samples discards to a topic for the Delivery Overview. Budgets are per
// pipeline (per worker) and per wall-clock minute, so processes need not agree on them:
// the overview keeps only the latest ten per reason anyway.
type samples struct {
	topic     string
	perMinute int
	minute    int64
	spent     map[sampleKey]int
	key       []byte
	record    []byte
}

// EnableSamples makes the pipeline emit up to perMinute samples per (instance, reason)
// and minute to topic, among its outputs.
func (p *Pipeline) EnableSamples(topic string, perMinute int) {
	if topic == "" || perMinute <= 0 {
		p.samples = samples{}
		return
	}
	p.samples = samples{topic: topic, perMinute: perMinute, spent: map[sampleKey]int{}}
}

// take spends one sample of k's budget; false (without allocating) when it is spent.
func (s *samples) take(k sampleKey, now time.Time) bool {
	if s.perMinute == 0 {
		return false
	}
	// Clearing each minute also forgets instances and filters a config change removed.
	if m := now.Unix() / 60; m != s.minute {
		clear(s.spent)
		s.minute = m
	}
	n := s.spent[k]
	if n >= s.perMinute {
		return false
	}
	s.spent[k] = n + 1
	return true
}

// sample emits a sample of the current event's discard by instance, if the budget allows.
func (p *Pipeline) sample(emit Emit, instance string, kind sampleKind, filter string) {
	if p.samples.perMinute == 0 {
		return
	}
	now := p.now()
	if !p.samples.take(sampleKey{instance: instance, filter: filter, kind: kind}, now) {
		return
	}
	ev, truncated := cutUTF8(p.cur.eventJSON, MaxSampleEvent)
	rec := schemas.DiscardSample{Time: now, Instance: instance, Event: string(ev), Truncated: truncated}
	switch kind {
	case sampleProtocols:
		rec.Reason = SampleReasonProtocols
	case sampleFilter:
		rec.Reason = SampleReasonFilter + filter
	default:
		rec.Reason = SampleReasonNoMatch
	}
	b, err := schemas.AppendDiscardSample(p.samples.record[:0], &rec)
	if err != nil {
		return // a sample is only an illustration: never fail the transaction for one
	}
	p.samples.record = b
	p.samples.key = append(p.samples.key[:0], instance...)
	emit(Output{Topic: p.samples.topic, Key: p.samples.key, Value: b})
}

// violations counts the tracking plan's violations of the current event, by rule, and
// samples them for the control API (GET /v1/tracking-plans/{id}/violations), as
// Segment's Protocols shows the latest violations of a plan.
func (p *Pipeline) violations(src *workspace.Source, out *protocols.Outcome) {
	plan := src.Plan.ID()
	for i := range out.Violations {
		p.tally.violation(plan, out.Violations[i].Rule)
	}
	if p.samples.perMinute == 0 {
		return
	}
	now := p.now()
	if !p.samples.take(sampleKey{instance: plan, kind: sampleViolation}, now) {
		return
	}
	ev, truncated := cutUTF8(p.cur.eventJSON, MaxSampleEvent)
	rec := schemas.ViolationSample{Time: now, Plan: plan, Source: src.ID, Blocked: out.Blocked, Reason: out.Reason,
		Violations: make([]schemas.Violation, len(out.Violations)), Event: string(ev), Truncated: truncated}
	for i, v := range out.Violations {
		rec.Violations[i] = schemas.Violation{Rule: v.Rule, Path: v.Path, Message: v.Message}
	}
	b, err := schemas.AppendViolationSample(p.samples.record[:0], &rec)
	if err != nil {
		return
	}
	p.samples.record = b
	p.samples.key = append(p.samples.key[:0], plan...)
	p.cur.emit(Output{Topic: p.samples.topic, Key: p.samples.key, Value: b})
}

// cutUTF8 cuts b to at most n bytes without splitting a character.
func cutUTF8(b []byte, n int) ([]byte, bool) {
	if len(b) <= n {
		return b, false
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n], true
}
