package protocols

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"github.com/valyala/fastjson"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// MaxViolations bounds the violations listed for one event: a long array of bad items
// must not turn one event into thousands of log lines. The rest are summarised.
const MaxViolations = 20

// maxMessage bounds one violation message (enum lists come from the schema and can be long).
const maxMessage = 200

// Violation is one way an event breaks the plan.
type Violation struct {
	// Rule names the part of the plan broken: the rule's path in the plan
	// ("events.Order Completed.properties", "identify.traits"), RuleUnplannedEvent or
	// RuleInternal. Its values are bounded by the plan, so it can label a metric.
	Rule    string `json:"rule"`
	Path    string `json:"path"` // where in the event, dot-separated: "properties.products.2.price"
	Message string `json:"message"`
}

// Rules of violations that no rule of the plan produced.
const (
	RuleUnplannedEvent = "unplanned event"
	RuleInternal       = "internal"
	// RuleUnlisted is the rule of the entry that counts violations past MaxViolations.
	RuleUnlisted = "unlisted"
)

// Outcome is what the plan decided for one event.
type Outcome struct {
	// Blocked: the event must not reach any destination of this source.
	Blocked bool
	// Reason is one of the Reason constants when Blocked, and empty otherwise.
	Reason     string
	Violations []Violation
	// Omitted lists the paths removed from the event ("properties.coupon").
	Omitted []string
}

var printer = message.NewPrinter(language.English)

var converters = sync.Pool{New: func() any { return &converter{nums: make([]byte, 0, 256)} }}

// emptyPart stands in for a missing part. The validator only reads it.
var emptyPart = map[string]any{}

// checked is one validated part, kept until every part was judged so that a blocked event
// is never half edited.
type checked struct {
	r      *rule
	obj    *fastjson.Value // the part, when it is an object
	prefix string          // its path in the event
	omit   []string        // top-level keys to remove
}

// Apply judges ev against the plan and edits it in place: omitted keys are deleted, renamed
// ones set with values made in arena (a nil arena is allowed and costs a fresh one per
// rename). ev must not be used concurrently; the Plan may be.
func (p *Plan) Apply(ev *fastjson.Value, arena *fastjson.Arena) (out Outcome) {
	if p == nil || ev == nil || ev.Type() != fastjson.TypeObject {
		return Outcome{}
	}
	defer func() {
		// A bug here must not take the partition down, nor let an event through that the
		// plan might have blocked.
		if r := recover(); r != nil {
			out = Outcome{Blocked: true, Reason: ReasonInternal, Violations: []Violation{{
				Rule:    RuleInternal,
				Message: truncate(fmt.Sprintf("tracking plan could not be applied: %v", r)),
			}}}
		}
	}()

	var rs rules
	switch string(ev.GetStringBytes("type")) {
	case "track":
		name := ev.GetStringBytes("event")
		var planned bool
		rs, planned = p.events[string(name)]
		if !planned && p.reportUnplanned {
			out.Violations = append(out.Violations, Violation{
				Rule:    RuleUnplannedEvent,
				Path:    "event",
				Message: "event " + strconv.Quote(truncate(string(name))) + " is not in the tracking plan",
			})
			if p.blockUnplanned {
				out.Blocked, out.Reason = true, ReasonUnplannedEvent
				return out
			}
		}
	case "identify":
		rs = p.identify
	case "group":
		rs = p.group
	}

	if len(rs) > 0 {
		var buf [3]checked
		parts := buf[:0]
		dropped := 0
		for _, r := range rs {
			ck, blocked := p.check(ev, r, &out, &dropped)
			if blocked && !out.Blocked {
				out.Blocked, out.Reason = true, r.reason
			}
			parts = append(parts, ck)
		}
		if dropped > 0 {
			out.Violations = append(out.Violations, Violation{Rule: RuleUnlisted, Message: strconv.Itoa(dropped) + " more violations not listed"})
		}
		if out.Blocked {
			return out
		}
		for i := range parts {
			parts[i].apply(&out)
		}
	}

	for i := range p.transforms {
		p.transforms[i].apply(ev, arena)
	}
	return out
}

