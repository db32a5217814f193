package mapping

import (
	"errors"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// rootDirectiveKey lets a mapping wrap its sibling fields in a root
// directive (typically @transform): the siblings become that directive's
// "mapping" argument.
const rootDirectiveKey = "__segment_internal_directive"

// ErrUndefined is returned by AppendJSON when the mapping as a whole
// resolves to undefined (for example a root {"@path": "$.missing"}), for
// which JSON.stringify produces no text at all.
var ErrUndefined = errors.New("mapping: result is undefined")

// Mapping is a compiled mapping, safe for concurrent use.
type Mapping struct {
	root node
	pfx  *prefixTable
}

// Compile validates a mapping the way Segment does and compiles it. A
// mapping Segment would reject yields a *ValidationError listing every
// problem Segment reports.
func Compile(mapping []byte) (*Mapping, error) {
	v, err := parseJSON(string(mapping))
	if err != nil {
		return nil, &ValidationError{Errors: []FieldError{{Message: "mapping is not valid JSON: " + err.Error(), bare: true}}}
	}
	return CompileValue(v)
}

// CompileValue compiles an already parsed mapping (see ParseJSON).
func CompileValue(v Value) (*Mapping, error) {
	n, err := compileProgram(v)
	if err != nil {
		return nil, err
	}
	return &Mapping{root: n, pfx: assignPrefixes(n)}, nil
}

// Validate runs Compile's static checks without building the renderer.
func Validate(mapping []byte) error {
	v, err := parseJSON(string(mapping))
	if err != nil {
		return &ValidationError{Errors: []FieldError{{Message: "mapping is not valid JSON: " + err.Error(), bare: true}}}
	}
	root, err := rewriteRoot(v)
	if err != nil {
		return &ValidationError{Errors: []FieldError{{Message: err.Error(), bare: true}}}
	}
	if errs := validateValue(root, nil); len(errs) > 0 {
		return &ValidationError{Errors: errs}
	}
	return nil
}

// ParseJSON parses JSON with JSON.parse's semantics (key order, duplicate
// keys, number precision) into a Value.
func ParseJSON(b []byte) (Value, error) { return parseJSON(string(b)) }

// AppendJSON renders the mapping for event and appends JSON.stringify of
// the result to dst. A nil event is treated as {} (as Segment defaults
// it); anything other than an object is an error.
//
// The event is read, and fastjson lazily unescapes keys in place, so one
// event must not be rendered from several goroutines at once.
func (m *Mapping) AppendJSON(dst []byte, event *fastjson.Value) ([]byte, error) {
	p, err := payloadOf(event)
	if err != nil {
		return dst, err
	}
	c := rctxPool.Get().(*rctx)
	c.resetPrefixes(m.pfx, event)
	out, ok, err := m.root.appendJSON(c, dst, p)
	c.root = nil
	rctxPool.Put(c)
	if err != nil {
		return dst, err
	}
	if !ok {
		return dst, ErrUndefined
	}
	return out, nil
}

// AppendJSONMembers is AppendJSON that also lists the top-level members it wrote, in order,
// reusing members' storage, so a reader of the payload (validation) need not scan it to
// find them. The list is empty when the mapping's root is not an object.
func (m *Mapping) AppendJSONMembers(dst []byte, event *fastjson.Value, members []jsvalue.Member) ([]byte, []jsvalue.Member, error) {
	return m.AppendJSONMembersCached(dst, event, members, nil)
}

// AppendJSONMembersCached is AppendJSONMembers reading what earlier renders of the same
// event looked up and wrote from cache, when cache serves event (see EventJSON; cache may be
// nil).
func (m *Mapping) AppendJSONMembersCached(dst []byte, event *fastjson.Value, members []jsvalue.Member, cache *EventJSON) ([]byte, []jsvalue.Member, error) {
	members = members[:0]
	root, isObject := m.root.(*objectNode)
	if !isObject {
		out, err := m.AppendJSON(dst, event)
		return out, members, err
	}
	p, err := payloadOf(event)
	if err != nil {
		return dst, members, err
	}
	if cache != nil && cache.event != event {
		cache = nil
	}
	var c *rctx
	if cache != nil {
		c = &cache.rctx
	} else {
		c = rctxPool.Get().(*rctx)
	}
	c.resetPrefixes(m.pfx, event)
	c.eventJSON = cache
	if members == nil {
		members = make([]jsvalue.Member, 0, len(root.keys))
	}
	out, members, _, err := root.appendMembers(c, dst, p, members)
	c.root, c.eventJSON = nil, nil
	if cache == nil {
		rctxPool.Put(c)
	}
	if err != nil {
		return dst, members[:0], err
	}
	return out, members, nil
}

// Render resolves the mapping into a Value (KindAbsent when the result is
// undefined). The Value may reference the event's memory and is valid only
// as long as the event is.
func (m *Mapping) Render(event *fastjson.Value) (Value, error) {
	p, err := payloadOf(event)
	if err != nil {
		return absent, err
	}
	c := rctxPool.Get().(*rctx)
	c.resetPrefixes(m.pfx, event)
	v, err := m.root.eval(c, p)
	c.root = nil
	rctxPool.Put(c)
	if err != nil {
		return absent, err
	}
	return removeUndefined(v), nil
}

// RenderValue is Render for a payload that is already a Value (e.g. from
// ParseJSON).
func (m *Mapping) RenderValue(payload Value) (Value, error) {
	if payload.kind == KindAbsent {
		payload = objectValue(newObject(0))
	}
	if payload.kind != KindObject {
		return absent, errors.New("data must be an object, got " + payload.typeName())
	}
	c := rctxPool.Get().(*rctx)
	c.resetPrefixes(m.pfx, nil)
	v, err := m.root.eval(c, payload)
	rctxPool.Put(c)
	if err != nil {
		return absent, err
	}
	return removeUndefined(v), nil
}

// AppendJSON appends JSON.stringify(v); an absent v appends nothing.
func (v Value) AppendJSON(dst []byte) []byte {
	if v.kind == KindAbsent {
		return dst
	}
	return appendJSON(dst, v)
}

func payloadOf(event *fastjson.Value) (Value, error) {
	if event == nil {
		return objectValue(newObject(0)), nil
	}
	p := wrapEvent(event)
	if p.kind != KindObject {
		return absent, errors.New("data must be an object, got " + p.typeName())
	}
	return p, nil
}

// removeUndefined deletes absent members from objects, recursively; arrays
// keep their slots.
func removeUndefined(v Value) Value {
	switch {
	case v.ev != nil:
		return v
	case v.kind == KindArray:
		out := make([]Value, len(v.arr))
		for i, e := range v.arr {
			out[i] = removeUndefined(e)
		}
		return arrayValue(out)
	case v.kind == KindObject:
		o := newObject(len(v.obj.keys))
		for i, k := range v.obj.keys {
			m := v.obj.vals[i]
			if m.kind == KindAbsent {
				continue
			}
			o.keys = append(o.keys, k)
			o.vals = append(o.vals, removeUndefined(m))
			if _, isIdx := arrayIndex(k); isIdx {
				o.nidx++
			}
		}
		return objectValue(o)
	}
	return v
}

// compileProgram is everything transform() does before resolving: the root
// rewrite, the spread copy of the root, and validation.
func compileProgram(mapping Value) (node, error) {
	root, err := rewriteRoot(mapping)
	if err != nil {
		return nil, &ValidationError{Errors: []FieldError{{Message: err.Error(), bare: true}}}
	}
	if errs := validateValue(root, nil); len(errs) > 0 {
		return nil, &ValidationError{Errors: errs}
	}
	return compileNode(root), nil
}

// rewriteRoot reproduces getMappingToProcess, including what object spread
// does to a non-object root (a string becomes {"0":"n","1":"e",...}).
func rewriteRoot(m Value) (Value, error) {
	switch m.kind {
	case KindNull:
		return absent, errors.New("Cannot convert undefined or null to object")
	case KindObject:
	default:
		o := newObject(0)
		assignInto(o, m)
		return objectValue(o), nil
	}
	rd, ok := m.obj.get(rootDirectiveKey)
	if !ok {
		return m, nil
	}
	customer := newObject(len(m.obj.keys))
	for i, k := range m.obj.keys {
		if k != rootDirectiveKey {
			customer.set(k, m.obj.vals[i])
		}
	}
	var first Value
	switch rd.kind {
	case KindNull:
		return absent, errors.New("Cannot convert undefined or null to object")
	case KindObject:
		if len(rd.obj.keys) > 1 {
			return absent, errors.New("The root mapping must only have a single directive object")
		}
		if len(rd.obj.keys) == 1 {
			first = rd.obj.vals[0]
		}
	case KindArray:
		if len(rd.arr) > 1 {
			return absent, errors.New("The root mapping must only have a single directive object")
		}
		if len(rd.arr) == 1 {
			first = rd.arr[0]
		}
	case KindString:
		if jsvalue.UTF16Len(rd.str) > 1 {
			return absent, errors.New("The root mapping must only have a single directive object")
		}
		if rd.str != "" {
			first = rd
		}
	}
	if first.kind != KindObject && first.kind != KindArray {
		return absent, errors.New("The root directive must be an object")
	}
	// An array root directive gets a "mapping" property JSON cannot see.
	if first.kind == KindObject {
		first.obj.set("mapping", objectValue(customer))
	}
	return rd, nil
}

// isDirective is the runtime test: at least one '@' key and no other keys
// except _metadata. The directive is the first '@' key.
func directiveName(o *Object) (string, bool) {
	name := ""
	for _, k := range o.keys {
		if strings.HasPrefix(k, "@") {
			if name == "" {
				name = k
			}
		} else if k != "_metadata" {
			return "", false
		}
	}
	return name, name != ""
}

// compileNode compiles a mapping value with resolve()'s runtime rules.
func compileNode(v Value) node {
	switch v.kind {
	case KindObject:
		if name, ok := directiveName(v.obj); ok {
			arg, _ := v.obj.get(name)
			return compileDirective(name, arg)
		}
		n := &objectNode{}
		allConst := true
		for i, k := range v.obj.keys {
			child := compileNode(v.obj.vals[i])
			if _, ok := child.(*constNode); !ok {
				allConst = false
			}
			n.keys = append(n.keys, k)
			n.keyJSON = append(n.keyJSON, append(jsvalue.AppendQuoted([]byte{','}, k), ':'))
			n.vals = append(n.vals, child)
		}
		if allConst {
			o := newObject(len(n.keys))
			for i, k := range n.keys {
				o.set(k, n.vals[i].(*constNode).v)
			}
			return newConst(objectValue(o))
		}
		return n
	case KindArray:
		n := &arrayNode{}
		allConst := true
		for _, e := range v.arr {
			child := compileNode(e)
			if _, ok := child.(*constNode); !ok {
				allConst = false
			}
			n.elems = append(n.elems, child)
		}
		if allConst {
			out := make([]Value, len(n.elems))
			for i, e := range n.elems {
				out[i] = e.(*constNode).v
			}
			return newConst(arrayValue(out))
		}
		return n
	}
	return newConst(v)
}

// assignInto is Object.assign(target, src) for one source.
func assignInto(o *Object, src Value) {
	switch src.kind {
	case KindString:
		i := 0
		var buf [20]byte
		jsvalue.ForEachCodeUnit(src.str, func(u uint16) {
			o.set(string(appendInt(buf[:0], i)), stringValue(string(jsvalue.AppendCodeUnit(nil, u))))
			i++
		})
	case KindArray, KindObject:
		src.Range(func(k string, v Value) { o.set(k, v) })
	}
}
