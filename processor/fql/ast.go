package fql

import (
	"math"
	"strings"

	"github.com/valyala/fastjson"
)

// node is one compiled piece of an expression. Everything that can be worked
// out from the source alone (path segments, literal conversions, the shape of
// a glob) is worked out when the node is built, so eval only reads the event.
type node interface {
	eval(event *fastjson.Value, m *Memo) value
	position() int
}

type literalNode struct {
	at  int
	val value
	// For string literals: the literal read as a number (JavaScript's
	// Number(), NaN when not numeric) and as an RFC 3339 timestamp.
	asNumber    float64
	timestamp   int64
	isTimestamp bool
}

func newLiteral(at int, v value) *literalNode {
	lit := &literalNode{at: at, val: v, asNumber: math.NaN()}
	switch v.kind {
	case kindString:
		lit.asNumber = stringToNumber(v.str)
		lit.timestamp, lit.isTimestamp = parseTimestamp(v.str)
	case kindNumber:
		lit.asNumber = v.num
	}
	return lit
}

func (n *literalNode) eval(*fastjson.Value, *Memo) value { return n.val }
func (n *literalNode) position() int                     { return n.at }

type listNode struct {
	at    int
	items []*literalNode
	val   value
}

func (n *listNode) eval(*fastjson.Value, *Memo) value { return n.val }
func (n *listNode) position() int                     { return n.at }

// snakeCaseAliases maps the snake_case spellings of top-level fields used in
// Segment's destination-filter examples to the camelCase keys events carry.
var snakeCaseAliases = map[string]string{
	"received_at":        "receivedAt",
	"sent_at":            "sentAt",
	"message_id":         "messageId",
	"user_id":            "userId",
	"anonymous_id":       "anonymousId",
	"original_timestamp": "originalTimestamp",
}

type pathNode struct {
	at       int
	end      int      // byte offset just after the path in the source
	segments []string // as written, unescaped
	root     string   // the top-level key looked up first
	fallback string   // looked up when root is missing: the key as written, for aliases
	id       int32    // the path's id in a Memo (pathIDs); 0: none
}

func newPath(at, end int, segments []string) *pathNode {
	p := &pathNode{at: at, end: end, segments: segments, root: segments[0], id: pathIDs.PathID(segments)}
	if camel, ok := snakeCaseAliases[segments[0]]; ok {
		p.root, p.fallback = camel, segments[0]
	}
	return p
}

func (n *pathNode) position() int { return n.at }

func (n *pathNode) eval(event *fastjson.Value, m *Memo) value {
	if m != nil {
		if j, ok := n.lookupObjects(event, m); ok {
			return fromJSON(j)
		}
	}
	if event == nil || event.Type() != fastjson.TypeObject {
		return absentValue
	}
	o, _ := event.Object()
	j := o.Get(n.root)
	if j == nil && n.fallback != "" {
		j = o.Get(n.fallback)
	}
	v := fromJSON(j)
	for _, seg := range n.segments[1:] {
		if v.falsy() {
			return v
		}
		v = v.step(seg)
	}
	return v
}

// lookupObjects is eval for the common case where the walk meets only objects: it
// returns the field's JSON (nil when absent) without building values. ok is false when
// the walk meets anything else (an array, a string, a number, null), where eval's
// JavaScript-like stepping applies. Objects are truthy, so stepping through them is plain
// member access and both give the same field. With a Memo, the walk is done once per
// event and path.
func (n *pathNode) lookupObjects(event *fastjson.Value, m *Memo) (j *fastjson.Value, ok bool) {
	if m != nil && n.id != 0 {
		return m.lookup(n, event)
	}
	return n.walkObjects(event)
}

// walkObjects is lookupObjects without a Memo.
func (n *pathNode) walkObjects(event *fastjson.Value) (j *fastjson.Value, ok bool) {
	if event == nil || event.Type() != fastjson.TypeObject {
		return nil, true
	}
	o, _ := event.Object()
	j = o.Get(n.root)
	if j == nil && n.fallback != "" {
		j = o.Get(n.fallback)
	}
	for _, seg := range n.segments[1:] {
		if j == nil {
			return nil, true
		}
		if j.Type() != fastjson.TypeObject {
			return nil, false
		}
		o, _ = j.Object()
		j = o.Get(seg)
	}
	return j, true
}

