package fql

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/actuate/actuate/processor/jsvalue"
)

// Group is a trigger as a UI shows it: one list of conditions combined with
// ALL ("all", and) or ANY ("any", or), without nesting.
type Group struct {
	Match      string      `json:"match"` // MatchAll or MatchAny; "" means MatchAll
	Conditions []Condition `json:"conditions"`
}

// Condition is one row of a trigger builder.
type Condition struct {
	Kind string `json:"kind"` // KindEventType, KindEventName or KindProperty
	// Field is the dot path of a KindProperty condition (properties.plan,
	// context.page.path, traits.email, userId); empty for the other kinds.
	Field    string `json:"field,omitempty"`
	Operator string `json:"operator"`
	// Value is the text the user typed. Number operators take a number
	// (100, 2.5); < <= > >= also take an RFC 3339 timestamp. Exists,
	// not_exists, is_true and is_false take none.
	Value string `json:"value,omitempty"`
}

const (
	MatchAll = "all"
	MatchAny = "any"

	KindEventType = "event_type"
	KindEventName = "event_name"
	KindProperty  = "property"
)

// Condition operators, named as in Segment's subscription AST so that
// conditions exported from Segment carry over unchanged.
const (
	OpIs            = "="
	OpIsNot         = "!="
	OpNumberEquals  = "number_equals"
	OpNumberNot     = "number_not_equals"
	OpLess          = "<"
	OpLessEqual     = "<="
	OpGreater       = ">"
	OpGreaterEqual  = ">="
	OpContains      = "contains"
	OpNotContains   = "not_contains"
	OpStartsWith    = "starts_with"
	OpNotStartsWith = "not_starts_with"
	OpEndsWith      = "ends_with"
	OpNotEndsWith   = "not_ends_with"
	OpExists        = "exists"
	OpNotExists     = "not_exists"
	OpIsTrue        = "is_true"
	OpIsFalse       = "is_false"
)

var operatorsByKind = map[string][]string{
	KindEventType: {OpIs, OpIsNot},
	KindEventName: {OpIs, OpIsNot, OpContains, OpNotContains, OpStartsWith, OpNotStartsWith, OpEndsWith, OpNotEndsWith},
	KindProperty: {OpIs, OpIsNot, OpContains, OpNotContains, OpStartsWith, OpNotStartsWith, OpEndsWith, OpNotEndsWith,
		OpNumberEquals, OpNumberNot, OpLess, OpLessEqual, OpGreater, OpGreaterEqual, OpExists, OpNotExists, OpIsTrue, OpIsFalse},
}

// SelfServiceMaxConditions is the per-trigger limit of Segment's
// self-service plans.
const SelfServiceMaxConditions = 2

// BuildOption configures BuildTrigger.
type BuildOption func(*buildConfig)

type buildConfig struct {
	maxConditions int
}

// MaxConditions limits how many conditions a trigger may have (plan limits;
// SelfServiceMaxConditions for self-service). The default, 0, is no limit.
func MaxConditions(n int) BuildOption {
	return func(c *buildConfig) { c.maxConditions = n }
}

// ErrTooManyConditions is wrapped by the error BuildTrigger returns when a
// group exceeds MaxConditions.
var ErrTooManyConditions = errors.New("too many conditions")

// ConditionError says which condition of a group is invalid and why.
type ConditionError struct {
	Index int // 0-based position in Group.Conditions
	Msg   string
}

func (e *ConditionError) Error() string {
	return fmt.Sprintf("fql: condition %d: %s", e.Index+1, e.Msg)
}

