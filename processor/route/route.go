// Package route is what happens to one event for one destination instance, written once
// for the pipeline (processor/router) and the Event Tester (processor/tester):
//
//  1. Before any instance: the source's tracking plan (Protocols) judges the event, may
//     edit it, and may block it for every instance of the source (Router.Protocols);
//     then, with data models, the event is enriched: its `enrichments` object holds the
//     row of each model whose key is the event's value at the model's key (enrich.go);
//     with profiles, the user's profile is updated from the event and set as its
//     `profile` object (profile.go).
//  2. Per instance (Router.Instance): an event of a user a privacy regulation suppresses
//     is filtered with stage "suppressed" (suppress.go); then Segment's per-event controls
//     (the event's consent against the instance's consent categories, then its
//     integrations object: controls.go), the instance's destination filters in order (package filter), then
//     each mapping's trigger; each matching mapping is rendered and its payload validated
//     against the action's fields.
//  3. The instance's outcome: filtered (by protocols, consent, the integrations object or
//     a named filter), no matching mapping, routed (at least one request), or
//     dead-lettered (every matched mapping failed, or the event could not be copied for
//     a property filter).
//
// What to do with each step (emit a request, write a dead letter, count, or report to a
// person) is the caller's: an Observer hears every step as it happens. The package has no
// Kafka and no HTTP in it.
package route

