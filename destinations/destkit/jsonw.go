package destkit

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// JSONWriter appends JSON to a byte slice, inserting commas itself. It writes
// the way JavaScript's JSON.stringify does (no spaces, no HTML escaping, keys
// in insertion order), so bodies match what Segment would have sent. The zero
// value is ready to use; Reset keeps the buffer for reuse.
type JSONWriter struct {
	buf   []byte
	comma bool
}

// NewJSONWriter returns a writer appending to dst.
func NewJSONWriter(dst []byte) *JSONWriter { return &JSONWriter{buf: dst} }

// Bytes returns the JSON written so far.
func (w *JSONWriter) Bytes() []byte { return w.buf }

// Reset empties the writer, keeping its buffer.
func (w *JSONWriter) Reset() { w.buf = w.buf[:0]; w.comma = false }

func (w *JSONWriter) sep() {
	if w.comma {
		w.buf = append(w.buf, ',')
	}
}

// ObjectStart opens an object.
func (w *JSONWriter) ObjectStart() { w.sep(); w.buf = append(w.buf, '{'); w.comma = false }

// ObjectEnd closes an object.
func (w *JSONWriter) ObjectEnd() { w.buf = append(w.buf, '}'); w.comma = true }

// ArrayStart opens an array.
func (w *JSONWriter) ArrayStart() { w.sep(); w.buf = append(w.buf, '['); w.comma = false }

// ArrayEnd closes an array.
func (w *JSONWriter) ArrayEnd() { w.buf = append(w.buf, ']'); w.comma = true }

// Key writes an object key; the next call writes its value.
func (w *JSONWriter) Key(k string) {
	w.sep()
	w.buf = AppendJSONString(w.buf, k)
	w.buf = append(w.buf, ':')
	w.comma = false
}

// String writes a string value.
func (w *JSONWriter) String(s string) { w.sep(); w.buf = AppendJSONString(w.buf, s); w.comma = true }

// Int writes an integer value.
func (w *JSONWriter) Int(i int64) { w.sep(); w.buf = strconv.AppendInt(w.buf, i, 10); w.comma = true }

// Float writes a number the way JavaScript prints it.
func (w *JSONWriter) Float(f float64) { w.sep(); w.buf = AppendJSNumber(w.buf, f); w.comma = true }

// Bool writes true or false.
func (w *JSONWriter) Bool(b bool) {
	w.sep()
	w.buf = strconv.AppendBool(w.buf, b)
	w.comma = true
}

// Null writes null.
func (w *JSONWriter) Null() { w.sep(); w.buf = append(w.buf, "null"...); w.comma = true }

// Raw writes pre-encoded JSON as one value.
func (w *JSONWriter) Raw(b []byte) { w.sep(); w.buf = append(w.buf, b...); w.comma = true }

// Value writes a parsed value; a nil value writes null.
func (w *JSONWriter) Value(v *fastjson.Value) {
	w.sep()
	w.buf = AppendValue(w.buf, v)
	w.comma = true
}

// Field writes key and value when v is present, and nothing otherwise, so
// absent payload fields stay absent in the body.
func (w *JSONWriter) Field(key string, v *fastjson.Value) {
	if v == nil {
		return
	}
	w.Key(key)
	w.Value(v)
}

// StringField writes key and s unless s is empty.
func (w *JSONWriter) StringField(key, s string) {
	if s == "" {
		return
	}
	w.Key(key)
	w.String(s)
}

// AppendValue appends v as JSON. Strings are re-escaped (fastjson's own
// encoder emits Go escapes that are not valid JSON); numbers keep the text
// they were parsed from.
func AppendValue(dst []byte, v *fastjson.Value) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	switch v.Type() {
	case fastjson.TypeString:
		return appendJSONStringBytes(dst, v.GetStringBytes())
	case fastjson.TypeObject:
		o, _ := v.Object()
		dst = append(dst, '{')
		first := true
		o.Visit(func(k []byte, e *fastjson.Value) {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendJSONStringBytes(dst, k)
			dst = append(dst, ':')
			dst = AppendValue(dst, e)
		})
		return append(dst, '}')
	case fastjson.TypeArray:
		dst = append(dst, '[')
		for i, e := range v.GetArray() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendValue(dst, e)
		}
		return append(dst, ']')
	default: // number, true, false, null
		return v.MarshalTo(dst)
	}
}

// AppendJSONString appends s as a JSON string literal.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			dst = appendEscapedASCII(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Invalid UTF-8 cannot reach a JavaScript string; it would have
			// been decoded as U+FFFD, so write that.
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendJSONStringBytes(dst, b []byte) []byte {
	// Converting here does not allocate: the compiler recognises the
	// conversion in a call argument that does not escape.
	return AppendJSONString(dst, string(b))
}

const hexDigits = "0123456789abcdef"

func appendEscapedASCII(dst []byte, c byte) []byte {
	switch c {
	case '"':
		return append(dst, '\\', '"')
	case '\\':
		return append(dst, '\\', '\\')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// AppendJSNumber appends f as JavaScript's String(f) would: integers without
// a fraction, exponent form only from 1e21 up and below 1e-6.
func AppendJSNumber(dst []byte, f float64) []byte {
	if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		// NaN and Infinity serialise as null in JSON.stringify.
		if f == 0 {
			return append(dst, '0')
		}
		return append(dst, "null"...)
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
	// Go writes e-07 or e+21; JavaScript drops the exponent's leading zero.
	for i := start; i < len(dst); i++ {
		if dst[i] == 'e' && i+2 < len(dst) && dst[i+2] == '0' && i+3 < len(dst) {
			dst = append(dst[:i+2], dst[i+3:]...)
			break
		}
	}
	return dst
}
