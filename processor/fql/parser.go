package fql

import (
	"fmt"
	"sort"
	"strings"

	"github.com/valyala/fastjson"
)

// SyntaxError reports why an expression does not parse.
type SyntaxError struct {
	Pos int    // 0-based byte offset into the expression
	Msg string // what was expected and what was found
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("fql: at position %d: %s", e.Pos, e.Msg)
}

func errorAt(pos int, msg string) *SyntaxError { return &SyntaxError{Pos: pos, Msg: msg} }

// maxNesting bounds parentheses, negations, lists and calls inside one
// another, so that hostile input cannot exhaust the stack.
const maxNesting = 100

// Expr is a compiled expression. It is immutable and safe for concurrent
// use; compile it once and evaluate it against many events.
type Expr struct {
	root node
	id   int32 // the source text's id in a Memo (exprIDs); 0: none
}

// Parse compiles an FQL expression. Errors are *SyntaxError.
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	root, err := p.parseExpr(0, "a condition")
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, errorAt(t.pos, `unexpected ")" with no matching "("`)
		}
		return nil, errorAt(t.pos, fmt.Sprintf(`expected "and", "or" or end of input, found %s`, t.describe()))
	}
	if err := p.requireCondition(root); err != nil {
		return nil, err
	}
	return &Expr{root: root, id: exprIDs.ID(src)}, nil
}

// MustParse is Parse for expressions known to be valid; it panics otherwise.
func MustParse(src string) *Expr {
	e, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return e
}

// Result is the outcome of evaluating an expression against one event.
type Result uint8

const (
	// False: the event does not satisfy the expression.
	False Result = iota
	// True: the event satisfies the expression.
	True
	// Unknown: evaluation hit a type error: a value had a type its operator
	// or function cannot use (contains() on a number, lowercase() on a list,
	// bool() of a string that is not "true" or "false"). Callers that must fail closed
	// treat it as an error. A null or missing field is not a type error:
	// conditions on it are false (= null and != "x" can be true).
	Unknown
)

func (r Result) String() string {
	switch r {
	case True:
		return "true"
	case False:
		return "false"
	}
	return "unknown"
}

// Match reports whether event satisfies the expression. It fails closed:
// anything that cannot be decided (see Unknown) is false. A nil event is
// absent and matches nothing. Like any fastjson.Value, event must not be
// read by two goroutines at once (fastjson decodes strings lazily in place);
// the Expr itself may be shared freely.
func (e *Expr) Match(event *fastjson.Value) bool {
	return e.Eval(event) == True
}

// MatchMemo is Match sharing field lookups through m with the other
// expressions evaluated against the same event (see Memo); m nil is Match.
func (e *Expr) MatchMemo(event *fastjson.Value, m *Memo) bool {
	return e.EvalMemo(event, m) == True
}

// Eval evaluates the expression and tells a plain "no" (False) apart from a
// type error (Unknown), for callers that fail closed on errors and count
// why an event was filtered. Match(event) is Eval(event) == True.
func (e *Expr) Eval(event *fastjson.Value) Result {
	return e.EvalMemo(event, nil)
}

// EvalMemo is Eval sharing field lookups through m (see Memo); m nil is Eval.
func (e *Expr) EvalMemo(event *fastjson.Value, m *Memo) Result {
	if e == nil || e.root == nil || event == nil {
		return False
	}
	if m == nil || m.event != event {
		return e.result(event, nil)
	}
	if e.id == 0 {
		return e.result(event, m)
	}
	return m.result(e, event)
}

