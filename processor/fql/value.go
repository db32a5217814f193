package fql

import (
	"math"
	"unicode/utf8"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// kind is the type of a value during evaluation. JSON's six types are joined
// by absent (the field is not there, JavaScript's undefined) and invalid (an
// operator or function was given a type it cannot use). Boolean results that
// cannot be decided are represented as null, as in SQL's three-valued logic.
type kind uint8

const (
	kindAbsent kind = iota
	kindNull
	kindBool
	kindNumber
	kindString
	kindList   // a JSON array (json) or a list literal (items)
	kindObject // a JSON object (json)
	kindInvalid
)

// value is passed by value so that evaluation does not allocate; strings
// taken from the event alias the parser's buffer rather than being copied.
type value struct {
	kind  kind
	b     bool
	num   float64
	str   string
	json  *fastjson.Value
	items []value
}

var (
	absentValue  = value{kind: kindAbsent}
	nullValue    = value{kind: kindNull}
	invalidValue = value{kind: kindInvalid}
	trueValue    = value{kind: kindBool, b: true}
	falseValue   = value{kind: kindBool, b: false}
)

func boolValue(b bool) value {
	if b {
		return trueValue
	}
	return falseValue
}

func numberValue(f float64) value { return value{kind: kindNumber, num: f} }
func stringValue(s string) value  { return value{kind: kindString, str: s} }

func (v value) isNullish() bool { return v.kind == kindAbsent || v.kind == kindNull }

// fromJSON wraps a fastjson value; nil is absent.
func fromJSON(j *fastjson.Value) value {
	if j == nil {
		return absentValue
	}
	switch j.Type() {
	case fastjson.TypeNull:
		return nullValue
	case fastjson.TypeTrue:
		return trueValue
	case fastjson.TypeFalse:
		return falseValue
	case fastjson.TypeNumber:
		f, err := j.Float64()
		if err != nil {
			// fastfloat rejects out-of-range literals such as 1e400 that
			// JSON.parse reads as Infinity.
			f = stringToNumber(unsafeString(j.MarshalTo(nil)))
		}
		return value{kind: kindNumber, num: f}
	case fastjson.TypeString:
		b, _ := j.StringBytes()
		return value{kind: kindString, str: unsafeString(b), json: j}
	case fastjson.TypeArray:
		return value{kind: kindList, json: j}
	case fastjson.TypeObject:
		return value{kind: kindObject, json: j}
	}
	return absentValue
}

// unsafeString views b as a string without copying. The bytes belong to the
// fastjson parser and stay unchanged while an event is being evaluated, which
// is the only time these strings are used.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// falsy follows JavaScript's definition. Segment's path lookup stops at the
// first falsy value and returns it (properties.a.b is 0 when properties.a is
// 0), and Actuate reproduces that so triggers evaluate identically.
func (v value) falsy() bool {
	switch v.kind {
	case kindAbsent, kindNull:
		return true
	case kindBool:
		return !v.b
	case kindNumber:
		return v.num == 0 || math.IsNaN(v.num)
	case kindString:
		return v.str == ""
	}
	return false
}

// listLen and listItem give uniform access to JSON arrays and list literals.
func (v value) listLen() int {
	if v.items != nil || v.json == nil {
		return len(v.items)
	}
	return len(v.json.GetArray())
}

func (v value) listItem(i int) value {
	if v.items != nil || v.json == nil {
		return v.items[i]
	}
	return fromJSON(v.json.GetArray()[i])
}

// step reads one path segment from v the way JavaScript's v[segment] does for
// JSON data: object keys, array indices and length, string indices and
// length. Anything else is absent.
func (v value) step(segment string) value {
	switch v.kind {
	case kindObject:
		o, _ := v.json.Object()
		return fromJSON(o.Get(segment))
	case kindList:
		if segment == "length" {
			return numberValue(float64(v.listLen()))
		}
		if i, ok := arrayIndex(segment); ok && i < v.listLen() {
			return v.listItem(i)
		}
	case kindString:
		if segment == "length" {
			return numberValue(float64(jsvalue.UTF16Len(v.str)))
		}
		if i, ok := arrayIndex(segment); ok {
			return utf16At(v.str, i)
		}
	}
	return absentValue
}

// arrayIndex accepts only canonical non-negative integers, as JavaScript
// does: "01", "+1" and "-0" are ordinary property names, not indices.
func arrayIndex(s string) (int, bool) {
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// utf16At is JavaScript's s[i], a slice of s (jsvalue.UTF16At). Half of a surrogate
// pair comes back as U+FFFD, not as the lone surrogate Segment's engine holds
// (eval_test asserts it).
func utf16At(s string, i int) value {
	c, ok := jsvalue.UTF16At(s, i)
	if !ok {
		return absentValue
	}
	if _, half := jsvalue.SurrogateAt(c, 0); half {
		return stringValue(string(utf8.RuneError))
	}
	return stringValue(c)
}