// locate finds the part a rule validates.
func locate(ev *fastjson.Value, pt part) (*fastjson.Value, string) {
	switch pt {
	case partTraits:
		if v := ev.Get("traits"); v != nil && v.Type() != fastjson.TypeNull {
			return v, "traits"
		}
		if v := ev.Get("context", "traits"); v != nil && v.Type() != fastjson.TypeNull {
			return v, "context.traits"
		}
		return nil, "traits"
	default:
		name := partNames[pt]
		if v := ev.Get(name); v != nil && v.Type() != fastjson.TypeNull {
			return v, name
		}
		return nil, name
	}
}

// check validates one part, records its violations in out and reports whether the rule
// blocks the event.
func (p *Plan) check(ev *fastjson.Value, r *rule, out *Outcome, dropped *int) (checked, bool) {
	v, prefix := locate(ev, r.part)
	ck := checked{r: r, prefix: prefix}
	if v != nil && v.Type() == fastjson.TypeObject {
		ck.obj = v
	}

	var doc any = emptyPart
	conv := converters.Get().(*converter)
	defer func() {
		// One event full of long numbers must not pin a large buffer in the pool.
		if cap(conv.nums) <= 64<<10 {
			conv.nums = conv.nums[:0]
			converters.Put(conv)
		}
	}()
	if v != nil {
		var ok bool
		if doc, ok = conv.convert(v, 0); !ok {
			addViolation(out, dropped, r, prefix, "nested too deeply to validate")
			return ck, r.invalid == block
		}
	}

	err := validate(r.schema, doc)
	if err == nil {
		if r.omitUnplanned && ck.obj != nil {
			ck.omit = unplannedKeys(ck.obj, r, ck.omit)
		}
		return ck, false
	}
	col := collector{prefix: prefix, omit: r.invalid == omit}
	if verr, ok := err.(*jsonschema.ValidationError); ok {
		col.walk(verr)
	} else {
		col.add(prefix, truncate("could not validate: "+err.Error()))
	}
	// The validator walks objects in map order; sorting makes the listing, and which
	// violations survive the cap, the same for the same event every time.
	slices.SortStableFunc(col.found, func(a, b Violation) int { return strings.Compare(a.Path, b.Path) })
	for _, v := range col.found {
		addViolation(out, dropped, r, v.Path, v.Message)
	}
	if r.invalid == block {
		return ck, true
	}
	if r.invalid == omit {
		ck.omit = col.keys
	}
	if r.omitUnplanned && ck.obj != nil {
		ck.omit = unplannedKeys(ck.obj, r, ck.omit)
	}
	return ck, false
}

func validate(s *jsonschema.Schema, doc any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validator failed: %v", r)
		}
	}()
	return s.Validate(doc)
}

func unplannedKeys(obj *fastjson.Value, r *rule, keys []string) []string {
	o, _ := obj.Object()
	o.Visit(func(k []byte, _ *fastjson.Value) {
		if !r.plans(string(k)) {
			keys = appendKey(keys, string(k))
		}
	})
	return keys
}

func appendKey(keys []string, k string) []string {
	for _, have := range keys {
		if have == k {
			return keys
		}
	}
	return append(keys, k)
}

func (ck *checked) apply(out *Outcome) {
	if ck.obj == nil || len(ck.omit) == 0 {
		return
	}
	// Remove in the event's key order, whatever order the validator found them in, so
	// that Omitted reads the same for the same event every time.
	o, _ := ck.obj.Object()
	var order []string
	o.Visit(func(k []byte, _ *fastjson.Value) {
		if slices.Contains(ck.omit, string(k)) {
			order = appendKey(order, string(k))
		}
	})
	for _, k := range order {
		// Del removes one entry; a tree built by hand may hold the key twice.
		for ck.obj.Get(k) != nil {
			ck.obj.Del(k)
		}
		out.Omitted = append(out.Omitted, ck.prefix+"."+k)
	}
}