// BuildTrigger turns builder conditions into FQL text. The text is in
// canonical form (Parse(text).String() == text) and, for values without
// glob characters or backslashes, exactly what Segment's generator emits.
func BuildTrigger(g Group, opts ...BuildOption) (string, error) {
	var cfg buildConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	sep := " and "
	switch g.Match {
	case MatchAll, "":
	case MatchAny:
		sep = " or "
	default:
		return "", fmt.Errorf("fql: match must be %q or %q, not %q", MatchAll, MatchAny, g.Match)
	}
	if len(g.Conditions) == 0 {
		return "", errors.New("fql: a trigger needs at least one condition")
	}
	if cfg.maxConditions > 0 && len(g.Conditions) > cfg.maxConditions {
		return "", fmt.Errorf("fql: %w: the trigger has %d and the plan allows %d", ErrTooManyConditions, len(g.Conditions), cfg.maxConditions)
	}
	parts := make([]string, len(g.Conditions))
	for i, c := range g.Conditions {
		text, msg := buildCondition(c)
		if msg != "" {
			return "", &ConditionError{Index: i, Msg: msg}
		}
		parts[i] = text
	}
	return strings.Join(parts, sep), nil
}

func buildCondition(c Condition) (string, string) {
	allowed, ok := operatorsByKind[c.Kind]
	if !ok {
		return "", fmt.Sprintf("kind must be %q, %q or %q, not %q", KindEventType, KindEventName, KindProperty, c.Kind)
	}
	if !containsString(allowed, c.Operator) {
		return "", fmt.Sprintf("operator %q is not available for %s conditions; use one of %s", c.Operator, c.Kind, strings.Join(allowed, ", "))
	}
	var field string
	switch c.Kind {
	case KindEventType:
		field = "type"
	case KindEventName:
		field = "event"
	}
	if field != "" && c.Field != "" && c.Field != field {
		return "", fmt.Sprintf("%s conditions have no field (found %q)", c.Kind, c.Field)
	}
	if field == "" {
		segments, msg := splitField(c.Field)
		if msg != "" {
			return "", msg
		}
		var b strings.Builder
		writePath(&b, segments)
		field = b.String()
	}
	if strings.ContainsAny(c.Value, `"~`) {
		return "", fmt.Sprintf(`the value %q contains %s; trigger values may not contain " or ~`, c.Value, forbiddenIn(c.Value))
	}
	switch c.Operator {
	case OpExists, OpNotExists, OpIsTrue, OpIsFalse:
		if c.Value != "" {
			return "", fmt.Sprintf("operator %s takes no value (found %q)", c.Operator, c.Value)
		}
	}
	switch c.Operator {
	case OpIs, OpIsNot:
		return field + " " + c.Operator + " " + quoteString(c.Value), ""
	case OpContains:
		return "contains(" + field + ", " + quoteString(c.Value) + ")", ""
	case OpNotContains:
		return "!contains(" + field + ", " + quoteString(c.Value) + ")", ""
	case OpStartsWith:
		return "match(" + field + ", " + quoteString(quoteGlob(c.Value)+"*") + ")", ""
	case OpNotStartsWith:
		return "!match(" + field + ", " + quoteString(quoteGlob(c.Value)+"*") + ")", ""
	case OpEndsWith:
		return "match(" + field + ", " + quoteString("*"+quoteGlob(c.Value)) + ")", ""
	case OpNotEndsWith:
		return "!match(" + field + ", " + quoteString("*"+quoteGlob(c.Value)) + ")", ""
	case OpExists:
		return field + " != null", ""
	case OpNotExists:
		return field + " = null", ""
	case OpIsTrue:
		return field + " = true", ""
	case OpIsFalse:
		return field + " = false", ""
	case OpNumberEquals, OpNumberNot:
		n, ok := parseConditionNumber(c.Value)
		if !ok {
			return "", fmt.Sprintf("operator %s needs a number, not %q", c.Operator, c.Value)
		}
		op := "="
		if c.Operator == OpNumberNot {
			op = "!="
		}
		return field + " " + op + " " + jsvalue.FormatNumber(n), ""
	}
	// < <= > >=
	if n, ok := parseConditionNumber(c.Value); ok {
		return field + " " + c.Operator + " " + jsvalue.FormatNumber(n), ""
	}
	if _, ok := parseTimestamp(c.Value); ok {
		return field + " " + c.Operator + " " + quoteString(c.Value), ""
	}
	return "", fmt.Sprintf("operator %s needs a number or an RFC 3339 timestamp, not %q", c.Operator, c.Value)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func forbiddenIn(s string) string {
	switch {
	case strings.Contains(s, `"`) && strings.Contains(s, "~"):
		return `" and ~`
	case strings.Contains(s, `"`):
		return `"`
	}
	return "~"
}

// parseConditionNumber accepts the decimal numbers a user types (100, -2.5,
// 1e3), trimming surrounding spaces, and nothing JavaScript-specific.
func parseConditionNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !isDecimalLiteral(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsInf(f, 0)
}

// splitField splits a builder field on dots. Field names are case-sensitive
// and may contain any character but a dot, which the FQL text escapes.
func splitField(field string) ([]string, string) {
	if field == "" {
		return nil, "property conditions need a field, such as properties.plan"
	}
	segments := strings.Split(field, ".")
	for _, s := range segments {
		if s == "" {
			return nil, fmt.Sprintf("field %q has an empty name between dots", field)
		}
	}
	return segments, ""
}

// ParseTrigger reads FQL text back into builder conditions. It accepts what
// BuildTrigger writes (and Segment's generator, and the same conditions
// written with other spacing or quotes, or exists as Segment's users write
// it: F exists is OpExists and !(F exists) OpNotExists, which BuildTrigger
// writes back as F != null and F = null); anything a builder cannot show,
// such as nested groups or functions other than contains and match, is an
// error that says which part. match(F, "*") reads as starts_with "", which
// means the same as ends_with "".
func ParseTrigger(src string) (Group, error) {
	expr, err := Parse(src)
	if err != nil {
		return Group{}, err
	}
	g := Group{Match: MatchAll}
	conditions := []node{expr.root}
	if l, ok := expr.root.(*logicNode); ok {
		conditions = l.xs
		if !l.isAnd {
			g.Match = MatchAny
		}
	}
	for _, n := range conditions {
		c, msg := conditionFromNode(n)
		if msg != "" {
			return Group{}, errorAt(n.position(), msg)
		}
		g.Conditions = append(g.Conditions, c)
	}
	return g, nil
}

func conditionFromNode(n node) (Condition, string) {
	negated := false
	if not, ok := n.(*notNode); ok {
		negated = true
		n = not.x
	}
	switch n := n.(type) {
	case *logicNode:
		return Condition{}, "a trigger is one group of conditions joined by only and or only or; nested groups cannot be shown as conditions"
	case *compareNode:
		if !negated {
			return conditionFromCompare(n)
		}
	case *existsNode:
		return conditionFromExists(n, negated)
	case *callNode:
		return conditionFromCall(n, negated)
	}
	return Condition{}, fmt.Sprintf("%s is not a trigger condition", exprText(n, negated))
}

func exprText(n node, negated bool) string {
	var b strings.Builder
	if negated {
		b.WriteByte('!')
	}
	if negated {
		writeNode(&b, n, precOperand)
	} else {
		writeNode(&b, n, precOr)
	}
	return b.String()
}

// builderField is the dot path a builder shows for p; a name that itself
// contains a dot cannot be shown that way.
func builderField(p *pathNode) (string, bool) {
	for _, s := range p.segments {
		if strings.Contains(s, ".") {
			return "", false
		}
	}
	return strings.Join(p.segments, "."), true
}

func conditionFromCompare(n *compareNode) (Condition, string) {
	path, ok := n.left.(*pathNode)
	lit, okLit := n.right.(*literalNode)
	if !ok || !okLit {
		return Condition{}, fmt.Sprintf("%s is not a trigger condition: expected a field on the left and a value on the right", exprText(n, false))
	}
	field, ok := builderField(path)
	if !ok {
		return Condition{}, fmt.Sprintf("%s is not a trigger condition: a builder field cannot contain a dot in a name", exprText(n, false))
	}
	c := Condition{Kind: KindProperty, Field: field}
	op := compareOpText[n.op]
	switch lit.val.kind {
	case kindString:
		c.Value = lit.val.str
		switch n.op {
		case opEq, opNe:
			c.Operator = op
		default:
			if !lit.isTimestamp {
				return Condition{}, fmt.Sprintf("%s is not a trigger condition: %s compares with a number or a timestamp", exprText(n, false), op)
			}
			c.Operator = op
		}
	case kindNumber:
		c.Value = jsvalue.FormatNumber(lit.val.num)
		switch n.op {
		case opEq:
			c.Operator = OpNumberEquals
		case opNe:
			c.Operator = OpNumberNot
		default:
			c.Operator = op
		}
	case kindBool:
		if n.op != opEq {
			return Condition{}, fmt.Sprintf("%s is not a trigger condition: use = true or = false", exprText(n, false))
		}
		c.Operator = OpIsFalse
		if lit.val.b {
			c.Operator = OpIsTrue
		}
	case kindNull:
		switch n.op {
		case opEq:
			c.Operator = OpNotExists
		case opNe:
			c.Operator = OpExists
		default:
			return Condition{}, fmt.Sprintf("%s is not a trigger condition", exprText(n, false))
		}
	}
	return classify(c)
}

// conditionFromExists reads Segment's "FIELD exists" and its negation
// !(FIELD exists) as the builder's exists / not exists, which BuildTrigger
// writes as FIELD != null / FIELD = null (Segment's generator does the same).
func conditionFromExists(n *existsNode, negated bool) (Condition, string) {
	field, ok := builderField(n.field)
	if !ok {
		return Condition{}, fmt.Sprintf("%s is not a trigger condition: a builder field cannot contain a dot in a name", exprText(n, negated))
	}
	c := Condition{Kind: KindProperty, Field: field, Operator: OpExists}
	if negated {
		c.Operator = OpNotExists
	}
	return classify(c)
}

func conditionFromCall(n *callNode, negated bool) (Condition, string) {
	if n.fn.id != fnContains && n.fn.id != fnMatch {
		return Condition{}, fmt.Sprintf("%s is not a trigger condition: only contains() and match() are", exprText(n, negated))
	}
	path, ok := n.args[0].(*pathNode)
	lit, okLit := n.args[1].(*literalNode)
	if !ok || !okLit || lit.val.kind != kindString {
		return Condition{}, fmt.Sprintf("%s is not a trigger condition: expected a field and a string", exprText(n, negated))
	}
	field, ok := builderField(path)
	if !ok {
		return Condition{}, fmt.Sprintf("%s is not a trigger condition: a builder field cannot contain a dot in a name", exprText(n, negated))
	}
	c := Condition{Kind: KindProperty, Field: field}
	if n.fn.id == fnContains {
		c.Operator, c.Value = OpContains, lit.val.str
		if negated {
			c.Operator = OpNotContains
		}
		return classify(c)
	}
	shape := n.shape
	if shape == globSuffix && n.shapeText == "" {
		// "*" is both "starts with nothing" and "ends with nothing"; Segment
		// reads it as the former.
		shape = globPrefix
	}
	switch shape {
	case globPrefix:
		c.Operator = OpStartsWith
		if negated {
			c.Operator = OpNotStartsWith
		}
	case globSuffix:
		c.Operator = OpEndsWith
		if negated {
			c.Operator = OpNotEndsWith
		}
	default:
		return Condition{}, fmt.Sprintf("%s is not a trigger condition: a pattern must be \"text*\" (starts with) or \"*text\" (ends with)", exprText(n, negated))
	}
	c.Value = n.shapeText
	return classify(c)
}

// classify moves conditions on type and event to their own kinds when the
// builder offers the operator there, and checks the value rules.
func classify(c Condition) (Condition, string) {
	switch c.Field {
	case "type":
		if containsString(operatorsByKind[KindEventType], c.Operator) {
			c.Kind, c.Field = KindEventType, ""
		}
	case "event":
		if containsString(operatorsByKind[KindEventName], c.Operator) {
			c.Kind, c.Field = KindEventName, ""
		}
	}
	if strings.ContainsAny(c.Value, `"~`) {
		return Condition{}, fmt.Sprintf(`the value %q contains %s; trigger values may not contain " or ~`, c.Value, forbiddenIn(c.Value))
	}
	return c, ""
}
