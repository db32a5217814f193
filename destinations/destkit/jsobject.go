package destkit

import (
	"strconv"

	"github.com/valyala/fastjson"
)

// JSObject builds a JSON object the way a JavaScript object is built and
// then serialised by JSON.stringify, for actions that must send the same
// bytes as Segment's code ({...payload, key: value}, Object.assign):
//
//   - a key keeps the place it was first set at, whatever is set later;
//   - a key set to undefined (nil) keeps its place but is not written,
//     until a later Set gives it a value;
//   - integer-like keys ("0", "42", below 2³²−1, no leading zeros) come
//     first, in ascending order, as in every JavaScript object.
//
// Values are JSON text. The zero value is an empty object.
type JSObject struct {
	keys []string
	vals map[string][]byte
}

// Set sets key k to the JSON text raw; nil means undefined.
func (o *JSObject) Set(k string, raw []byte) {
	if o.vals == nil {
		o.vals = make(map[string][]byte, 8)
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = raw
}

// SetValue sets k to v; a nil v is undefined.
func (o *JSObject) SetValue(k string, v *fastjson.Value) {
	if v == nil {
		o.Set(k, nil)
		return
	}
	o.Set(k, AppendValue(nil, v))
}

// SetString sets k to the string s.
func (o *JSObject) SetString(k, s string) { o.Set(k, AppendJSONString(nil, s)) }

// Get returns the JSON text of k, nil when k is absent or undefined.
func (o *JSObject) Get(k string) []byte { return o.vals[k] }

// Has reports whether k was set, even to undefined.
func (o *JSObject) Has(k string) bool {
	_, ok := o.vals[k]
	return ok
}

// Delete removes k, as the delete operator does.
func (o *JSObject) Delete(k string) {
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	for i, x := range o.keys {
		if x == k {
			o.keys = append(o.keys[:i], o.keys[i+1:]...)
			return
		}
	}
}

// Assign copies every member of v when it is an object, as
// Object.assign(o, v) or {...o, ...v}; skip, when not nil, leaves members
// out.
func (o *JSObject) Assign(v *fastjson.Value, skip func(k string) bool) {
	if v == nil || v.Type() != fastjson.TypeObject {
		return
	}
	v.GetObject().Visit(func(k []byte, x *fastjson.Value) {
		if skip == nil || !skip(string(k)) {
			o.SetValue(string(k), x)
		}
	})
}

// AppendJSON appends the object as JSON.stringify writes it.
func (o *JSObject) AppendJSON(dst []byte) []byte {
	w := NewJSONWriter(dst)
	o.write(w)
	return w.Bytes()
}

// Write writes the object to w as one value.
func (o *JSObject) Write(w *JSONWriter) { o.write(w) }

func (o *JSObject) write(w *JSONWriter) {
	w.ObjectStart()
	var idx []string
	for _, k := range o.keys {
		if _, ok := arrayIndex(k); ok {
			idx = append(idx, k)
		}
	}
	if len(idx) > 1 {
		for i := 1; i < len(idx); i++ { // insertion sort: such keys are rare
			for j := i; j > 0; j-- {
				a, _ := arrayIndex(idx[j-1])
				b, _ := arrayIndex(idx[j])
				if a <= b {
					break
				}
				idx[j-1], idx[j] = idx[j], idx[j-1]
			}
		}
	}
	emit := func(k string) {
		if v := o.vals[k]; v != nil {
			w.Key(k)
			w.Raw(v)
		}
	}
	for _, k := range idx {
		emit(k)
	}
	for _, k := range o.keys {
		if _, ok := arrayIndex(k); !ok {
			emit(k)
		}
	}
	w.ObjectEnd()
}

// arrayIndex reports whether k is a canonical array index.
func arrayIndex(k string) (uint64, bool) {
	if k == "" || len(k) > 10 || len(k) > 1 && k[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return n, err == nil && n < 1<<32-1
}
