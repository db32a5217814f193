package mapping

import (
	"strings"

	"github.com/valyala/fastjson"
)

// Realistic mappings read many fields under the same parents
// (context.device.*, properties.*), and fastjson finds an object member by
// a linear scan. So every static path gets an id for its parent prefix,
// and a render resolves each prefix of the root event at most once.
//
// Only containers (objects and arrays) are cached: they are truthy, so
// stepping through them is plain member access. Any other intermediate
// value falls back to the ordinary walk, which carries JS's falsy
// propagation rules.

type prefixTable struct {
	parent []int // -1: the root event
	seg    []string
}

const (
	pfxUnknown uint8 = iota
	pfxContainer
	pfxOther
)

// assignPrefixes numbers the parent prefixes of every static path in the
// compiled tree, and gives each path its id across mappings (pathIDs).
func assignPrefixes(root node) *prefixTable {
	t := &prefixTable{}
	ids := map[string]int{}
	var intern func(segs []string) int
	intern = func(segs []string) int {
		key := strings.Join(segs, "\x00")
		if id, ok := ids[key]; ok {
			return id
		}
		parent := -1
		if len(segs) > 1 {
			parent = intern(segs[:len(segs)-1])
		}
		id := len(t.parent)
		t.parent = append(t.parent, parent)
		t.seg = append(t.seg, segs[len(segs)-1])
		ids[key] = id
		return id
	}
	visit := func(p *path) {
		if !p.whole && len(p.segs) > 1 {
			p.pfx = intern(p.segs[:len(p.segs)-1]) + 1
		}
		if !p.whole {
			p.id = pathIDs.PathID(p.segs)
		}
	}
	walkNodes(root, func(n node) {
		switch n := n.(type) {
		case *pathNode:
			visit(&n.p)
		case *arrayPathNode:
			if n.static {
				visit(&n.p)
			}
		case *templateNode:
			for i := range n.t.parts {
				if n.t.parts[i].ph {
					visit(&n.t.parts[i].path)
				}
			}
		}
	})
	return t
}

// walkNodes calls f for n and every node below it.
func walkNodes(n node, f func(node)) {
	if n == nil {
		return
	}
	f(n)
	switch n := n.(type) {
	case *objectNode:
		for _, c := range n.vals {
			walkNodes(c, f)
		}
	case *arrayNode:
		for _, c := range n.elems {
			walkNodes(c, f)
		}
	case *ifNode:
		walkNodes(n.cond, f)
		walkNodes(n.then, f)
		walkNodes(n.els, f)
	case *arrayPathNode:
		walkNodes(n.root, f)
		walkNodes(n.shape, f)
	case *dynStringNode:
		walkNodes(n.arg, f)
	case *caseNode:
		walkNodes(n.value, f)
	case *replaceNode:
		walkNodes(n.value, f)
	case *jsonNode:
		walkNodes(n.value, f)
	case *flattenNode:
		walkNodes(n.sep, f)
		walkNodes(n.value, f)
	case *mergeNode:
		walkNodes(n.dir, f)
		for _, c := range n.objs {
			walkNodes(c, f)
		}
	case *seqErrNode:
		walkNodes(n.first, f)
	case *transformNode:
		walkNodes(n.apply, f)
		walkNodes(n.mapping, f)
	case *excludeNullNode:
		walkNodes(n.arg, f)
	}
}

// resetPrefixes prepares c for one render of a mapping with table t.
func (c *rctx) resetPrefixes(t *prefixTable, root *fastjson.Value) {
	c.root = root
	c.ptab = t
	n := len(t.parent)
	if cap(c.pstate) < n {
		c.pstate = make([]uint8, n)
		c.pvals = make([]*fastjson.Value, n)
	}
	c.pstate = c.pstate[:n]
	c.pvals = c.pvals[:n]
	clear(c.pstate)
}

// prefix resolves prefix id against the root event; ok is false when the
// prefix does not lead through containers only.
func (c *rctx) prefix(id int) (*fastjson.Value, bool) {
	switch c.pstate[id] {
	case pfxContainer:
		return c.pvals[id], true
	case pfxOther:
		return nil, false
	}
	base := c.root
	if p := c.ptab.parent[id]; p >= 0 {
		var ok bool
		if base, ok = c.prefix(p); !ok {
			c.pstate[id] = pfxOther
			return nil, false
		}
	}
	next := childOf(base, c.ptab.seg[id])
	if next != nil {
		if t := next.Type(); t == fastjson.TypeObject || t == fastjson.TypeArray {
			c.pstate[id] = pfxContainer
			c.pvals[id] = next
			return next, true
		}
	}
	c.pstate[id] = pfxOther
	return nil, false
}

// childOf is member or element access on a container; nil when missing.
func childOf(v *fastjson.Value, seg string) *fastjson.Value {
	if v.Type() == fastjson.TypeObject {
		o, _ := v.Object()
		return o.Get(seg)
	}
	a, _ := v.Array()
	if i, ok := arrayIndex(seg); ok && i < uint64(len(a)) {
		return a[i]
	}
	return nil
}

// lookupC is lookup using the render's prefix cache where it applies.
func (p *path) lookupC(c *rctx, v Value) Value {
	if p.pfx > 0 && v.ev != nil && v.ev == c.root {
		if base, ok := c.prefix(p.pfx - 1); ok {
			last := p.segs[len(p.segs)-1]
			if base.Type() == fastjson.TypeObject {
				o, _ := base.Object()
				return wrapEvent(o.Get(last))
			}
			return objectlessProp(base, last)
		}
	}
	return p.lookup(v)
}

func objectlessProp(arr *fastjson.Value, seg string) Value {
	a, _ := arr.Array()
	if seg == "length" {
		return numberValue(float64(len(a)))
	}
	if i, ok := arrayIndex(seg); ok && i < uint64(len(a)) {
		return wrapEvent(a[i])
	}
	return absent
}

// evLookup resolves the path inside the event without building Values, for
// the common case where every intermediate value is an object or array.
// ok is false when the walk meets anything else (a string, number, boolean
// or null on the way, or an array's length), where JS property semantics
// apply and the caller must use lookupC. ok with a nil result means absent.
func (p *path) evLookup(c *rctx, root *fastjson.Value) (*fastjson.Value, bool) {
	cur, segs := root, p.segs
	if p.pfx > 0 && root == c.root {
		if base, ok := c.prefix(p.pfx - 1); ok {
			cur, segs = base, segs[len(segs)-1:]
		}
	}
	for _, seg := range segs {
		switch cur.Type() {
		case fastjson.TypeObject:
			o, _ := cur.Object()
			if cur = o.Get(seg); cur == nil {
				return nil, true
			}
		case fastjson.TypeArray:
			a, _ := cur.Array()
			i, isIdx := arrayIndex(seg)
			if !isIdx || i >= uint64(len(a)) {
				return nil, seg != "length"
			}
			cur = a[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
