package router

import (
	"strconv"
	"time"
	"unsafe"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/filter"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/route"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// WriteKeyHeader is the record header a producer sets to name the source of an event when
// several sources share a topic.
const WriteKeyHeader = "write_key"

// Input is one consumed record, reduced to what routing needs.
type Input struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	WriteKey  string
	Timestamp time.Time
}

// Output is one record to produce: an action request, a dead letter, a sample or a
// profile's changelog record.
type Output struct {
	Topic string
	Key   []byte
	// Value is nil for a tombstone (an erased profile).
	Value []byte
	// Partition is a changelog record's partition, the event's own; other outputs are
	// partitioned by key.
	Partition int32
}

// Emit receives the outputs of one event, in order. Values are only valid during the call.
type Emit func(Output)

// Pipeline routes the events of one partition at a time. It keeps its parsers and buffers
// between events, so it is not safe for concurrent use: one per worker.
type Pipeline struct {
	decoder  *event.Decoder
	route    *route.Router
	dlqTopic string
	record   []byte
	tally    *Tally
	now      func() time.Time
	samples  samples
	// messageID is the current event's messageId, or its record's position without one: a
	// buffer reused per event, so that Request need not make a string of it per event.
	messageID []byte
	// profiles is the profile state (nil without profiles); pipeline_profiles.go.
	profiles profileTopics
	// The event being routed, for the observer methods below.
	cur current
}

// current is what the pipeline knows of the event and instance being routed.
type current struct {
	ws        *workspace.Workspace
	in        Input // a copy: keeping the caller's pointer would move every Input to the heap
	emit      Emit
	key       []byte
	instance  *workspace.Instance
	eventJSON []byte // as consumed, for samples
}

// NewPipeline returns a pipeline that dead-letters to dlqTopic and counts into tally.
func NewPipeline(dlqTopic string, limits event.Limits, tally *Tally) *Pipeline {
	return &Pipeline{
		decoder:  event.NewSpecDecoder(limits),
		route:    route.New(nil),
		dlqTopic: dlqTopic,
		tally:    tally,
		now:      time.Now,
	}
}

// SetRows gives the pipeline the data model rows to enrich events with.
func (p *Pipeline) SetRows(rows route.Rows) { p.route.SetRows(rows) }

// SetSuppression gives the pipeline the users privacy regulations suppress.
func (p *Pipeline) SetSuppression(s route.Suppression) { p.route.SetSuppression(s) }

// Process routes one event under ws and emits its action requests and dead letters.
// It never panics on data: every failure becomes a dead letter with a reason.
func (p *Pipeline) Process(ws *workspace.Workspace, in *Input, emit Emit) {
	if p.profiles.state != nil && in.Topic == p.profiles.repartition {
		p.profileCommand(in, emit)
		return
	}
	value, writeKey := in.Value, in.WriteKey
	if schemas.IsSingleObject(value) {
		env, err := schemas.DecodeEventEnvelope(value)
		if err != nil {
			p.ingestFailure(in, emit, schemas.StageDecode, "invalid Avro record", err.Error(), "")
			return
		}
		value = env.Event
		if env.WriteKey != "" {
			writeKey = env.WriteKey
		}
	}
	src, reason := resolveSource(ws, in.Topic, writeKey)
	if src == nil {
		p.ingestFailure(in, emit, schemas.StageSource, reason, reason+" (topic "+in.Topic+")", "")
		return
	}
	ev, err := p.decoder.Decode(value)
	if err != nil {
		p.ingestFailure(in, emit, schemas.StageDecode, event.ReasonOf(err), err.Error(), src.ID)
		return
	}
	p.cur = current{ws: ws, in: *in, emit: emit, eventJSON: value}
	p.tally.received(src.ID)
	part := p.profilesFor(src, in, emit)
	plan := p.route.Protocols(src, ev)
	if part != nil {
		p.emitChangelog(part, in.Partition, emit)
	}
	if len(plan.Violations) > 0 {
		p.violations(src, &plan)
	}
	if plan.Blocked {
		for _, inst := range src.Instances {
			p.outcome(inst, route.Blocked)
		}
		return
	}
	p.messageID = append(p.messageID[:0], ev.GetStringBytes("messageId")...)
	if len(p.messageID) == 0 {
		// Without a messageId the record's position is the stable identity of the event.
		p.messageID = append(append(append(p.messageID, "kafka:"...), in.Topic...), '/')
		p.messageID = append(strconv.AppendInt(p.messageID, int64(in.Partition), 10), '/')
		p.messageID = strconv.AppendInt(p.messageID, in.Offset, 10)
	}
	p.cur.key = in.Key
	if len(p.cur.key) == 0 {
		p.cur.key = event.UserKey(ev)
	}
	for _, inst := range src.Instances {
		p.cur.instance = inst
		p.outcome(inst, p.route.Instance(src, inst, inst.Mappings, ev, p))
	}
}