import (
	"math/rand/v2"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/filter"
	"github.com/actuate/actuate/processor/fql"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/actuate/actuate/processor/mapping"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/protocols"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Reasons of the failures routing reports, as dead letters carry them.
const (
	ReasonFilterFailed     = "filter failed"
	ReasonMappingFailed    = "mapping failed"
	ReasonValidationFailed = "payload validation failed"
)

// Failure is why one mapping (or the whole instance, for a filter that could not copy
// the event) produced no request.
type Failure struct {
	Stage  schemas.Stage // StageFilter, StageRender or StageValidate
	Reason string        // one of the Reason constants, or the observer's own
	Detail string        // the error, naming the field
	// Payload is the rendered payload that failed validation (nil otherwise); only valid
	// during the call.
	Payload []byte
}

// Observer hears each step of routing an event through an instance, in order.
type Observer interface {
	filter.Observer
	// Triggered reports whether m's trigger matched.
	Triggered(m *workspace.Mapping, matched bool)
	// Request receives m's validated payload, valid only during the call. An error
	// (the request could not be made from it) fails the mapping at StageRender with that
	// reason and detail.
	Request(m *workspace.Mapping, payload []byte) *Failure
	// Failed reports a mapping, or with m nil the instance, that produced no request.
	Failed(m *workspace.Mapping, f *Failure)
}

// Outcome is an instance's final outcome for one event: exactly one per event and
// instance, so outcomes add up to the events received.
type Outcome struct {
	Kind   string        // metrics.Outcome*
	Stage  schemas.Stage // protocols, consent, integrations, filter, trigger or mapping; empty when routed
	Filter string        // the filter's name, when a filter dropped the event
}

// Router routes events. It keeps buffers between events, so it is not safe for concurrent
// use: one per worker.
type Router struct {
	filters   *filter.Runner
	arena     fastjson.Arena
	payload   []byte
	members   []jsvalue.Member // of payload
	validated []byte
	// copied holds what the event's mappings looked up and wrote, for the other mappings
	// of the same event (most copy `$.properties`, read `$.userId` and the like); looked the
	// field lookups and results of its triggers, for the other triggers (most read `type`
	// and `event`; mappings share triggers). Protocols sets both to the event; they serve
	// nothing else (an instance's edited copy).
	copied mapping.EventJSON
	looked fql.Memo
	// controls are the event's integrations object and consent (controls.go).
	controls controls
	// enrich holds the data model rows and the rows the current event used (enrich.go).
	enrich enrichment
	// profile holds the profile state and what the profile step did (profile.go).
	profile profiling
	// suppression holds the users privacy regulations suppress; suppressed is whether the
	// current event's user is one (suppress.go).
	suppression Suppression
	suppressed  bool
}

// New returns a router whose sample filters draw from rng (nil: randomly seeded).
func New(rng *rand.Rand) *Router {
	return &Router{filters: filter.NewRunner(rng)}
}

// Protocols applies src's tracking plan to ev, editing it in place, and prepares the
// router for a new event. Call it once per event, before Instance, even for a source
// without a plan.
func (r *Router) Protocols(src *workspace.Source, ev *fastjson.Value) protocols.Outcome {
	r.copied.Reset(ev)
	r.looked.Reset(ev)
	r.arena.Reset()
	r.profile.done = stepDone{}
	var out protocols.Outcome
	if src.Plan != nil {
		out = src.Plan.Apply(ev, &r.arena)
	}
	if !out.Blocked {
		r.enrichEvent(src, ev)
		r.profileEvent(src, ev)
	}
	r.controls.load(ev)
	r.suppressed = r.suppressedUser(ev)
	return out
}

// Blocked is the outcome of every instance of a source for an event its tracking plan
// blocked.
var Blocked = Outcome{Kind: metrics.OutcomeFiltered, Stage: schemas.StageProtocols}

// Instance routes ev, an event of src after Protocols, through inst. mappings is
// inst.Mappings (the pipeline) or inst.AllMappings (the Event Tester, which also tries
// disabled mappings); only enabled mappings decide the outcome.
func (r *Router) Instance(src *workspace.Source, inst *workspace.Instance, mappings []*workspace.Mapping, ev *fastjson.Value, obs Observer) Outcome {
	if r.suppressed {
		return Suppressed
	}
	if out, ok := r.controls.allows(inst); !ok {
		return out
	}
	instEvent, verdict, f := r.filters.Apply(inst.Filters, src.ID, ev, obs)
	switch verdict {
	case filter.Dropped:
		return Outcome{Kind: metrics.OutcomeFiltered, Stage: schemas.StageFilter, Filter: f.Name}
	case filter.CopyFailed:
		obs.Failed(nil, &Failure{Stage: schemas.StageFilter, Reason: ReasonFilterFailed,
			Detail: "copying the event for property filter " + f.Name + " failed"})
		return Outcome{Kind: metrics.OutcomeDeadLettered, Stage: schemas.StageFilter, Filter: f.Name}
	}
	matched, routed := false, false
	for _, m := range mappings {
		// An edited copy (instEvent != ev) is read without the event's memos.
		hit := m.Trigger.MatchMemo(instEvent, &r.looked)
		obs.Triggered(m, hit)
		if !hit {
			continue
		}
		matched = matched || m.Enabled
		var err error
		r.payload, r.members, err = m.Mapping.AppendJSONMembersCached(r.payload[:0], instEvent, r.members, &r.copied)
		if err != nil {
			obs.Failed(m, &Failure{Stage: schemas.StageRender, Reason: ReasonMappingFailed, Detail: err.Error()})
			continue
		}
		r.validated, err = m.Action.AppendValidatedMembers(r.validated[:0], r.payload, r.members)
		if err != nil {
			obs.Failed(m, &Failure{Stage: schemas.StageValidate, Reason: ReasonValidationFailed, Detail: err.Error(), Payload: r.payload})
			continue
		}
		if fail := obs.Request(m, r.validated); fail != nil {
			obs.Failed(m, fail)
			continue
		}
		routed = routed || m.Enabled
	}
	switch {
	case !matched:
		return Outcome{Kind: metrics.OutcomeNoMatchingMapping, Stage: schemas.StageTrigger}
	case routed:
		return Outcome{Kind: metrics.OutcomeRouted}
	default:
		return Outcome{Kind: metrics.OutcomeDeadLettered, Stage: schemas.StageMapping}
	}
}
