package destkit

import "github.com/valyala/fastjson"

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
