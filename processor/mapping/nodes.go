package mapping

import (
	"errors"
	"sync"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// node is one compiled piece of a mapping.
//
// eval produces a Value (used when a directive needs its argument's value);
// appendJSON writes the JSON of that value straight into dst and reports
// false, leaving dst untouched, when the value is absent. The hot directives
// (@path, @template, @if, @arrayPath, plain objects) implement appendJSON
// without building Values; the rest go through eval.
type node interface {
	eval(c *rctx, p Value) (Value, error)
	appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error)
}

// rctx carries per-render scratch space so nodes need not allocate.
type rctx struct {
	tmp []byte

	// prefix cache (see prefix.go)
	root   *fastjson.Value
	ptab   *prefixTable
	pstate []uint8
	pvals  []*fastjson.Value

	eventJSON *EventJSON // nil: no cache
}

var rctxPool = sync.Pool{New: func() any { return &rctx{tmp: make([]byte, 0, 256)} }}

func appendEvaluated(c *rctx, n node, dst []byte, p Value) ([]byte, bool, error) {
	v, err := n.eval(c, p)
	if err != nil || v.kind == KindAbsent {
		return dst, false, err
	}
	return appendJSON(dst, v), true, nil
}

// constNode is a value known at compile time, with its JSON pre-rendered.
type constNode struct {
	v    Value
	json []byte
}

func newConst(v Value) *constNode {
	freeze(v)
	n := &constNode{v: v}
	if v.kind != KindAbsent {
		n.json = appendJSON(nil, v)
	}
	return n
}

// freeze builds the member index of large constant objects up front, so
// that concurrent renders only ever read them.
func freeze(v Value) {
	switch v.kind {
	case KindArray:
		for _, e := range v.arr {
			freeze(e)
		}
	case KindObject:
		if v.obj == nil {
			return
		}
		if len(v.obj.keys) >= objectIndexAt && v.obj.index == nil {
			v.obj.reindex()
		}
		for _, m := range v.obj.vals {
			freeze(m)
		}
	}
}

func (n *constNode) eval(*rctx, Value) (Value, error) { return n.v, nil }
func (n *constNode) appendJSON(_ *rctx, dst []byte, _ Value) ([]byte, bool, error) {
	if n.v.kind == KindAbsent {
		return dst, false, nil
	}
	return append(dst, n.json...), true, nil
}

// errNode fails when (and only when) it is evaluated: Segment raises most
// directive errors lazily, so a bad branch that is never taken is harmless.
type errNode struct{ err error }

func (n *errNode) eval(*rctx, Value) (Value, error) { return absent, n.err }
func (n *errNode) appendJSON(_ *rctx, dst []byte, _ Value) ([]byte, bool, error) {
	return dst, false, n.err
}

func errf(msg string) *errNode { return &errNode{err: errors.New(msg)} }

// objectNode resolves a plain (non-directive) object key by key.
type objectNode struct {
	keys    []string
	keyJSON [][]byte // `,"key":`
	vals    []node
}

func (n *objectNode) eval(c *rctx, p Value) (Value, error) {
	o := newObject(len(n.keys))
	for i, k := range n.keys {
		v, err := n.vals[i].eval(c, p)
		if err != nil {
			return absent, err
		}
		// Keys are already unique and in JS order.
		o.keys = append(o.keys, k)
		o.vals = append(o.vals, v)
		if _, isIdx := arrayIndex(k); isIdx {
			o.nidx++
		}
	}
	return objectValue(o), nil
}

func (n *objectNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	dst, _, ok, err := n.appendMembers(c, dst, p, nil)
	return dst, ok, err
}

// appendMembers is appendJSON that also appends each written member's key and the span of
// its value in dst to members.
func (n *objectNode) appendMembers(c *rctx, dst []byte, p Value, members []jsvalue.Member) ([]byte, []jsvalue.Member, bool, error) {
	// Every member is written with a leading comma; the first one's becomes the '{'.
	open := len(dst)
	for i := range n.vals {
		mark := len(dst)
		dst = append(dst, n.keyJSON[i]...)
		start := len(dst)
		var ok bool
		var err error
		dst, ok, err = n.vals[i].appendJSON(c, dst, p)
		if err != nil {
			return dst[:open], members, false, err
		}
		if !ok {
			// Absent values drop their key entirely.
			dst = dst[:mark]
			continue
		}
		if members != nil {
			members = append(members, jsvalue.Member{Key: n.keys[i], Start: start, End: len(dst)})
		}
	}
	if len(dst) == open {
		return append(dst, '{', '}'), members, true, nil
	}
	dst[open] = '{'
	return append(dst, '}'), members, true, nil
}

// arrayNode resolves each element; absent elements stay (as null in JSON).
type arrayNode struct{ elems []node }

func (n *arrayNode) eval(c *rctx, p Value) (Value, error) {
	out := make([]Value, len(n.elems))
	for i, e := range n.elems {
		v, err := e.eval(c, p)
		if err != nil {
			return absent, err
		}
		out[i] = v
	}
	return arrayValue(out), nil
}

func (n *arrayNode) appendJSON(c *rctx, dst []byte, p Value) ([]byte, bool, error) {
	start := len(dst)
	dst = append(dst, '[')
	for i, e := range n.elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		var err error
		dst, ok, err = e.appendJSON(c, dst, p)
		if err != nil {
			return dst[:start], false, err
		}
		if !ok {
			dst = append(dst, "null"...)
		}
	}
	return append(dst, ']'), true, nil
}