func (t *transform) apply(ev *fastjson.Value, arena *fastjson.Arena) {
	if t.cond == nil || !t.cond.Match(ev) {
		return
	}
	if t.renameEvent != "" {
		if arena == nil {
			arena = new(fastjson.Arena)
		}
		ev.Set("event", arena.NewString(t.renameEvent))
	}
	if len(t.renames) == 0 {
		return
	}
	props := ev.Get("properties")
	if props == nil || props.Type() != fastjson.TypeObject {
		return
	}
	// Read every source before writing any target, so that chains and swaps do not
	// depend on the order the renames are listed in.
	var buf [8]*fastjson.Value
	vals := buf[:0]
	for _, rn := range t.renames {
		vals = append(vals, props.Get(rn.from))
	}
	for i, rn := range t.renames {
		if vals[i] != nil {
			props.Del(rn.from)
		}
	}
	for i, rn := range t.renames {
		if vals[i] != nil {
			props.Set(rn.to, vals[i])
		}
	}
}

// collector turns a validation error tree into violations and the keys to omit.
type collector struct {
	prefix string
	omit   bool
	found  []Violation
	keys   []string
}

func (c *collector) walk(e *jsonschema.ValidationError) {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		if len(e.Causes) > 0 {
			for _, cause := range e.Causes {
				c.walk(cause)
			}
			return
		}
	case *kind.Required:
		for _, name := range k.Missing {
			c.add(join(c.prefix, e.InstanceLocation, name), "required property is missing")
		}
		c.omitAt(e.InstanceLocation, "")
		return
	case *kind.AdditionalProperties:
		for _, name := range k.Properties {
			c.add(join(c.prefix, e.InstanceLocation, name), "property is not allowed by the schema")
			c.omitAt(e.InstanceLocation, name)
		}
		return
	}
	c.add(join(c.prefix, e.InstanceLocation, ""), describe(e.ErrorKind))
	c.omitAt(e.InstanceLocation, "")
}

func (c *collector) add(path, msg string) {
	c.found = append(c.found, Violation{Path: path, Message: msg})
}

// omitAt records the top-level key a failure at loc (or at loc's child name) points into.
func (c *collector) omitAt(loc []string, name string) {
	if !c.omit {
		return
	}
	switch {
	case len(loc) > 0:
		c.keys = appendKey(c.keys, loc[0])
	case name != "":
		c.keys = appendKey(c.keys, name)
	}
}

func addViolation(out *Outcome, dropped *int, r *rule, path, msg string) {
	if len(out.Violations) >= MaxViolations {
		*dropped++
		return
	}
	out.Violations = append(out.Violations, Violation{Rule: r.name, Path: path, Message: msg})
}

// join builds a violation path; it always returns a fresh string, never one aliasing the
// event.
func join(prefix string, loc []string, name string) string {
	n := len(prefix)
	for _, s := range loc {
		n += 1 + len(s)
	}
	if name != "" {
		n += 1 + len(name)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(prefix)
	for _, s := range loc {
		b.WriteByte('.')
		b.WriteString(s)
	}
	if name != "" {
		b.WriteByte('.')
		b.WriteString(name)
	}
	return b.String()
}

// describe words a failure without quoting the event's value: the library's own messages
// for pattern and format repeat the offending string.
func describe(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Pattern:
		return truncate("does not match pattern " + strconv.Quote(k.Want))
	case *kind.Format:
		return truncate("is not a valid " + k.Want)
	case *kind.PropertyNames:
		return "a property name is not allowed by the schema"
	}
	return truncate(k.LocalizedString(printer))
}

func truncate(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
