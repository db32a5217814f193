package mapping

import (
	"errors"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

const (
	maxPatternLength     = 10
	maxReplacementLength = 10
)

// compileDirective compiles one directive. Checks Segment performs on the
// raw (unresolved) arguments are decided here, but the resulting errors are
// raised only when the directive is evaluated, as in Segment.
func compileDirective(name string, arg Value) node {
	switch name {
	case "@path":
		if arg.kind == KindString {
			return &pathNode{p: compilePath(arg.str)}
		}
		return &dynStringNode{name: "@path", arg: compileNode(arg)}
	case "@template":
		if arg.kind == KindString {
			return &templateNode{t: compileTemplate(arg.str)}
		}
		return &dynStringNode{name: "@template", arg: compileNode(arg)}
	case "@literal":
		// Not a quote: directives inside are still resolved.
		return compileNode(arg)
	case "@if":
		return compileIf(arg)
	case "@case":
		return compileCase(arg)
	case "@replace":
		return compileReplace(arg)
	case "@arrayPath":
		return compileArrayPath(arg)
	case "@json":
		return compileJSONDirective(arg)
	case "@flatten":
		return compileFlatten(arg)
	case "@merge":
		return compileMerge(arg)
	case "@transform":
		return compileTransform(arg)
	case "@excludeWhenNull":
		return &excludeNullNode{arg: compileNode(arg)}
	case "@liquid":
		return compileLiquid(arg)
	}
	// Reachable only where validation does not look (inside arrays).
	return errf(name + " is not a valid directive, got undefined")
}

// opt reads a raw directive option; absent when opts is not an object.
func opt(opts Value, key string) Value {
	if opts.kind != KindObject || opts.ev != nil {
		return absent
	}
	v, _ := opts.obj.get(key)
	return v
}

// ---- @path / @template with a directive argument

type dynStringNode struct {
	name string
	arg  node
}

func (n *dynStringNode) eval(c *rctx, p Value) (Value, error) {
	a, err := n.arg.eval(c, p)
	if err != nil {
		return absent, err
	}
	if a.kind != KindString {
		return absent, errors.New(n.name + ": expected string, got " + a.typeName())
	}
	if n.name == "@path" {
		pp := compilePath(a.str)
		return pp.lookup(p), nil
	}
	return stringValue(compileTemplate(a.str).render(c, p)), nil
}

func (n *dynStringNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return appendEvaluated(c, n, dst, p)
}

// ---- @path

type pathNode struct{ p path }

func (n *pathNode) eval(c *rctx, p Value) (Value, error) {
	if r := c.resolved(&n.p, p.ev); r != nil && !r.fallback {
		return wrapEvent(r.v), nil
	}
	return n.p.lookupC(c, p), nil
}

func (n *pathNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	if p.ev != nil && !n.p.whole {
		if r := c.resolved(&n.p, p.ev); r != nil {
			if !r.fallback {
				if r.v == nil {
					return dst, false, nil
				}
				return c.eventJSON.appendResolved(dst, r), true, nil
			}
		} else if ev, ok := n.p.evLookup(c, p.ev); ok {
			if ev == nil {
				return dst, false, nil
			}
			return c.eventJSON.append(dst, ev), true, nil
		}
	}
	v := n.p.lookupC(c, p)
	if v.kind == KindAbsent {
		return dst, false, nil
	}
	return appendJSON(dst, v), true, nil
}

// ---- @template

type templateNode struct{ t *template }

func (n *templateNode) eval(c *rctx, p Value) (Value, error) {
	return stringValue(n.t.render(c, p)), nil
}

func (n *templateNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return n.t.appendJSON(c, dst, p), true, nil
}

// ---- @if

type ifNode struct {
	exists     bool  // test exists-ness rather than blank-ness
	existsPath *path // exists is a static @path: test it without a Value
	cond       node
	then       node // nil: absent
	els        node // nil: absent (also for a falsy raw else)
}

func compileIf(opts Value) node {
	if opts.kind != KindObject {
		return errf(`@if requires an object with an "exists" key`)
	}
	exists, blank := opt(opts, "exists"), opt(opts, "blank")
	if !exists.truthy() && !blank.truthy() {
		return errf(`@if requires an "exists" key or a "blank" key`)
	}
	n := &ifNode{}
	if exists.kind != KindAbsent {
		n.exists = true
		n.cond = compileNode(exists)
		if pn, ok := n.cond.(*pathNode); ok && !pn.p.whole {
			n.existsPath = &pn.p
		}
	} else {
		n.cond = compileNode(blank)
	}
	if t := opt(opts, "then"); t.kind != KindAbsent {
		n.then = compileNode(t)
	}
	// Segment tests the raw else for truthiness: else false/0/""/null
	// yields undefined, not the literal.
	if e := opt(opts, "else"); e.truthy() {
		n.els = compileNode(e)
	}
	return n
}

func (n *ifNode) branch(c *rctx, p Value) (node, error) {
	if n.existsPath != nil && p.ev != nil {
		if r := c.resolved(n.existsPath, p.ev); r != nil {
			if !r.fallback {
				if r.v != nil && r.v.Type() != fastjson.TypeNull {
					return n.then, nil
				}
				return n.els, nil
			}
		} else if ev, ok := n.existsPath.evLookup(c, p.ev); ok {
			if ev != nil && ev.Type() != fastjson.TypeNull {
				return n.then, nil
			}
			return n.els, nil
		}
	}
	v, err := n.cond.eval(c, p)
	if err != nil {
		return nil, err
	}
	var cond bool
	if n.exists {
		cond = v.kind != KindAbsent && v.kind != KindNull
	} else {
		cond = v.kind != KindAbsent && v.kind != KindNull && !c.looseEqualsEmpty(v)
	}
	if cond {
		return n.then, nil
	}
	return n.els, nil
}

// looseEqualsEmpty is JS `v == ""` for a non-nullish v.
func (c *rctx) looseEqualsEmpty(v Value) bool {
	switch v.kind {
	case KindString:
		return v.str == ""
	case KindNumber:
		return v.Number() == 0
	case KindBool:
		return !v.b
	case KindArray:
		c.tmp = appendJSString(c.tmp[:0], v)
		return len(c.tmp) == 0
	}
	return false
}

func (n *ifNode) eval(c *rctx, p Value) (Value, error) {
	b, err := n.branch(c, p)
	if err != nil || b == nil {
		return absent, err
	}
	return b.eval(c, p)
}

func (n *ifNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	b, err := n.branch(c, p)
	if err != nil || b == nil {
		return dst, false, err
	}
	return b.appendJSON(c, dst, p)
}

// ---- @case

type caseNode struct {
	op    string // raw operator if it is a string
	value node
}

func compileCase(opts Value) node {
	if opts.kind != KindObject {
		return errf(`@case requires an object with a "operator" key`)
	}
	op := opt(opts, "operator")
	if !op.truthy() {
		return errf(`@case requires a "operator" key`)
	}
	v := opt(opts, "value")
	if !v.truthy() {
		return newConst(absent)
	}
	n := &caseNode{value: compileNode(v)}
	if op.kind == KindString {
		n.op = op.str
	}
	return n
}

func (n *caseNode) eval(c *rctx, p Value) (Value, error) {
	v, err := n.value.eval(c, p)
	if err != nil || v.kind != KindString {
		return v, err
	}
	switch n.op {
	case "lower":
		return stringValue(jsToLower(v.str)), nil
	case "upper":
		return stringValue(jsToUpper(v.str)), nil
	}
	return absent, errors.New(`operator key should have a value of "lower" or "upper"`)
}

func (n *caseNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return appendEvaluated(c, n, dst, p)
}

// ---- @arrayPath

type arrayPathNode struct {
	static bool
	p      path
	root   node
	shape  node // nil: return the root unchanged
}

func compileArrayPath(arg Value) node {
	if arg.kind != KindArray {
		return errf("@arrayPath expected array, got " + arg.typeName())
	}
	n := &arrayPathNode{}
	var first, shape Value
	if len(arg.arr) > 0 {
		first = arg.arr[0]
	}
	if len(arg.arr) > 1 {
		shape = arg.arr[1]
	}
	if first.kind == KindString {
		n.static = true
		n.p = compilePath(first.str)
	} else {
		n.root = compileNode(first)
	}
	if shape.kind == KindObject && len(shape.obj.keys) > 0 {
		n.shape = compileNode(shape)
	}
	return n
}

func (n *arrayPathNode) rootOf(c *rctx, p Value) (Value, error) {
	if n.static {
		if p.ev != nil && !n.p.whole {
			if r := c.resolved(&n.p, p.ev); r != nil && !r.fallback {
				return wrapEvent(r.v), nil
			}
		}
		return n.p.lookupC(c, p), nil
	}
	return n.root.eval(c, p)
}

func (n *arrayPathNode) eval(c *rctx, p Value) (Value, error) {
	root, err := n.rootOf(c, p)
	if err != nil {
		return absent, err
	}
	if n.shape == nil || (root.kind != KindObject && root.kind != KindArray) {
		return root, nil
	}
	if root.kind == KindObject {
		v, err := n.shape.eval(c, root)
		if err != nil {
			return absent, err
		}
		return arrayValue([]Value{v}), nil
	}
	out := make([]Value, root.Len())
	for i := range out {
		// Each item is the payload for the shape: paths are item-relative.
		v, err := n.shape.eval(c, root.Index(i))
		if err != nil {
			return absent, err
		}
		out[i] = v
	}
	return arrayValue(out), nil
}

func (n *arrayPathNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	root, err := n.rootOf(c, p)
	if err != nil {
		return dst, false, err
	}
	if root.kind == KindAbsent {
		return dst, false, nil
	}
	if n.shape == nil || (root.kind != KindObject && root.kind != KindArray) {
		return appendJSON(dst, root), true, nil
	}
	start := len(dst)
	dst = append(dst, '[')
	if root.kind == KindObject {
		dst, err = n.item(c, dst, root)
	} else if root.ev != nil {
		items, _ := root.ev.Array()
		for i, it := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = n.item(c, dst, wrapEvent(it)); err != nil {
				break
			}
		}
	} else {
		for i, it := range root.arr {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = n.item(c, dst, it); err != nil {
				break
			}
		}
	}
	if err != nil {
		return dst[:start], false, err
	}
	return append(dst, ']'), true, nil
}

