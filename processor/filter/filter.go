// Package filter is the runtime form of destination filters (Segment's Public API filter
// objects). A filter is compiled once per config version into a typed Filter; a Runner
// applies an instance's filters to one event, in order:
//
//  1. A filter scoped to another source is skipped.
//  2. Its condition is evaluated. False: the filter does nothing. Undecidable (an error
//     while evaluating): the event is dropped, failing closed, since the filter was meant
//     to stop something.
//  3. Its actions run in order. drop_event drops the event; sample_event keeps the given
//     share (at random, or by a hash of the value at path, so one user is always kept or
//     always dropped); allow_properties and drop_properties edit the event's
//     properties, traits or context. The first edit works on a private copy of the event,
//     so other instances still see the event as it arrived.
//
// The package reads the event only through fastjson and fql; it knows nothing of Kafka or
// HTTP.
package filter

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/fql"
)

// Kind is what a filter action does.
type Kind uint8

// The action kinds, named as in the config.
const (
	Drop Kind = iota + 1
	Sample
	AllowProperties
	DropProperties
)

// Config names of the kinds, with the short names of Segment's Public API as aliases.
const (
	NameDrop            = "drop_event"
	NameSample          = "sample_event"
	NameAllowProperties = "allow_properties"
	NameDropProperties  = "drop_properties"
)

var kindsByName = map[string]Kind{
	NameDrop: Drop, "drop": Drop, NameSample: Sample, "sample": Sample,
	NameAllowProperties: AllowProperties, NameDropProperties: DropProperties,
}

func (k Kind) String() string {
	switch k {
	case Drop:
		return NameDrop
	case Sample:
		return NameSample
	case AllowProperties:
		return NameAllowProperties
	case DropProperties:
		return NameDropProperties
	}
	return "unknown"
}

// Parts are the parts of an event whose keys property filters edit.
var Parts = []string{"properties", "traits", "context"}

// Action is one compiled filter action.
type Action struct {
	Kind    Kind
	Percent float64             // Sample: the share kept, 0 to 1
	Path    string              // Sample: keep by a hash of this field's value; empty: at random
	Fields  map[string][]string // property edits: keys per part
}

// Filter is a compiled, enabled destination filter.
type Filter struct {
	Name     string // title, id or position: what the Delivery Overview shows
	SourceID string // empty: every source of the instance
	If       *fql.Expr
	Actions  []Action
}

// Problem is one reason a filter config is invalid; Path is relative to the filter
// ("if", "actions[1].percent").
type Problem struct {
	Path   string
	Reason string
}

// Compile checks fc (the index-th filter of its instance) and compiles it. It never
// changes fc. The filter is nil when there are problems.
func Compile(fc *config.Filter, index int) (*Filter, []Problem) {
	var problems []Problem
	fail := func(path, format string, args ...any) {
		problems = append(problems, Problem{Path: path, Reason: fmt.Sprintf(format, args...)})
	}
	f := &Filter{Name: fc.Title, SourceID: fc.SourceID}
	if f.Name == "" {
		f.Name = fc.ID
	}
	if f.Name == "" {
		f.Name = fmt.Sprintf("filter %d", index+1)
	}
	if fc.If == "" {
		fail("if", "is required (use `all` semantics with an expression such as `type != null`)")
	} else if expr, err := fql.Parse(fc.If); err != nil {
		fail("if", "%v", err)
	} else {
		f.If = expr
	}
	if len(fc.Actions) == 0 {
		fail("actions", "a filter needs at least one action")
	}
	for i := range fc.Actions {
		a, path, reason := compileAction(&fc.Actions[i])
		if reason != "" {
			fail(fmt.Sprintf("actions[%d]%s", i, path), "%s", reason)
			continue
		}
		f.Actions = append(f.Actions, a)
	}
	if problems != nil {
		return nil, problems
	}
	return f, nil
}

