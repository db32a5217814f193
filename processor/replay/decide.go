package replay

import (
	"strconv"
	"time"

	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/filter"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/route"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Mode says which dead letters a replay sends again, and how.
type Mode string

// The modes of a replay.
const (
	// ModeAuto replays each dead letter by what it holds: the processor's are routed
	// again, the sender's are sent as stored.
	ModeAuto Mode = "auto"
	// ModeRoute replays only the processor's dead letters, routed through today's mappings.
	ModeRoute Mode = "route"
	// ModeStored replays only the sender's dead letters, their stored requests as they were.
	ModeStored Mode = "stored"
)

// Outcomes of one dead letter in a replay: the outcome label of actuate_replay_outcomes_total.
const (
	OutcomeReplayed        = "replayed"         // at least one action request written
	OutcomeDeadLettered    = "dead_lettered"    // failed again: a new dead letter holds it
	OutcomeSkipped         = "skipped"          // nothing to send (see Result.Skipped); not marked
	OutcomeAlreadyReplayed = "already_replayed" // an earlier replay took it
	OutcomeDuplicate       = "duplicate"        // the same event and mapping as another dead letter of this replay
)

// Filter narrows a replay to some of an instance's dead letters.
type Filter struct {
	Mapping string    // "" for every mapping
	Reason  string    // "" for every reason
	Since   time.Time // occurredAt at or after; zero for no bound
	Until   time.Time // occurredAt before; zero for no bound
}

// Matches reports whether dl is one of instance's dead letters that f selects.
func (f *Filter) Matches(instance string, dl *schemas.DeadLetter) bool {
	switch {
	case dl.Instance == "" || dl.Instance != instance:
		return false
	case f.Mapping != "" && dl.Mapping != f.Mapping:
		return false
	case f.Reason != "" && dl.Reason != f.Reason:
		return false
	case !f.Since.IsZero() && dl.OccurredAt.Before(f.Since):
		return false
	case !f.Until.IsZero() && !dl.OccurredAt.Before(f.Until):
		return false
	}
	return true
}

// heldByProcessor reports whether dl holds the event (the processor's stages) rather than
// the request's payload (the sender's).
func heldByProcessor(s schemas.Stage) bool {
	return s == schemas.StageFilter || s == schemas.StageRender || s == schemas.StageValidate
}

// Output is one record a replay writes: an action request or a dead letter.
type Output struct {
	Topic string
	Key   []byte
	Value []byte
}

// Decision is what replaying one dead letter comes to.
type Decision struct {
	Outcome string   // OutcomeReplayed, OutcomeDeadLettered or OutcomeSkipped
	Reason  string   // why it was skipped
	Outputs []Output // to write, in order
}

// Decider replays single dead letters with no Kafka. It keeps buffers between dead
// letters, so it is not safe for concurrent use.
type Decider struct {
	route    *route.Router
	decoder  *event.Decoder
	dlqTopic string
	now      func() time.Time

	// The dead letter being routed, for the observer methods.
	ws        *workspace.Workspace
	inst      *workspace.Instance
	dl        *schemas.DeadLetter
	key       []byte
	messageID string
	source    string
	out       []Output
	// For a backfill (Event): the record's write_key header, and the source asked for.
	writeKey, onlySource string
}

// NewDecider returns a decider whose new dead letters go to dlqTopic.
func NewDecider(dlqTopic string, limits event.Limits) *Decider {
	return &Decider{route: route.New(nil), decoder: event.NewSpecDecoder(limits), dlqTopic: dlqTopic, now: time.Now}
}

// Decide replays dl, a dead letter of instance keyed key, under ws.
func (d *Decider) Decide(ws *workspace.Workspace, instance string, mode Mode, dl *schemas.DeadLetter, key []byte) Decision {
	inst := ws.Instance(instance)
	if inst == nil {
		return Decision{Outcome: OutcomeSkipped, Reason: "the destination no longer exists"}
	}
	if !inst.Enabled {
		return Decision{Outcome: OutcomeSkipped, Reason: "the destination is disabled"}
	}
	d.ws, d.inst, d.dl, d.key, d.out = ws, inst, dl, key, nil
	if heldByProcessor(dl.Stage) {
		if mode == ModeStored {
			return Decision{Outcome: OutcomeSkipped, Reason: "holds an event, not a stored request"}
		}
		return d.reroute()
	}
	if mode == ModeRoute {
		return Decision{Outcome: OutcomeSkipped, Reason: "holds a stored request, not an event"}
	}
	return d.stored()
}

// Event routes one consumed event of source (the record at topic/partition/offset, keyed
// key, with its write_key header or "") through every enabled mapping of instance, as
// the pipeline would today: a backfill. A failure becomes a dead letter as in the pipeline.
func (d *Decider) Event(ws *workspace.Workspace, source, instance string, value []byte, writeKey, topic string, partition int32, offset int64, key []byte) Decision {
	inst := ws.Instance(instance)
	if inst == nil {
		return Decision{Outcome: OutcomeSkipped, Reason: "the destination no longer exists"}
	}
	if !inst.Enabled {
		return Decision{Outcome: OutcomeSkipped, Reason: "the destination is disabled"}
	}
	dl := &schemas.DeadLetter{Stage: schemas.StageRender, Original: value, Topic: topic, Partition: partition, Offset: offset, Instance: instance}
	d.ws, d.inst, d.dl, d.key, d.out = ws, inst, dl, key, nil
	d.writeKey, d.onlySource = writeKey, source
	defer func() { d.writeKey, d.onlySource = "", "" }()
	return d.reroute()
}

// stored sends the sender's dead letter's payload again as it was.
func (d *Decider) stored() Decision {
	value, err := schemas.AppendActionRequest(nil, &schemas.ActionRequest{
		Instance: d.inst.ID, Mapping: d.dl.Mapping, Action: d.dl.Action,
		MessageID: d.dl.Topic + "/" + strconv.Itoa(int(d.dl.Partition)) + "/" + strconv.FormatInt(d.dl.Offset, 10),
		Payload:   d.dl.Original, ConfigVersion: d.ws.Version, ReceivedAt: d.now(),
	})
	if err != nil {
		return Decision{Outcome: OutcomeSkipped, Reason: "encoding the action request failed"}
	}
	return Decision{Outcome: OutcomeReplayed, Outputs: []Output{{Topic: d.inst.Topic, Key: d.key, Value: value}}}
}

// reroute routes the processor's dead letter's event through today's mappings.
func (d *Decider) reroute() Decision {
	mappings := d.inst.Mappings
	if d.dl.Mapping != "" {
		mappings = nil
		for _, m := range d.inst.Mappings {
			if m.ID == d.dl.Mapping {
				mappings = []*workspace.Mapping{m}
			}
		}
		if mappings == nil {
			for _, m := range d.inst.AllMappings {
				if m.ID == d.dl.Mapping {
					return Decision{Outcome: OutcomeSkipped, Reason: "the mapping is disabled"}
				}
			}
			return Decision{Outcome: OutcomeSkipped, Reason: "the mapping no longer exists"}
		}
	}
	value, writeKey := d.dl.Original, d.writeKey
	if schemas.IsSingleObject(value) {
		env, err := schemas.DecodeEventEnvelope(value)
		if err != nil {
			return Decision{Outcome: OutcomeSkipped, Reason: "the event does not decode"}
		}
		value = env.Event
		if env.WriteKey != "" {
			writeKey = env.WriteKey
		}
	}
	src, why := d.sourceOf(writeKey)
	if src == nil {
		return Decision{Outcome: OutcomeSkipped, Reason: why}
	}
	if d.onlySource != "" && src.ID != d.onlySource {
		return Decision{Outcome: OutcomeSkipped, Reason: "another source's event"}
	}
	ev, err := d.decoder.Decode(value)
	if err != nil {
		return Decision{Outcome: OutcomeSkipped, Reason: "the event does not decode"}
	}
	d.source = src.ID
	if plan := d.route.Protocols(src, ev); plan.Blocked {
		return Decision{Outcome: OutcomeSkipped, Reason: "filtered by protocols"}
	}
	d.messageID = string(ev.GetStringBytes("messageId"))
	if d.messageID == "" {
		// The pipeline's identity of an event without a messageId: its position.
		d.messageID = "kafka:" + d.dl.Topic + "/" + strconv.Itoa(int(d.dl.Partition)) + "/" + strconv.FormatInt(d.dl.Offset, 10)
	}
	if len(d.key) == 0 {
		d.key = event.UserKey(ev)
	}
	return d.decision(d.route.Instance(src, d.inst, mappings, ev, d))
}

func (d *Decider) decision(o route.Outcome) Decision {
	switch o.Kind {
	case metrics.OutcomeRouted:
		return Decision{Outcome: OutcomeReplayed, Outputs: d.out}
	case metrics.OutcomeDeadLettered:
		return Decision{Outcome: OutcomeDeadLettered, Outputs: d.out}
	case metrics.OutcomeNoMatchingMapping:
		return Decision{Outcome: OutcomeSkipped, Reason: "no matching mapping"}
	default:
		reason := "filtered by " + string(o.Stage)
		if o.Filter != "" {
			reason = "filtered by " + o.Filter
		}
		return Decision{Outcome: OutcomeSkipped, Reason: reason}
	}
}

// sourceOf finds the event's source among the instance's: the write key's, else the one
// that reads the dead letter's topic.
func (d *Decider) sourceOf(writeKey string) (*workspace.Source, string) {
	var found *workspace.Source
	for _, s := range d.ws.Sources {
		if writeKey != "" && s.WriteKey != writeKey {
			continue
		}
		reads, connected := false, false
		for _, t := range s.Topics {
			reads = reads || t == d.dl.Topic
		}
		for _, i := range s.Instances {
			connected = connected || i == d.inst
		}
		if !reads || !connected {
			continue
		}
		if found != nil {
			return nil, "several of the destination's sources read the event's topic"
		}
		found = s
	}
	if found == nil {
		return nil, "no source of the destination reads the event's topic"
	}
	return found, ""
}

// FilterApplied is part of route.Observer; a replay counts only outcomes.
func (d *Decider) FilterApplied(*filter.Filter, *filter.Action, bool, bool) {}

// Triggered is part of route.Observer.
func (d *Decider) Triggered(*workspace.Mapping, bool) {}

// Request makes m's action request.
func (d *Decider) Request(m *workspace.Mapping, payload []byte) *route.Failure {
	value, err := schemas.AppendActionRequest(nil, &schemas.ActionRequest{
		Instance: d.inst.ID, Mapping: m.ID, Action: m.Action.Key, MessageID: d.messageID,
		Payload: payload, ConfigVersion: d.ws.Version, ReceivedAt: d.now(),
	})
	if err != nil {
		return &route.Failure{Stage: schemas.StageRender, Reason: "encoding the action request failed", Detail: err.Error()}
	}
	d.out = append(d.out, Output{Topic: d.inst.Topic, Key: d.key, Value: value})
	return nil
}

// Failed makes a new dead letter of the event, at its original position.
func (d *Decider) Failed(m *workspace.Mapping, f *route.Failure) {
	var mappingID, action string
	if m != nil {
		mappingID, action = m.ID, m.Action.Key
	}
	value, err := schemas.AppendDeadLetter(nil, &schemas.DeadLetter{
		Stage: f.Stage, Reason: f.Reason, Error: f.Detail, Original: d.dl.Original,
		Topic: d.dl.Topic, Partition: d.dl.Partition, Offset: d.dl.Offset,
		Source: d.source, Instance: d.inst.ID, Mapping: mappingID, Action: action, OccurredAt: d.now(),
	})
	if err != nil {
		return
	}
	d.out = append(d.out, Output{Topic: d.dlqTopic, Key: d.key, Value: value})
}

// dedupKey names what a dead letter replays: the event's position and the mapping (the
// processor's), or the stored request's position (the sender's).
func dedupKey(dl *schemas.DeadLetter) string {
	return dl.Topic + "/" + strconv.Itoa(int(dl.Partition)) + "/" + strconv.FormatInt(dl.Offset, 10) + "/" + dl.Mapping
}

var _ route.Observer = (*Decider)(nil)