// existsNode is Segment's "FIELD exists": true when the field is present
// and not null. It is always decided, never unknown, and means the same as
// FIELD != null.
type existsNode struct {
	at    int
	field *pathNode
}

func (n *existsNode) position() int { return n.at }

func (n *existsNode) eval(event *fastjson.Value, m *Memo) value {
	return boolValue(!n.field.eval(event, m).isNullish())
}

type notNode struct {
	at int
	x  node
}

func (n *notNode) position() int { return n.at }

func (n *notNode) eval(event *fastjson.Value, m *Memo) value {
	v := n.x.eval(event, m)
	if v.kind == kindBool {
		return boolValue(!v.b)
	}
	return conditionProblem(v)
}

// conditionProblem is what a non-boolean operand of !, and, or makes of the
// whole: undecided for null or a missing field, a type error for anything
// else (a string cannot be true or false).
func conditionProblem(v value) value {
	if v.isNullish() {
		return nullValue
	}
	return invalidValue
}

type logicNode struct {
	at    int
	isAnd bool
	xs    []node
}

func (n *logicNode) position() int { return n.at }

// eval is Kleene's three-valued logic: an undecided operand (null, a
// missing field) only matters when the others do not settle the result, and
// an undecided whole never matches. A type error in an operand that matters
// makes the whole a type error, so that callers can fail closed on it.
func (n *logicNode) eval(event *fastjson.Value, m *Memo) value {
	result := boolValue(n.isAnd)
	for _, x := range n.xs {
		v := x.eval(event, m)
		if v.kind == kindBool {
			if v.b != n.isAnd {
				return v
			}
			continue
		}
		if problem := conditionProblem(v); problem.kind == kindInvalid || result.kind == kindBool {
			result = problem
		}
	}
	return result
}

type compareOp uint8

