package router

import (
	"time"
	"unicode/utf8"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/protocols"
	"github.com/actuate/actuate/processor/workspace"
)

// Sample reasons, as the Delivery Overview names discards that are not dead letters.
const (
	SampleReasonProtocols = "filtered by protocols"
	SampleReasonFilter    = "filtered by " // followed by the filter's name
	SampleReasonNoMatch   = "no matching mapping"
)

// MaxSampleEvent bounds the event bytes a sample keeps: the overview shows at most ten
// per reason, and a sample is for a person to read, not to replay.
const MaxSampleEvent = 16 << 10

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
	b := append(p.samples.record[:0], `{"time":"`...)
	b = now.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","instance":`...)
	b = destkit.AppendJSONString(b, instance)
	b = append(b, `,"reason":`...)
	switch kind {
	case sampleProtocols:
		b = destkit.AppendJSONString(b, SampleReasonProtocols)
	case sampleFilter:
		b = destkit.AppendJSONString(b, SampleReasonFilter+filter)
	default:
		b = destkit.AppendJSONString(b, SampleReasonNoMatch)
	}
	// A string, not raw JSON: a cut event is no longer a JSON document.
	b = append(b, `,"event":`...)
	b = destkit.AppendJSONString(b, string(ev)) // only for a sample within budget
	if truncated {
		b = append(b, `,"truncated":true`...)
	}
	b = append(b, '}')
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
	b := append(p.samples.record[:0], `{"time":"`...)
	b = now.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","plan":`...)
	b = destkit.AppendJSONString(b, plan)
	b = append(b, `,"source":`...)
	b = destkit.AppendJSONString(b, src.ID)
	if out.Blocked {
		b = append(b, `,"blocked":true,"reason":`...)
		b = destkit.AppendJSONString(b, out.Reason)
	}
	b = append(b, `,"violations":[`...)
	for i, v := range out.Violations {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"rule":`...)
		b = destkit.AppendJSONString(b, v.Rule)
		b = append(b, `,"path":`...)
		b = destkit.AppendJSONString(b, v.Path)
		b = append(b, `,"message":`...)
		b = destkit.AppendJSONString(b, v.Message)
		b = append(b, '}')
	}
	b = append(b, ']')
	ev, truncated := cutUTF8(p.cur.eventJSON, MaxSampleEvent)
	b = append(b, `,"event":`...)
	b = destkit.AppendJSONString(b, string(ev))
	if truncated {
		b = append(b, `,"truncated":true`...)
	}
	b = append(b, '}')
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
