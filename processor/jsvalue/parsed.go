package jsvalue

import "github.com/valyala/fastjson"

// AppendParsed appends v, a parsed JSON value, as JSON text (nil as null): strings quoted
// as AppendQuoted does, numbers in the text they were parsed from, object members in the
// order they were parsed. fastjson's own MarshalTo is not JSON for a string that was read
// (and so unescaped) before: it quotes one with a control byte, or with '"' or '\\' and a
// byte that is not printable, as Go does ("\x01").
func AppendParsed(dst []byte, v *fastjson.Value) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	switch v.Type() {
	case fastjson.TypeString:
		return AppendQuotedBytes(dst, v.GetStringBytes())
	case fastjson.TypeObject:
		o, _ := v.Object()
		dst = append(dst, '{')
		first := true
		o.Visit(func(k []byte, e *fastjson.Value) {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(AppendQuotedBytes(dst, k), ':')
			dst = AppendParsed(dst, e)
		})
		return append(dst, '}')
	case fastjson.TypeArray:
		dst = append(dst, '[')
		for i, e := range v.GetArray() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendParsed(dst, e)
		}
		return append(dst, ']')
	default: // number, true, false, null
		return v.MarshalTo(dst)
	}
}