func (n *arrayPathNode) item(c *rctx, dst []byte, it Value) ([]byte, error) {
	dst, ok, err := n.shape.appendJSON(c, dst, it)
	if err == nil && !ok {
		dst = append(dst, "null"...)
	}
	return dst, err
}

// ---- @json

type jsonNode struct {
	mode  string
	value node
}

func compileJSONDirective(opts Value) node {
	if opts.kind != KindObject {
		return errf(`@json requires an object with a "value" key`)
	}
	mode := opt(opts, "mode")
	if !mode.truthy() {
		return errf(`@json requires a "mode" key`)
	}
	v := opt(opts, "value")
	if !v.truthy() {
		return errf(`@json requires a "value" key`)
	}
	n := &jsonNode{value: compileNode(v)}
	if mode.kind == KindString {
		n.mode = mode.str
	}
	return n
}

func (n *jsonNode) eval(c *rctx, p Value) (Value, error) {
	v, err := n.value.eval(c, p)
	if err != nil {
		return absent, err
	}
	switch n.mode {
	case "encode":
		if v.kind == KindAbsent {
			return absent, nil
		}
		return stringValue(string(appendJSON(nil, v))), nil
	case "decode":
		if v.kind != KindString {
			return v, nil
		}
		d, err := parseJSON(v.str)
		if err != nil {
			return v, nil
		}
		return d, nil
	}
	// Validation lower-cases the mode, the directive does not: "ENCODE"
	// passes validation and then yields undefined.
	return absent, nil
}