// compileAction returns the action, or the path under the action and the reason it is
// invalid.
func compileAction(ac *config.FilterAction) (Action, string, string) {
	kind, ok := kindsByName[ac.Type]
	switch {
	case ac.Type == "":
		return Action{}, ".type", "is required"
	case !ok:
		return Action{}, ".type", fmt.Sprintf("unknown filter action %q; use drop_event, sample_event, allow_properties or drop_properties", ac.Type)
	}
	a := Action{Kind: kind}
	switch kind {
	case Sample:
		if ac.Percent < 0 || ac.Percent > 1 || math.IsNaN(ac.Percent) {
			return Action{}, ".percent", fmt.Sprintf("%v is outside 0 to 1 (the share of events kept)", ac.Percent)
		}
		a.Percent, a.Path = ac.Percent, ac.Path
	case AllowProperties, DropProperties:
		if len(ac.Fields) == 0 {
			return Action{}, ".fields", "lists no fields"
		}
		a.Fields = make(map[string][]string, len(ac.Fields))
		for part, keys := range ac.Fields {
			if !slices.Contains(Parts, part) {
				return Action{}, ".fields." + part, "unknown part; use properties, traits or context"
			}
			a.Fields[part] = slices.Clone(keys)
		}
	}
	return a, "", ""
}

// Verdict is what an instance's filters decided for one event.
type Verdict uint8

const (
	// Pass: the event goes on to the instance's triggers (perhaps edited).
	Pass Verdict = iota
	// Dropped: a filter dropped the event (drop_event, sample_event, or an undecidable
	// condition).
	Dropped
	// CopyFailed: the event could not be copied for a property edit; it is dead-lettered.
	CopyFailed
)

// Observer is told each filter's effect; the Event Tester shows them. Pass nil when no one
// is watching.
type Observer interface {
	// FilterApplied reports that f's condition held (or could not be decided:
	// undecidable) and what its action a did: kept is false when it dropped the event.
	FilterApplied(f *Filter, a *Action, undecidable, kept bool)
}

// Runner applies filters to events. It keeps buffers between events, so it is not safe for
// concurrent use: one per worker.
type Runner struct {
	rng     *rand.Rand
	copier  fastjson.Parser
	scratch []byte
}

// NewRunner returns a runner that samples at random with rng (nil: a randomly seeded one).
func NewRunner(rng *rand.Rand) *Runner {
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return &Runner{rng: rng}
}

// Apply runs filters on ev, an event of source sourceID. It returns the event to route
// (ev, or a private copy when a filter edited it), the verdict and, when dropped, the
// filter that dropped it. ev itself is never changed.
func (r *Runner) Apply(filters []*Filter, sourceID string, ev *fastjson.Value, obs Observer) (*fastjson.Value, Verdict, *Filter) {
	out := ev
	for _, f := range filters {
		if f.SourceID != "" && f.SourceID != sourceID {
			continue
		}
		switch f.If.Eval(out) {
		case fql.False:
			continue
		case fql.True:
		default:
			if obs != nil {
				obs.FilterApplied(f, nil, true, false)
			}
			return out, Dropped, f
		}
		for i := range f.Actions {
			a := &f.Actions[i]
			kept := true
			switch a.Kind {
			case Drop:
				kept = false
			case Sample:
				kept = r.sampled(out, a.Percent, a.Path)
			case AllowProperties, DropProperties:
				if out == ev {
					if out = r.privateCopy(ev); out == nil {
						return ev, CopyFailed, f
					}
				}
				editProperties(out, a.Kind == AllowProperties, a.Fields)
			}
			if obs != nil {
				obs.FilterApplied(f, a, false, kept)
			}
			if !kept {
				return out, Dropped, f
			}
		}
	}
	return out, Pass, nil
}

// sampled keeps percent of events: at random, or by a hash of the value at path.
func (r *Runner) sampled(ev *fastjson.Value, percent float64, path string) bool {
	if percent >= 1 {
		return true
	}
	if path == "" {
		return r.rng.Float64() < percent
	}
	h := fnv.New64a()
	if v := lookupDotted(ev, path); v != nil {
		r.scratch = v.MarshalTo(r.scratch[:0])
		h.Write(r.scratch)
	}
	return float64(h.Sum64()) < percent*math.MaxUint64
}

func (r *Runner) privateCopy(ev *fastjson.Value) *fastjson.Value {
	r.scratch = ev.MarshalTo(r.scratch[:0])
	cp, err := r.copier.ParseBytes(r.scratch)
	if err != nil {
		return nil
	}
	return cp
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
			if !slices.Contains(keys, string(k)) {
				drop = append(drop, string(k))
			}
		})
		for _, k := range drop {
			obj.Del(k)
		}
	}
}
