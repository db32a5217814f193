package protocols

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/fql"
)

// Reasons a blocked event carries. They are counted in the Delivery Overview, so they
// never change and never embed event data.
const (
	ReasonUnplannedEvent    = "unplanned event"
	ReasonInvalidProperties = "invalid properties"
	ReasonInvalidTraits     = "invalid traits"
	ReasonInvalidContext    = "invalid context"
	ReasonInternal          = "protocols internal error"
)

// Problem is one thing wrong with a tracking plan, at a path inside the plan.
type Problem struct {
	Path   string // e.g. `events["Order Completed"].properties`, `transformations[1].if`
	Reason string
}

func (p Problem) String() string { return p.Path + ": " + p.Reason }

// CompileError lists every problem of a plan, so that `actuate validate` can show them all
// at once instead of one per run.
type CompileError struct {
	PlanID   string
	Problems []Problem
}

func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tracking plan %q: ", e.PlanID)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

type policy uint8

const (
	allow policy = iota
	omit
	block
)

// part is a section of an event that a rule validates.
type part uint8

const (
	partProperties part = iota
	partTraits
	partContext
)

var partNames = [...]string{partProperties: "properties", partTraits: "traits", partContext: "context"}

// rule is one compiled JSON Schema with what Apply needs to act on its failures.
type rule struct {
	// name is the rule's path in the plan ("events.Order Completed.properties",
	// "identify.traits"): what violations are counted and shown by.
	name    string
	part    part
	schema  *jsonschema.Schema
	invalid policy
	reason  string
	// Planned keys, only filled when the part's unplanned policy is omit.
	omitUnplanned bool
	planned       map[string]struct{}
	patterns      []*regexp.Regexp
}

func (r *rule) plans(key string) bool {
	if _, ok := r.planned[key]; ok {
		return true
	}
	for _, re := range r.patterns {
		if re.MatchString(key) {
			return true
		}
	}
	return false
}

// rules of one event kind, in the order Apply validates them.
type rules []*rule

type transform struct {
	cond        *fql.Expr
	renameEvent string
	renames     []rename // sorted by from, for a stable order of edits
}

type rename struct{ from, to string }

// ID returns the plan's id.
func (p *Plan) ID() string { return p.id }

// Plan is a compiled tracking plan. The zero value and nil pass every event untouched.
type Plan struct {
	id              string
	events          map[string]rules
	identify, group rules
	blockUnplanned  bool
	reportUnplanned bool
	transforms      []transform
}

// Compile checks a tracking plan and prepares it for Apply. A nil plan compiles to a Plan
// that changes nothing. Every problem is reported, as a *CompileError.
func Compile(tp *config.TrackingPlan) (*Plan, error) {
	if tp == nil {
		return &Plan{}, nil
	}
	c := &compiler{js: newSchemaCompiler()}
	p := &Plan{id: tp.ID}

	ov := tp.OnViolation
	unplannedEvents := c.policy("on_violation.unplanned_events", ov.UnplannedEvents, allow, block)
	props := c.policy("on_violation.invalid_properties", ov.InvalidProperties, allow, omit, block)
	unplannedProps := c.policy("on_violation.unplanned_properties", ov.UnplannedProperties, allow, omit)
	traits := c.policy("on_violation.invalid_traits", ov.InvalidTraits, allow, omit, block)
	unplannedTraits := c.policy("on_violation.unplanned_traits", ov.UnplannedTraits, allow, omit)
	p.blockUnplanned = unplannedEvents == block
	p.reportUnplanned = p.blockUnplanned || len(tp.Events) > 0

	pol := partPolicies{
		partProperties: {props, unplannedProps == omit, ReasonInvalidProperties},
		partTraits:     {traits, unplannedTraits == omit, ReasonInvalidTraits},
		partContext:    {props, false, ReasonInvalidContext},
	}

	names := make([]string, 0, len(tp.Events))
	for name := range tp.Events {
		names = append(names, name)
	}
	slices.Sort(names) // problems in a stable order
	p.events = make(map[string]rules, len(names))
	for _, name := range names {
		base := "events[" + strconv.Quote(name) + "]"
		p.events[name] = c.rules(base, tp.Events[name], pol, partProperties, partTraits, partContext)
	}
	p.identify = c.rules("identify", tp.Identify, pol, partTraits, partContext)
	p.group = c.rules("group", tp.Group, pol, partTraits, partContext)

	for i, t := range tp.Transformations {
		p.transforms = append(p.transforms, c.transform(fmt.Sprintf("transformations[%d]", i), t))
	}

	if len(c.problems) > 0 {
		return nil, &CompileError{PlanID: tp.ID, Problems: c.problems}
	}
	return p, nil
}

