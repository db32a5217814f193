package destkit

import (
	"strings"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// Truthy is JavaScript's truthiness of a payload value, which Segment's
// actions test with `if (value)`, `value ? … : …` and `a || b`: absent
// (nil), null, false, "", 0 and NaN are falsy; everything else, empty
// objects and arrays included, is truthy.
func Truthy(v *fastjson.Value) bool {
	if v == nil {
		return false
	}
	switch v.Type() {
	case fastjson.TypeNull, fastjson.TypeFalse:
		return false
	case fastjson.TypeString:
		return len(v.GetStringBytes()) > 0
	case fastjson.TypeNumber:
		f := v.GetFloat64()
		return f != 0 && f == f
	}
	return true
}

// JSString is JavaScript's String(v), which is also what a template literal
// (`${v}`) prints, for a payload value: a string as it is, a number as
// JavaScript prints it, true, false and null as words, an array as its
// elements' texts joined by commas (null elements empty), an object as
// "[object Object]". Absent (nil) is "undefined".
func JSString(v *fastjson.Value) string {
	if v == nil {
		return "undefined"
	}
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeNumber:
		return jsvalue.FormatNumber(v.GetFloat64())
	case fastjson.TypeTrue:
		return "true"
	case fastjson.TypeFalse:
		return "false"
	case fastjson.TypeNull:
		return "null"
	case fastjson.TypeArray:
		a := v.GetArray()
		parts := make([]string, len(a))
		for i, e := range a {
			if e.Type() != fastjson.TypeNull {
				parts[i] = JSString(e)
			}
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}