// outcome counts an instance's outcome and samples discards for the Delivery Overview.
func (p *Pipeline) outcome(inst *workspace.Instance, o route.Outcome) {
	p.tally.outcome(inst.ID, o.Kind, string(o.Stage), o.Filter)
	switch o.Stage {
	case schemas.StageProtocols:
		p.sample(p.cur.emit, inst.ID, sampleProtocols, "")
	case schemas.StageFilter:
		if o.Kind == metrics.OutcomeFiltered {
			p.sample(p.cur.emit, inst.ID, sampleFilter, o.Filter)
		}
	case schemas.StageConsent, schemas.StageIntegrations:
		p.sample(p.cur.emit, inst.ID, sampleFilter, o.Stage.ControlName())
	case schemas.StageTrigger:
		p.sample(p.cur.emit, inst.ID, sampleNoMatch, "")
	}
}

// FilterApplied is part of route.Observer; the pipeline counts only outcomes.
func (p *Pipeline) FilterApplied(*filter.Filter, *filter.Action, bool, bool) {}

// Triggered is part of route.Observer; the pipeline counts only outcomes.
func (p *Pipeline) Triggered(*workspace.Mapping, bool) {}

// Request emits m's action request to the instance's delivery topic.
func (p *Pipeline) Request(m *workspace.Mapping, payload []byte) *route.Failure {
	inst := p.cur.instance
	var err error
	p.record, err = schemas.AppendActionRequest(p.record[:0], &schemas.ActionRequest{
		// The message id is read in place: the record is written before the next event.
		Instance: inst.ID, Mapping: m.ID, Action: m.Action.Key, MessageID: unsafe.String(unsafe.SliceData(p.messageID), len(p.messageID)),
		Payload: payload, ConfigVersion: p.cur.ws.Version, ReceivedAt: receivedAt(&p.cur.in, p.now),
	})
	if err != nil {
		return &route.Failure{Stage: schemas.StageRender, Reason: "encoding the action request failed", Detail: err.Error()}
	}
	p.cur.emit(Output{Topic: inst.Topic, Key: p.cur.key, Value: p.record})
	p.tally.routed(inst.ID, m.ID)
	return nil
}

// Failed dead-letters a mapping (or, with m nil, the instance) that produced no request.
func (p *Pipeline) Failed(m *workspace.Mapping, f *route.Failure) {
	inst := p.cur.instance
	var mappingID, action string
	if m != nil {
		mappingID, action = m.ID, m.Action.Key
		p.tally.mappingFailure(inst.ID, m.ID, string(f.Stage))
	}
	p.deadLetter(&p.cur.in, p.cur.emit, p.cur.key, f.Stage, f.Reason, f.Detail, inst.ID, mappingID, action)
}

func (p *Pipeline) ingestFailure(in *Input, emit Emit, stage schemas.Stage, reason, detail, source string) {
	p.tally.ingestFailure(string(stage), reason)
	key := in.Key
	p.deadLetterWithSource(in, emit, key, stage, reason, detail, source, "", "", "")
}

func (p *Pipeline) deadLetter(in *Input, emit Emit, key []byte, stage schemas.Stage, reason, detail, instance, mapping, action string) {
	p.deadLetterWithSource(in, emit, key, stage, reason, detail, "", instance, mapping, action)
}

// MaxDeadLetterOriginal bounds the original bytes a dead letter keeps: a dead letter too
// big for the broker would fail its transaction again and again and stall the partition.
const MaxDeadLetterOriginal = 256 << 10

func (p *Pipeline) deadLetterWithSource(in *Input, emit Emit, key []byte, stage schemas.Stage, reason, detail, source, instance, mapping, action string) {
	original := in.Value
	if len(original) > MaxDeadLetterOriginal {
		original = original[:MaxDeadLetterOriginal]
		detail += " (the original is cut to its first " + strconv.Itoa(MaxDeadLetterOriginal) + " of " + strconv.Itoa(len(in.Value)) + " bytes)"
	}
	record, err := schemas.AppendDeadLetter(p.record[:0], &schemas.DeadLetter{
		Stage: stage, Reason: reason, Error: detail, Original: original,
		Topic: in.Topic, Partition: in.Partition, Offset: in.Offset,
		Source: source, Instance: instance, Mapping: mapping, Action: action, OccurredAt: p.now(),
	})
	if err != nil {
		// Our own record failed to encode; nothing about the event can fix that.
		p.tally.err = err
		return
	}
	p.record = record
	p.tally.deadLetters++
	emit(Output{Topic: p.dlqTopic, Key: key, Value: record})
}

func receivedAt(in *Input, now func() time.Time) time.Time {
	if !in.Timestamp.IsZero() {
		return in.Timestamp
	}
	return now()
}

// resolveSource finds the source of an event: by write key when the producer gave one,
// else the one source that reads the topic.
func resolveSource(ws *workspace.Workspace, topic, writeKey string) (*workspace.Source, string) {
	if writeKey != "" {
		src := ws.SourceForWriteKey(writeKey)
		if src == nil {
			return nil, "unknown write key"
		}
		for _, t := range src.Topics {
			if t == topic {
				return src, ""
			}
		}
		return nil, "the write key's source does not read this topic"
	}
	switch sources := ws.SourcesForTopic(topic); len(sources) {
	case 0:
		return nil, "no source reads this topic"
	case 1:
		return sources[0], ""
	default:
		return nil, "several sources read this topic and the event names none (set the write_key header)"
	}
}