type partPolicy struct {
	invalid       policy
	omitUnplanned bool
	reason        string
}

type partPolicies [len(partNames)]partPolicy

type compiler struct {
	js       *jsonschema.Compiler
	problems []Problem
	next     int // numbers schema resources
}

func (c *compiler) problem(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Reason: fmt.Sprintf(format, args...)})
}

var policyNames = [...]string{allow: "allow", omit: "omit", block: "block"}

func (c *compiler) policy(path, value string, allowed ...policy) policy {
	if value == "" {
		return allow
	}
	var want []string
	for _, p := range allowed {
		if value == policyNames[p] {
			return p
		}
		want = append(want, strconv.Quote(policyNames[p]))
	}
	c.problem(path, "unknown policy %q (want %s)", value, strings.Join(want, " or "))
	return allow
}

func (c *compiler) rules(base string, er config.EventRules, pol partPolicies, allowed ...part) rules {
	keys := make([]string, 0, len(er))
	for k := range er {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out rules
	for _, k := range keys {
		path := base + "." + k
		idx := slices.IndexFunc(allowed, func(p part) bool { return partNames[p] == k })
		if idx < 0 {
			var want []string
			for _, p := range allowed {
				want = append(want, partNames[p])
			}
			c.problem(path, "unknown part %q (want %s)", k, strings.Join(want, ", "))
			continue
		}
		r := c.rule(path, allowed[idx], er[k], pol[allowed[idx]])
		if r != nil {
			out = append(out, r)
		}
	}
	// Apply validates in part order, whatever order the keys sorted in.
	slices.SortFunc(out, func(a, b *rule) int { return int(a.part) - int(b.part) })
	return out
}

func (c *compiler) rule(path string, p part, text config.JSONText, pol partPolicy) *rule {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(text))
	if err != nil {
		c.problem(path, "invalid JSON Schema: not JSON: %v", err)
		return nil
	}
	c.next++
	url := fmt.Sprintf("%s%d.json", resourceBase, c.next)
	if err := c.js.AddResource(url, doc); err != nil {
		c.problem(path, "invalid JSON Schema: %s", schemaErrorText(err, url))
		return nil
	}
	sch, err := c.js.Compile(url)
	if err != nil {
		c.problem(path, "invalid JSON Schema: %s", schemaErrorText(err, url))
		return nil
	}
	r := &rule{name: path, part: p, schema: sch, invalid: pol.invalid, reason: pol.reason, omitUnplanned: pol.omitUnplanned}
	if r.omitUnplanned {
		c.plannedKeys(path, doc, r)
	}
	return r
}

// plannedKeys reads the top level of the schema document rather than the compiled schema:
// what the author listed is what is planned, whatever the keywords around it.
func (c *compiler) plannedKeys(path string, doc any, r *rule) {
	r.planned = map[string]struct{}{}
	obj, ok := doc.(map[string]any)
	if !ok {
		return
	}
	if props, ok := obj["properties"].(map[string]any); ok {
		for k := range props {
			r.planned[k] = struct{}{}
		}
	}
	if req, ok := obj["required"].([]any); ok {
		for _, k := range req {
			if s, ok := k.(string); ok {
				r.planned[s] = struct{}{}
			}
		}
	}
	if pats, ok := obj["patternProperties"].(map[string]any); ok {
		keys := make([]string, 0, len(pats))
		for k := range pats {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			re, err := regexp.Compile(k)
			if err != nil {
				c.problem(path+".patternProperties", "invalid pattern %q: %v", k, err)
				continue
			}
			r.patterns = append(r.patterns, re)
		}
	}
}