const (
	opEq compareOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var compareOpText = [...]string{opEq: "=", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">="}

// mirrored gives the operator with its operands swapped (5 < x is x > 5).
func (op compareOp) mirrored() compareOp {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

type compareNode struct {
	at          int
	op          compareOp
	left, right node
	// When one side is a literal (the usual case) the other side is
	// evaluated alone and compared with the precomputed literal.
	lit      *literalNode
	other    node
	effectOp compareOp // op with the literal on the right
	// stringField is other when it is a field compared with = or != to a string literal
	// (type = "track", event = "Order Completed"): decided on the field's bytes.
	stringField *pathNode
}

func newCompare(at int, op compareOp, left, right node) *compareNode {
	c := &compareNode{at: at, op: op, left: left, right: right}
	if lit, ok := right.(*literalNode); ok {
		c.lit, c.other, c.effectOp = lit, left, op
	} else if lit, ok := left.(*literalNode); ok {
		c.lit, c.other, c.effectOp = lit, right, op.mirrored()
	}
	if field, ok := c.other.(*pathNode); ok && c.lit.val.kind == kindString && (op == opEq || op == opNe) {
		c.stringField = field
	}
	return c
}

func (n *compareNode) position() int { return n.at }

func (n *compareNode) eval(event *fastjson.Value, m *Memo) value {
	if n.stringField != nil {
		if j, ok := n.stringField.lookupObjects(event, m); ok {
			// equalsLiteral for a string literal: only an identical string matches.
			eq := j != nil && j.Type() == fastjson.TypeString && unsafeString(j.GetStringBytes()) == n.lit.val.str
			return boolValue(eq == (n.effectOp == opEq))
		}
	}
	if n.lit != nil {
		return compareWithLiteral(n.effectOp, n.other.eval(event, m), n.lit)
	}
	return compareValues(n.op, n.left.eval(event, m), n.right.eval(event, m))
}

func compareWithLiteral(op compareOp, a value, lit *literalNode) value {
	if a.kind == kindInvalid {
		return invalidValue
	}
	switch op {
	case opEq, opNe:
		eq := equalsLiteral(a, lit)
		if eq.kind == kindBool && op == opNe {
			return boolValue(!eq.b)
		}
		return eq
	}
	switch {
	case a.kind == kindNumber && (lit.val.kind == kindNumber || lit.val.kind == kindString):
		// Segment reads a string literal as a number here:
		// properties.price > "10" is a numeric test.
		if math.IsNaN(lit.asNumber) {
			return nullValue
		}
		return boolValue(orderNumbers(op, a.num, lit.asNumber))
	case a.kind == kindString && lit.isTimestamp:
		if t, ok := parseTimestamp(a.str); ok {
			return boolValue(orderInts(op, t, lit.timestamp))
		}
	}
	return nullValue
}

// equalsLiteral decides field = literal the way Segment does for each kind
// of literal: a string matches only an identical string; a number only a
// number, and against anything else = and != are both false (Segment's
// number_equals / number_not_equals); true/false only the same boolean; null
// matches null and a missing field.
func equalsLiteral(a value, lit *literalNode) value {
	switch lit.val.kind {
	case kindString:
		return boolValue(a.kind == kindString && a.str == lit.val.str)
	case kindNumber:
		if a.kind != kindNumber {
			return nullValue
		}
		return boolValue(a.num == lit.val.num)
	case kindBool:
		return boolValue(a.kind == kindBool && a.b == lit.val.b)
	}
	return boolValue(a.isNullish()) // the null literal
}

func compareValues(op compareOp, a, b value) value {
	if a.kind == kindInvalid || b.kind == kindInvalid {
		return invalidValue
	}
	switch op {
	case opEq:
		return boolValue(deepEqual(a, b))
	case opNe:
		return boolValue(!deepEqual(a, b))
	}
	switch {
	case a.kind == kindNumber && b.kind == kindNumber:
		return boolValue(orderNumbers(op, a.num, b.num))
	case a.kind == kindString && b.kind == kindString:
		ta, okA := parseTimestamp(a.str)
		tb, okB := parseTimestamp(b.str)
		if okA && okB {
			return boolValue(orderInts(op, ta, tb))
		}
	}
	return nullValue
}

// deepEqual is strict equality: same type and same value, with null and a
// missing field counted as the same, and lists and objects compared by
// content.
func deepEqual(a, b value) bool {
	if a.isNullish() || b.isNullish() {
		return a.isNullish() && b.isNullish()
	}
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kindBool:
		return a.b == b.b
	case kindNumber:
		return a.num == b.num
	case kindString:
		return a.str == b.str
	case kindList:
		n := a.listLen()
		if n != b.listLen() {
			return false
		}
		for i := 0; i < n; i++ {
			if !deepEqual(a.listItem(i), b.listItem(i)) {
				return false
			}
		}
		return true
	case kindObject:
		oa, ob := a.json.GetObject(), b.json.GetObject()
		if oa.Len() != ob.Len() {
			return false
		}
		equal := true
		oa.Visit(func(key []byte, v *fastjson.Value) {
			if equal && !deepEqual(fromJSON(v), fromJSON(ob.Get(string(key)))) {
				equal = false
			}
		})
		return equal
	}
	return false
}

func orderNumbers(op compareOp, a, b float64) bool {
	switch op {
	case opLt:
		return a < b
	case opLe:
		return a <= b
	case opGt:
		return a > b
	case opGe:
		return a >= b
	}
	return false
}

func orderInts(op compareOp, a, b int64) bool {
	switch op {
	case opLt:
		return a < b
	case opLe:
		return a <= b
	case opGt:
		return a > b
	case opGe:
		return a >= b
	}
	return false
}

type inNode struct {
	at          int
	left, right node
}

func (n *inNode) position() int { return n.at }

// eval is membership by strict equality. A missing list leaves the
// condition undecided; a value that is not a list is a type error.
func (n *inNode) eval(event *fastjson.Value, m *Memo) value {
	list := n.right.eval(event, m)
	if list.kind != kindList {
		return conditionProblem(list)
	}
	x := n.left.eval(event, m)
	if x.kind == kindInvalid {
		return invalidValue
	}
	for i, count := 0, list.listLen(); i < count; i++ {
		if deepEqual(x, list.listItem(i)) {
			return trueValue
		}
	}
	return falseValue
}

// typeName is what typeof() returns.
func typeName(v value) string {
	switch v.kind {
	case kindBool:
		return "bool"
	case kindNumber:
		return "number"
	case kindString:
		return "string"
	case kindList:
		return "list"
	case kindObject:
		return "object"
	}
	return "null"
}

func titleCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	atWordStart := true
	for _, r := range s {
		if atWordStart {
			b.WriteString(strings.ToUpper(string(r)))
		} else {
			b.WriteRune(r)
		}
		atWordStart = r == ' ' || r == '\t' || r == '\n'
	}
	return b.String()
}
