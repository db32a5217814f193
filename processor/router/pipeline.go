package router

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/mapping"
	"github.com/actuate/actuate/processor/metrics"
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

// Output is one record to produce: an action request, a dead letter or a sample.
type Output struct {
	Topic string
	Key   []byte
	Value []byte
}

// Emit receives the outputs of one event, in order. Values are only valid during the call.
type Emit func(Output)

// Pipeline routes the events of one partition at a time. It keeps its parsers and buffers
// between events, so it is not safe for concurrent use: one per worker.
type Pipeline struct {
	decoder   *event.Decoder
	copier    fastjson.Parser // private copies for instances whose filters edit the event
	arena     fastjson.Arena
	rng       *rand.Rand
	dlqTopic  string
	payload   []byte
	members   []mapping.Member // of payload
	validated []byte
	record    []byte
	scratch   []byte
	tally     *Tally
	now       func() time.Time
	eventJSON []byte // the event being routed, as consumed, for samples
	// copiedJSON holds the JSON of the event's objects that mappings copy, for the other
	// mappings of the same event (most copy `$.properties` and the like).
	copiedJSON mapping.EventJSON
	samples    samples
}

// NewPipeline returns a pipeline that dead-letters to dlqTopic and counts into tally.
func NewPipeline(dlqTopic string, limits event.Limits, tally *Tally) *Pipeline {
	return &Pipeline{
		decoder:  event.NewSpecDecoder(limits),
		rng:      rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
		dlqTopic: dlqTopic,
		tally:    tally,
		now:      time.Now,
	}
}

// Process routes one event under ws and emits its action requests and dead letters.
// It never panics on data: every failure becomes a dead letter with a reason.
func (p *Pipeline) Process(ws *workspace.Workspace, in *Input, emit Emit) {
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
		p.ingestFailure(in, emit, schemas.StageDecode, decodeReason(err), err.Error(), src.ID)
		return
	}
	p.eventJSON = value
	p.tally.received(src.ID)
	if src.Plan != nil {
		p.arena.Reset()
		if out := src.Plan.Apply(ev, &p.arena); out.Blocked {
			for _, inst := range src.Instances {
				p.tally.outcome(inst.ID, metrics.OutcomeFiltered, "protocols", "")
				p.sample(emit, inst.ID, sampleProtocols, "")
			}
			return
		}
	}
	messageID := string(ev.GetStringBytes("messageId"))
	if messageID == "" {
		// Without a messageId the record's position is the stable identity of the event.
		messageID = "kafka:" + in.Topic + "/" + strconv.Itoa(int(in.Partition)) + "/" + strconv.FormatInt(in.Offset, 10)
	}
	key := in.Key
	if len(key) == 0 {
		key = event.UserKey(ev)
	}
	p.copiedJSON.Reset()
	for _, inst := range src.Instances {
		p.routeInstance(ws, src, inst, ev, in, key, messageID, emit)
	}
}

func (p *Pipeline) routeInstance(ws *workspace.Workspace, src *workspace.Source, inst *workspace.Instance, ev *fastjson.Value, in *Input, key []byte, messageID string, emit Emit) {
	instEvent := ev
	for _, f := range inst.Filters {
		if f.SourceID != "" && f.SourceID != src.ID {
			continue
		}
		switch f.If.Eval(instEvent) {
		case fql.False:
			continue
		case fql.True:
		default:
			// A filter that cannot be evaluated fails closed: it was meant to stop something.
			p.tally.outcome(inst.ID, metrics.OutcomeFiltered, "filter", f.Name)
			p.sample(emit, inst.ID, sampleFilter, f.Name)
			return
		}
		for i := range f.Actions {
			a := &f.Actions[i]
			switch a.Type {
			case workspace.FilterDrop:
				p.tally.outcome(inst.ID, metrics.OutcomeFiltered, "filter", f.Name)
				p.sample(emit, inst.ID, sampleFilter, f.Name)
				return
			case workspace.FilterSample:
				if !p.sampled(instEvent, a.Percent, a.Path) {
					p.tally.outcome(inst.ID, metrics.OutcomeFiltered, "filter", f.Name)
					p.sample(emit, inst.ID, sampleFilter, f.Name)
					return
				}
			case workspace.FilterAllowProperties, workspace.FilterDropProperties:
				if instEvent == ev {
					if instEvent = p.privateCopy(ev); instEvent == nil {
						p.deadLetter(in, emit, key, schemas.StageFilter, "filter failed", "copying the event for a property filter failed", inst.ID, "", "")
						return
					}
				}
				editProperties(instEvent, a.Type == workspace.FilterAllowProperties, a.Fields)
			}
		}
	}
	matched, routed := false, false
	copied := &p.copiedJSON
	if instEvent != ev {
		copied = nil // an edited copy: its objects are not the event's
	}
	for _, m := range inst.Mappings {
		if !m.Trigger.Match(instEvent) {
			continue
		}
		matched = true
		var err error
		p.payload, p.members, err = m.Mapping.AppendJSONMembersCached(p.payload[:0], instEvent, p.members, copied)
		if err != nil {
			p.deadLetter(in, emit, key, schemas.StageRender, "mapping failed", err.Error(), inst.ID, m.ID, m.Action.Key)
			p.tally.mappingFailure(inst.ID, m.ID, "render")
			continue
		}
		p.validated, err = m.Action.AppendValidatedMembers(p.validated[:0], p.payload, p.members)
		if err != nil {
			p.deadLetter(in, emit, key, schemas.StageValidate, "payload validation failed", err.Error(), inst.ID, m.ID, m.Action.Key)
			p.tally.mappingFailure(inst.ID, m.ID, "validate")
			continue
		}
		p.record, err = schemas.AppendActionRequest(p.record[:0], &schemas.ActionRequest{
			Instance: inst.ID, Mapping: m.ID, Action: m.Action.Key, MessageID: messageID,
			Payload: p.validated, ConfigVersion: ws.Version, ReceivedAt: receivedAt(in, p.now),
		})
		if err != nil {
			p.deadLetter(in, emit, key, schemas.StageRender, "encoding the action request failed", err.Error(), inst.ID, m.ID, m.Action.Key)
			p.tally.mappingFailure(inst.ID, m.ID, "encode")
			continue
		}
		emit(Output{Topic: inst.Topic, Key: key, Value: p.record})
		p.tally.routed(inst.ID, m.ID)
		routed = true
	}
	switch {
	case !matched:
		p.tally.outcome(inst.ID, metrics.OutcomeNoMatchingMapping, "trigger", "")
		p.sample(emit, inst.ID, sampleNoMatch, "")
	case routed:
		p.tally.outcome(inst.ID, metrics.OutcomeRouted, "", "")
	default:
		p.tally.outcome(inst.ID, metrics.OutcomeDeadLettered, "mapping", "")
	}
}