func (c *compiler) transform(base string, t config.Transformation) transform {
	var out transform
	if strings.TrimSpace(t.If) == "" {
		c.problem(base+".if", "a condition is required (a transformation applies only where it says)")
	} else if e, err := fql.Parse(t.If); err != nil {
		c.problem(base+".if", "%v", err)
	} else {
		out.cond = e
	}
	if t.RenameEvent == "" && len(t.RenameProperties) == 0 {
		c.problem(base, "does nothing: set rename_event or rename_properties")
	}
	out.renameEvent = t.RenameEvent
	targets := map[string]string{}
	froms := make([]string, 0, len(t.RenameProperties))
	for from := range t.RenameProperties {
		froms = append(froms, from)
	}
	slices.Sort(froms) // problems in a stable order
	for _, from := range froms {
		to := t.RenameProperties[from]
		path := base + ".rename_properties[" + strconv.Quote(from) + "]"
		switch {
		case from == "":
			c.problem(path, "empty property name")
			continue
		case to == "":
			c.problem(path, "empty new name")
			continue
		case from == to:
			continue
		}
		if other, dup := targets[to]; dup {
			c.problem(base+".rename_properties", "%q and %q are both renamed to %q; which value wins would be arbitrary", other, from, to)
			continue
		}
		targets[to] = from
		out.renames = append(out.renames, rename{from: from, to: to})
	}
	return out
}

// errNoRemoteRefs keeps compilation from reading files or the network: a plan must be
// self-contained, and config authors must not be able to make the processor fetch URLs.
var errNoRemoteRefs = errors.New("only references inside the schema itself are allowed")

type refuseLoader struct{}

func (refuseLoader) Load(string) (any, error) { return nil, errNoRemoteRefs }

func newSchemaCompiler() *jsonschema.Compiler {
	js := jsonschema.NewCompiler()
	js.DefaultDraft(jsonschema.Draft2020)
	js.AssertFormat()
	js.UseLoader(refuseLoader{})
	return js
}

// schemaErrorText turns the library's errors into text about the schema the author wrote,
// without the internal resource URL.
func schemaErrorText(err error, url string) string {
	var sve *jsonschema.SchemaValidationError
	if errors.As(err, &sve) {
		var verr *jsonschema.ValidationError
		if errors.As(sve.Err, &verr) {
			var parts []string
			leafErrors(verr, func(e *jsonschema.ValidationError) {
				loc := "/" + strings.Join(e.InstanceLocation, "/")
				parts = append(parts, "at "+strconv.Quote(loc)+": "+e.ErrorKind.LocalizedString(printer))
			})
			if len(parts) > 0 {
				return strings.Join(parts, "; ")
			}
		}
	}
	msg := err.Error()
	msg = strings.ReplaceAll(msg, url+"#", "#")
	msg = strings.ReplaceAll(msg, url, "schema")
	// Relative references resolve against the internal base; show them as written.
	return strings.ReplaceAll(msg, resourceBase, "")
}

// resourceBase is where schemas live inside the compiler; it never reaches the author.
const resourceBase = "mem://plan/"

// leafErrors visits the errors that say what is wrong, skipping the wrappers that only
// group them.
func leafErrors(e *jsonschema.ValidationError, f func(*jsonschema.ValidationError)) {
	if len(e.Causes) == 0 {
		f(e)
		return
	}
	for _, c := range e.Causes {
		leafErrors(c, f)
	}
}