func (n *jsonNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	if n.mode == "encode" {
		v, err := n.value.eval(c, p)
		if err != nil || v.kind == KindAbsent {
			return dst, false, err
		}
		c.tmp = appendJSON(c.tmp[:0], v)
		return jsvalue.AppendQuoted(dst, b2s(c.tmp)), true, nil
	}
	return appendEvaluated(c, n, dst, p)
}

// ---- @flatten

type flattenNode struct {
	sep        node
	value      node
	omitArrays bool
}

func compileFlatten(opts Value) node {
	if opts.kind != KindObject {
		return errf(`@flatten requires an object with a "separator" key`)
	}
	sep := opt(opts, "separator")
	if !sep.truthy() {
		return errf(`@flatten requires a "separator" key`)
	}
	return &flattenNode{
		sep:        compileNode(sep),
		value:      compileNode(opt(opts, "value")),
		omitArrays: opt(opts, "omitArrays").truthy(),
	}
}

func (n *flattenNode) eval(c *rctx, p Value) (Value, error) {
	sep, err := n.sep.eval(c, p)
	if err != nil {
		return absent, err
	}
	if sep.kind != KindString {
		return absent, errors.New("@flatten requires a string separator")
	}
	v, err := n.value.eval(c, p)
	if err != nil {
		return absent, err
	}
	out := newObject(8)
	flattenInto(out, v, "", sep.str, n.omitArrays)
	return objectValue(out), nil
}

// flattenInto merges flat(v, prefix) into out: containers contribute their
// leaves under joined keys (so empty containers vanish), anything else is
// one leaf. Later keys overwrite earlier ones in place, as object spread does.
func flattenInto(out *Object, v Value, prefix, sep string, omitArrays bool) {
	if v.kind == KindObject || (v.kind == KindArray && !omitArrays) {
		v.Range(func(k string, child Value) {
			key := k
			if prefix != "" {
				key = prefix + sep + k
			}
			flattenInto(out, child, key, sep, omitArrays)
		})
		return
	}
	out.set(prefix, v)
}

func (n *flattenNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return appendEvaluated(c, n, dst, p)
}

// ---- @merge

type mergeNode struct {
	dir  node
	objs []node
}

