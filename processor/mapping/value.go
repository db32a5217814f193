package mapping

import (
	"math"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// Kind is the JavaScript-level type of a Value. Absent models JS undefined,
// which mapping-kit distinguishes from null everywhere (removal rules, @if,
// @excludeWhenNull), so it is a first-class kind here rather than a nil.
type Kind uint8

// Value kinds.
const (
	KindAbsent Kind = iota
	KindNull
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

// Value is one JS value produced or consumed while rendering. It is either
// computed (numbers, strings, arrays and ordered objects owned by the Value)
// or a view onto the event being rendered (ev != nil), so that looking up
// and passing through event data never copies it.
//
// A Value that views an event is only valid while that event is: the same
// lifetime rule as fastjson's own values.
type Value struct {
	kind Kind
	b    bool
	num  float64
	str  string
	arr  []Value
	obj  *Object
	ev   *fastjson.Value
}

// Object is an object with JavaScript own-key ordering: keys that are array
// indices come first in ascending numeric order, all others in insertion
// order. Members may hold absent values: JS keeps such keys until the final
// clean-up, and @merge relies on them to erase earlier values.
type Object struct {
	keys  []string
	vals  []Value
	nidx  int            // how many leading keys are array indices
	index map[string]int // key positions, once the object is large
}

// objectIndexAt is the size from which member lookups use a map, so
// @flatten or @merge over a huge event stays linear.
const objectIndexAt = 32

var (
	absent    = Value{}
	nullValue = Value{kind: KindNull}
)

func boolValue(b bool) Value      { return Value{kind: KindBool, b: b} }
func numberValue(f float64) Value { return Value{kind: KindNumber, num: f} }
func stringValue(s string) Value  { return Value{kind: KindString, str: s} }
func arrayValue(a []Value) Value  { return Value{kind: KindArray, arr: a} }
func objectValue(o *Object) Value { return Value{kind: KindObject, obj: o} }

// wrapEvent views a fastjson value without copying. Strings alias the
// parser's buffer, which is why Values must not outlive the event.
func wrapEvent(v *fastjson.Value) Value {
	if v == nil {
		return absent
	}
	switch v.Type() {
	case fastjson.TypeNull:
		return nullValue
	case fastjson.TypeTrue:
		return Value{kind: KindBool, b: true}
	case fastjson.TypeFalse:
		return Value{kind: KindBool}
	case fastjson.TypeNumber:
		return Value{kind: KindNumber, ev: v}
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return Value{kind: KindString, str: unsafe.String(unsafe.SliceData(b), len(b))}
	case fastjson.TypeArray:
		return Value{kind: KindArray, ev: v}
	default:
		return Value{kind: KindObject, ev: v}
	}
}

// Kind reports the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsAbsent reports whether v is JS undefined.
func (v Value) IsAbsent() bool { return v.kind == KindAbsent }

// Bool returns the boolean of a KindBool value.
func (v Value) Bool() bool { return v.b }

// Str returns the string of a KindString value.
func (v Value) Str() string { return v.str }

// Number returns the float64 of a KindNumber value, as JS sees it.
func (v Value) Number() float64 {
	if v.ev != nil {
		f, err := v.ev.Float64()
		if err != nil {
			// fastjson accepts a few non-JSON spellings; JS could never
			// have parsed them, NaN is the least surprising stand-in.
			return parseLooseFloat(v.ev)
		}
		return f
	}
	return v.num
}

func parseLooseFloat(v *fastjson.Value) float64 {
	var buf [64]byte
	raw := v.MarshalTo(buf[:0])
	f, ok := parseJSFloat(raw)
	if !ok {
		return math.NaN()
	}
	return f
}

// Len is the number of elements of an array or members of an object.
func (v Value) Len() int {
	switch v.kind {
	case KindArray:
		if v.ev != nil {
			a, _ := v.ev.Array()
			return len(a)
		}
		return len(v.arr)
	case KindObject:
		if v.ev != nil {
			o, _ := v.ev.Object()
			return o.Len()
		}
		return len(v.obj.keys)
	}
	return 0
}

// Index returns array element i.
func (v Value) Index(i int) Value {
	if v.ev != nil {
		a, _ := v.ev.Array()
		return wrapEvent(a[i])
	}
	return v.arr[i]
}

// Get returns an object member (absent when missing or not an object).
func (v Value) Get(key string) Value {
	if v.kind != KindObject {
		return absent
	}
	if v.ev != nil {
		o, _ := v.ev.Object()
		return wrapEvent(o.Get(key))
	}
	val, _ := v.obj.get(key)
	return val
}

// Range calls f for every object member in JS key order (absent members
// included) or every array element with its decimal index.
func (v Value) Range(f func(key string, val Value)) {
	switch v.kind {
	case KindArray:
		n := v.Len()
		var buf [20]byte
		for i := 0; i < n; i++ {
			f(string(appendInt(buf[:0], i)), v.Index(i))
		}
	case KindObject:
		if v.ev != nil {
			o, _ := v.ev.Object()
			forEachEventMember(o, func(k string, ev *fastjson.Value) { f(k, wrapEvent(ev)) })
			return
		}
		for i, k := range v.obj.keys {
			f(k, v.obj.vals[i])
		}
	}
}

// truthy is JS ToBoolean.
func (v Value) truthy() bool {
	switch v.kind {
	case KindBool:
		return v.b
	case KindNumber:
		f := v.Number()
		return f != 0 && !math.IsNaN(f)
	case KindString:
		return v.str != ""
	case KindArray, KindObject:
		return true
	}
	return false
}

// typeName is Object.prototype.toString's type, lower-cased, as used in
// mapping-kit's error messages.
func (v Value) typeName() string {
	switch v.kind {
	case KindNull:
		return "null"
	case KindBool:
		return "boolean"
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindArray:
		return "array"
	case KindObject:
		return "object"
	}
	return "undefined"
}

// typeOf is the JS typeof operator.
func (v Value) typeOf() string {
	switch v.kind {
	case KindNull, KindArray, KindObject:
		return "object"
	}
	return v.typeName()
}

// prop is JS property access obj[key] restricted to own data: indices and
// length on strings and arrays, members on objects. Inherited properties
// (toString, constructor, ...) are deliberately not modelled.
func (v Value) prop(key string) Value {
	switch v.kind {
	case KindObject:
		if v.ev != nil {
			o, _ := v.ev.Object()
			return wrapEvent(o.Get(key))
		}
		val, _ := v.obj.get(key)
		return val
	case KindArray:
		if key == "length" {
			return numberValue(float64(v.Len()))
		}
		i, ok := arrayIndex(key)
		if !ok || i >= uint64(v.Len()) {
			return absent
		}
		return v.Index(int(i))
	case KindString:
		if key == "length" {
			return numberValue(float64(jsvalue.UTF16Len(v.str)))
		}
		i, ok := arrayIndex(key)
		if !ok {
			return absent
		}
		if u, ok := jsvalue.UTF16At(v.str, int(i)); ok {
			return stringValue(u)
		}
	}
	return absent
}

// arrayIndex parses a canonical array index ("0", "12"; not "01", "+1",
// "-0" or 2^32-1), the keys JS treats specially both for element access and
// for own-key ordering.
func arrayIndex(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 10 {
		return 0, false
	}
	if s[0] == '0' {
		return 0, len(s) == 1
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

func newObject(capacity int) *Object {
	return &Object{keys: make([]string, 0, capacity), vals: make([]Value, 0, capacity)}
}

func (o *Object) get(key string) (Value, bool) {
	if i := o.find(key); i >= 0 {
		return o.vals[i], true
	}
	return absent, false
}

func (o *Object) find(key string) int {
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	if len(o.keys) >= objectIndexAt {
		o.reindex()
	}
	return -1
}

func (o *Object) reindex() {
	o.index = make(map[string]int, len(o.keys))
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// set assigns like JS obj[key] = val: an existing key keeps its position,
// a new index key is placed among the leading index keys, any other new key
// goes last.
func (o *Object) set(key string, val Value) {
	if i := o.find(key); i >= 0 {
		o.vals[i] = val
		return
	}
	idx, isIdx := arrayIndex(key)
	if !isIdx {
		if o.index != nil {
			o.index[key] = len(o.keys)
		}
		o.keys = append(o.keys, key)
		o.vals = append(o.vals, val)
		return
	}
	// Index keys usually arrive in ascending order: check the end first.
	pos := o.nidx
	if pos > 0 {
		if last, _ := arrayIndex(o.keys[pos-1]); last > idx {
			pos = 0
			for pos < o.nidx {
				j, _ := arrayIndex(o.keys[pos])
				if j > idx {
					break
				}
				pos++
			}
		}
	}
	o.keys = append(o.keys, "")
	o.vals = append(o.vals, absent)
	copy(o.keys[pos+1:], o.keys[pos:])
	copy(o.vals[pos+1:], o.vals[pos:])
	o.keys[pos] = key
	o.vals[pos] = val
	o.nidx++
	if o.index != nil {
		if pos == len(o.keys)-1 {
			o.index[key] = pos
		} else {
			o.reindex()
		}
	}
}

// Keys returns the object's keys in JS order.
func (o *Object) Keys() []string { return o.keys }

// forEachEventMember visits a fastjson object's members in JS own-key
// order. Events almost never have index-like keys, so the common case is a
// straight walk.
func forEachEventMember(o *fastjson.Object, f func(k string, v *fastjson.Value)) {
	hasIdx := false
	o.Visit(func(k []byte, _ *fastjson.Value) {
		if !hasIdx && len(k) > 0 && k[0] >= '0' && k[0] <= '9' {
			if _, ok := arrayIndex(b2s(k)); ok {
				hasIdx = true
			}
		}
	})
	if !hasIdx {
		o.Visit(func(k []byte, v *fastjson.Value) { f(b2s(k), v) })
		return
	}
	type kv struct {
		idx uint64
		k   string
		v   *fastjson.Value
	}
	var idx []kv
	o.Visit(func(k []byte, v *fastjson.Value) {
		if n, ok := arrayIndex(b2s(k)); ok {
			e := kv{n, b2s(k), v}
			pos := len(idx)
			for pos > 0 && idx[pos-1].idx > n {
				pos--
			}
			idx = append(idx, kv{})
			copy(idx[pos+1:], idx[pos:])
			idx[pos] = e
		}
	})
	for _, e := range idx {
		f(e.k, e.v)
	}
	o.Visit(func(k []byte, v *fastjson.Value) {
		if _, ok := arrayIndex(b2s(k)); !ok {
			f(b2s(k), v)
		}
	})
}

func b2s(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func appendInt(dst []byte, i int) []byte {
	if i == 0 {
		return append(dst, '0')
	}
	var buf [20]byte
	n := len(buf)
	for i > 0 {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
	}
	return append(dst, buf[n:]...)
}