// result is EvalMemo once m, if any, serves event.
func (e *Expr) result(event *fastjson.Value, m *Memo) Result {
	v := e.root.eval(event, m)
	switch {
	case v.kind == kindBool && v.b:
		return True
	case v.kind == kindBool, v.isNullish():
		return False
	}
	return Unknown
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errExpected(what string) error {
	t := p.peek()
	return errorAt(t.pos, fmt.Sprintf("expected %s, found %s", what, t.describe()))
}

// parseExpr parses a full expression; expected describes what its first
// token should be, for the error when it is missing.
func (p *parser) parseExpr(depth int, expected string) (node, error) {
	return p.parseLogic(depth, true, expected)
}

// parseLogic parses "x or y or ..." (isOr) or "x and y and ...": and binds
// tighter than or.
func (p *parser) parseLogic(depth int, isOr bool, expected string) (node, error) {
	parseOperand := func(expected string) (node, error) {
		if isOr {
			return p.parseLogic(depth, false, expected)
		}
		return p.parseComparison(depth, expected)
	}
	first, err := parseOperand(expected)
	if err != nil {
		return nil, err
	}
	opKind := tokAnd
	if isOr {
		opKind = tokOr
	}
	if p.peek().kind != opKind {
		return first, nil
	}
	logic := &logicNode{at: first.position(), isAnd: !isOr}
	logic.xs = appendFlattened(logic.xs, first, !isOr)
	for p.peek().kind == opKind {
		op := p.next()
		if t := p.peek(); t.kind == tokEOF || t.kind == tokRParen || t.kind == tokAnd || t.kind == tokOr {
			return nil, p.errExpected(fmt.Sprintf("a condition after %q", op.text))
		}
		x, err := parseOperand("a condition")
		if err != nil {
			return nil, err
		}
		logic.xs = appendFlattened(logic.xs, x, !isOr)
	}
	for _, x := range logic.xs {
		if err := p.requireCondition(x); err != nil {
			return nil, err
		}
	}
	return logic, nil
}

// appendFlattened merges a nested group of the same operator into its
// parent: a or (b or c) is a or b or c, so the canonical text is the same
// however the user grouped it.
func appendFlattened(xs []node, x node, isAnd bool) []node {
	if l, ok := x.(*logicNode); ok && l.isAnd == isAnd {
		return append(xs, l.xs...)
	}
	return append(xs, x)
}

// requireCondition rejects operands of and/or/! (and whole expressions)
// that are not conditions: a field alone, which Segment rejects too ("Value
// token is missing"), or a value that can never be true or false, such as a
// string literal. A field's error is placed where its operator is missing.
func (p *parser) requireCondition(n node) error {
	if path, ok := n.(*pathNode); ok {
		next := p.tokenAt(path.end)
		return errorAt(next.pos, fmt.Sprintf("expected an operator after field %s (=, !=, <, <=, >, >=, in or exists), found %s",
			clip(p.src[path.at:path.end]), next.describe()))
	}
	k := staticKind(n)
	switch k {
	case kindBool, kindAbsent, kindNull:
		return nil
	}
	var b strings.Builder
	writeNode(&b, n, precOr)
	found := kindDescription(k) + " " + clip(b.String())
	if _, ok := n.(*callNode); ok {
		found = clip(b.String()) + ", which gives " + kindDescription(k)
	}
	return errorAt(n.position(), fmt.Sprintf("expected a condition, found %s", found))
}

// tokenAt is the first token at or after byte offset pos (the end-of-input
// token when there is none).
func (p *parser) tokenAt(pos int) token {
	i := sort.Search(len(p.toks), func(i int) bool { return p.toks[i].pos >= pos })
	if i == len(p.toks) {
		i = len(p.toks) - 1
	}
	return p.toks[i]
}

// isExists reports whether t is the word exists in operator position. It is
// not a keyword: where an operand belongs it is a field name, so a field
// called exists still reads as before (exists = 1, exists exists).
func isExists(t token) bool {
	return t.kind == tokPath && !t.escaped && t.text == "exists"
}

// staticKind is the type a node always produces, or kindAbsent when that
// depends on the event.
func staticKind(n node) kind {
	switch n := n.(type) {
	case *literalNode:
		return n.val.kind
	case *listNode:
		return kindList
	case *pathNode:
		return kindAbsent
	case *callNode:
		return n.fn.result
	}
	return kindBool
}

func kindDescription(k kind) string {
	switch k {
	case kindNumber:
		return "a number"
	case kindString:
		return "a string"
	case kindList:
		return "a list"
	}
	return "a value"
}

var compareOps = map[tokenKind]compareOp{
	tokEq: opEq, tokNe: opNe, tokLt: opLt, tokLe: opLe, tokGt: opGt, tokGe: opGe,
}

func (p *parser) parseComparison(depth int, expected string) (node, error) {
	left, err := p.parseOperand(depth, expected)
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if op, ok := compareOps[t.kind]; ok {
		p.next()
		right, err := p.parseOperand(depth, fmt.Sprintf("a value after %q", t.text))
		if err != nil {
			return nil, err
		}
		if err := p.rejectChain(); err != nil {
			return nil, err
		}
		return newCompare(left.position(), op, left, right), nil
	}
	if t.kind == tokIn {
		p.next()
		right, err := p.parseOperand(depth, `a list or a field after "in"`)
		if err != nil {
			return nil, err
		}
		switch staticKind(right) {
		case kindList, kindAbsent:
		default:
			return nil, errorAt(right.position(), fmt.Sprintf(`expected a list or a field after "in", found %s`, kindDescription(staticKind(right))))
		}
		if err := p.rejectChain(); err != nil {
			return nil, err
		}
		return &inNode{at: left.position(), left: left, right: right}, nil
	}
	if isExists(t) {
		p.next()
		path, ok := left.(*pathNode)
		if !ok {
			var b strings.Builder
			writeNode(&b, left, precOr)
			return nil, errorAt(left.position(), fmt.Sprintf(`"exists" applies to a field, found %s`, clip(b.String())))
		}
		if err := p.rejectChain(); err != nil {
			return nil, err
		}
		return &existsNode{at: left.position(), field: path}, nil
	}
	return left, nil
}

func (p *parser) rejectChain() error {
	t := p.peek()
	if _, ok := compareOps[t.kind]; ok || t.kind == tokIn || isExists(t) {
		return errorAt(t.pos, fmt.Sprintf("comparisons cannot be chained: expected \"and\", \"or\" or end of input, found %s; use parentheses", t.describe()))
	}
	return nil
}

func (p *parser) parseOperand(depth int, expected string) (node, error) {
	if depth >= maxNesting {
		return nil, errorAt(p.peek().pos, fmt.Sprintf("expression nested more than %d levels deep", maxNesting))
	}
	t := p.peek()
	switch t.kind {
	case tokString:
		p.next()
		return newLiteral(t.pos, stringValue(t.str)), nil
	case tokNumber:
		p.next()
		return newLiteral(t.pos, numberValue(t.num)), nil
	case tokTrue, tokFalse:
		p.next()
		return newLiteral(t.pos, boolValue(t.kind == tokTrue)), nil
	case tokNull:
		p.next()
		return newLiteral(t.pos, nullValue), nil
	case tokLBracket:
		return p.parseList()
	case tokNot:
		p.next()
		x, err := p.parseOperand(depth+1, `a condition after "!"`)
		if err != nil {
			return nil, err
		}
		if path, ok := x.(*pathNode); ok {
			next := p.peek()
			if _, isCompare := compareOps[next.kind]; isCompare || next.kind == tokIn || isExists(next) {
				field := clip(p.src[path.at:path.end])
				rest := " ..."
				if isExists(next) {
					rest = ""
				}
				return nil, errorAt(t.pos, fmt.Sprintf(`"!" applies to field %s alone, which is not a condition; to negate the condition, put it in parentheses: !(%s %s%s)`,
					field, field, next.text, rest))
			}
		}
		if err := p.requireCondition(x); err != nil {
			return nil, err
		}
		return &notNode{at: t.pos, x: x}, nil
	case tokLParen:
		p.next()
		if p.peek().kind == tokRParen {
			return nil, p.errExpected(`a condition inside "()"`)
		}
		x, err := p.parseExpr(depth+1, "a condition")
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tokRParen {
			return nil, p.errExpected(fmt.Sprintf(`"and", "or" or ")" to close the "(" at position %d`, t.pos))
		}
		p.next()
		return x, nil
	case tokPath:
		p.next()
		if len(t.segments) == 1 && !t.escaped && p.peek().kind == tokLParen {
			return p.parseCall(depth, t)
		}
		return newPath(t.pos, t.pos+len(t.text), t.segments), nil
	}
	return nil, p.errExpected(expected)
}

func (p *parser) parseCall(depth int, name token) (node, error) {
	fn, ok := functions[name.text]
	if !ok {
		return nil, errorAt(name.pos, fmt.Sprintf("unknown function %s(); the functions are contains, match, length, lowercase, uppercase, snakecase, kebabcase, titlecase, typeof, bool, string and number", name.text))
	}
	p.next() // (
	var args []node
	for {
		if len(args) == 0 && p.peek().kind == tokRParen {
			break
		}
		arg, err := p.parseExpr(depth+1, fmt.Sprintf("argument %d of %s%s", len(args)+1, fn.name, fn.args))
		if err != nil {
			return nil, err
		}
		args = append(args, arg)
		if len(args) == fn.arity {
			break
		}
		if p.peek().kind != tokComma {
			break
		}
		p.next()
	}
	t := p.peek()
	switch {
	case len(args) == 0:
		return nil, p.errExpected(fmt.Sprintf("the arguments of %s%s", fn.name, fn.args))
	case len(args) < fn.arity && t.kind == tokRParen:
		return nil, errorAt(t.pos, fmt.Sprintf(`expected "," and argument %d of %s%s, found ")"`, len(args)+1, fn.name, fn.args))
	case len(args) < fn.arity:
		return nil, p.errExpected(fmt.Sprintf(`"," and argument %d of %s%s`, len(args)+1, fn.name, fn.args))
	case t.kind == tokComma:
		return nil, errorAt(t.pos, fmt.Sprintf("%s%s takes %d argument%s, found more", fn.name, fn.args, fn.arity, plural(fn.arity)))
	case t.kind != tokRParen:
		return nil, p.errExpected(fmt.Sprintf(`")" to close %s(`, fn.name))
	}
	p.next()
	return newCall(name.pos, fn, args), nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (p *parser) parseList() (node, error) {
	open := p.next()
	list := &listNode{at: open.pos}
	for p.peek().kind != tokRBracket {
		if len(list.items) > 0 {
			if p.peek().kind != tokComma {
				return nil, p.errExpected(fmt.Sprintf(`"," or "]" to close the "[" at position %d`, open.pos))
			}
			p.next()
		}
		t := p.next()
		var v value
		switch t.kind {
		case tokString:
			v = stringValue(t.str)
		case tokNumber:
			v = numberValue(t.num)
		case tokTrue, tokFalse:
			v = boolValue(t.kind == tokTrue)
		case tokNull:
			v = nullValue
		default:
			return nil, errorAt(t.pos, fmt.Sprintf("expected a string, number, true, false or null in the list, found %s", t.describe()))
		}
		list.items = append(list.items, newLiteral(t.pos, v))
	}
	p.next()
	items := make([]value, len(list.items))
	for i, lit := range list.items {
		items[i] = lit.val
	}
	list.val = value{kind: kindList, items: items}
	return list, nil
}