func compileMerge(opts Value) node {
	if opts.kind != KindObject {
		return errf(`@merge requires an object with an "objects" key and a "direction" key`)
	}
	dir := opt(opts, "direction")
	if !dir.truthy() {
		return errf(`@merge requires a "direction" key`)
	}
	n := &mergeNode{dir: compileNode(dir)}
	objs := opt(opts, "objects")
	if !objs.truthy() {
		return &seqErrNode{first: n.dir, err: errors.New(`@merge requires a "objects" key`)}
	}
	if objs.kind != KindArray {
		return &seqErrNode{first: n.dir, err: errors.New("@merge: expected opts.array, got " + objs.typeOf())}
	}
	for _, o := range objs.arr {
		n.objs = append(n.objs, compileNode(o))
	}
	return n
}

// seqErrNode evaluates a node for its side effect (an error it may raise
// first) and then fails: @merge resolves its direction before it checks
// its objects.
type seqErrNode struct {
	first node
	err   error
}

func (n *seqErrNode) eval(c *rctx, p Value) (Value, error) {
	if _, err := n.first.eval(c, p); err != nil {
		return absent, err
	}
	return absent, n.err
}

func (n *seqErrNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	_, err := n.eval(c, p)
	return dst, false, err
}

func (n *mergeNode) eval(c *rctx, p Value) (Value, error) {
	dir, err := n.dir.eval(c, p)
	if err != nil {
		return absent, err
	}
	vals := make([]Value, len(n.objs))
	for i, o := range n.objs {
		if vals[i], err = o.eval(c, p); err != nil {
			return absent, err
		}
	}
	if dir.kind == KindString && dir.str == "left" {
		for i, j := 0, len(vals)-1; i < j; i, j = i+1, j-1 {
			vals[i], vals[j] = vals[j], vals[i]
		}
	}
	out := newObject(8)
	for _, v := range vals {
		assignInto(out, v)
	}
	return objectValue(out), nil
}

func (n *mergeNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return appendEvaluated(c, n, dst, p)
}

// ---- @transform

type transformNode struct {
	apply   node
	mapping node
}

func compileTransform(opts Value) node {
	if opts.kind != KindObject {
		return errf(`@transform requires an object with an "apply" key and a "mapping" key`)
	}
	mapping, apply := opt(opts, "mapping"), opt(opts, "apply")
	if !mapping.truthy() {
		return errf(`@transform requires a "mapping" key`)
	}
	if !apply.truthy() {
		return errf(`@transform requires a "apply" key`)
	}
	if apply.kind != KindObject {
		return errf(`@transform "apply" key should be an object`)
	}
	// apply runs as a complete nested transform(): root rewrite and
	// validation included.
	applyNode, err := compileProgram(apply)
	if err != nil {
		applyNode = &errNode{err: err}
	}
	return &transformNode{apply: applyNode, mapping: compileNode(mapping)}
}

func (n *transformNode) eval(c *rctx, p Value) (Value, error) {
	if p.kind == KindAbsent {
		p = objectValue(newObject(0))
	}
	if p.kind != KindObject {
		return absent, errors.New("data must be an object, got " + p.typeName())
	}
	np, err := n.apply.eval(c, p)
	if err != nil {
		return absent, err
	}
	return n.mapping.eval(c, removeUndefined(np))
}

func (n *transformNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	if p.kind == KindAbsent {
		p = objectValue(newObject(0))
	}
	if p.kind != KindObject {
		return dst, false, errors.New("data must be an object, got " + p.typeName())
	}
	np, err := n.apply.eval(c, p)
	if err != nil {
		return dst, false, err
	}
	return n.mapping.appendJSON(c, dst, removeUndefined(np))
}

// ---- @excludeWhenNull

type excludeNullNode struct{ arg node }

func (n *excludeNullNode) eval(c *rctx, p Value) (Value, error) {
	v, err := n.arg.eval(c, p)
	if err != nil {
		return absent, err
	}
	if v.kind == KindNull {
		return absent, nil
	}
	return cleanNulls(v), nil
}

// cleanNulls turns null members of (nested) plain objects into undefined,
// so the final clean-up drops them; arrays are left alone.
func cleanNulls(v Value) Value {
	if v.kind != KindObject {
		return v
	}
	o := newObject(v.Len())
	v.Range(func(k string, m Value) {
		switch m.kind {
		case KindNull:
			m = absent
		case KindObject:
			m = cleanNulls(m)
		}
		o.set(k, m)
	})
	return objectValue(o)
}

func (n *excludeNullNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	return appendEvaluated(c, n, dst, p)
}

// jsToLower and jsToUpper are String.prototype.toLowerCase/toUpperCase:
// full Unicode case mapping (ß → SS, final sigma), with an ASCII fast path.
func jsToLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return lowerCaser().String(s)
}

func jsToUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	return upperCaser().String(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