// sampled keeps percent of events: at random, or by a hash of the value at path so the
// same user (say) is always kept or always dropped.
func (p *Pipeline) sampled(ev *fastjson.Value, percent float64, path string) bool {
	if percent >= 1 {
		return true
	}
	if path == "" {
		return p.rng.Float64() < percent
	}
	v := lookupDotted(ev, path)
	h := fnv.New64a()
	if v != nil {
		p.scratch = v.MarshalTo(p.scratch[:0])
		h.Write(p.scratch)
	}
	return float64(h.Sum64()) < percent*math.MaxUint64
}

func (p *Pipeline) privateCopy(ev *fastjson.Value) *fastjson.Value {
	p.scratch = ev.MarshalTo(p.scratch[:0])
	cp, err := p.copier.ParseBytes(p.scratch)
	if err != nil {
		return nil
	}
	return cp
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

// decodeReason turns a decoding error into a short reason from a fixed set, so metric
// labels stay few whatever the input holds.
func decodeReason(err error) string {
	e, ok := err.(*event.Error)
	if !ok {
		return "invalid event"
	}
	switch {
	case strings.HasPrefix(e.Reason, "event is not valid UTF-8"):
		return "invalid UTF-8"
	case strings.Contains(e.Reason, "over the limit"):
		return "event too large"
	case strings.HasPrefix(e.Reason, "nesting deeper"):
		return "nesting too deep"
	case strings.HasPrefix(e.Reason, "malformed JSON"):
		return "malformed JSON"
	case strings.HasPrefix(e.Reason, "event must be a JSON object"):
		return "not a JSON object"
	case e.Reason == "duplicate key":
		return "duplicate key"
	case strings.HasPrefix(e.Reason, "not a JSON number"), e.Reason == "number out of range":
		return "invalid number"
	case e.Field != "" && !strings.ContainsAny(e.Field, ".["):
		return "invalid field " + e.Field
	}
	return "invalid event"
}

func lookupDotted(ev *fastjson.Value, path string) *fastjson.Value {
	v := ev
	start := 0
	for i := 0; i <= len(path) && v != nil; i++ {
		if i == len(path) || path[i] == '.' {
			v = v.Get(path[start:i])
			start = i + 1
		}
	}
	return v
}

// editProperties keeps (allow) or removes (drop) the listed keys of each part.
func editProperties(ev *fastjson.Value, allow bool, fields map[string][]string) {
	for part, keys := range fields {
		obj := ev.Get(part)
		if obj == nil || obj.Type() != fastjson.TypeObject {
			continue
		}
		if !allow {
			for _, k := range keys {
				obj.Del(k)
			}
			continue
		}
		o, _ := obj.Object()
		var drop []string
		o.Visit(func(k []byte, _ *fastjson.Value) {
			if !containsString(keys, string(k)) {
				drop = append(drop, string(k))
			}
		})
		for _, k := range drop {
			obj.Del(k)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
