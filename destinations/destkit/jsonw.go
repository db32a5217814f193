package destkit

import (
	"strconv"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
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

// AppendValue appends v as JSON (jsvalue.AppendParsed): strings re-escaped (fastjson's
// own encoder emits Go escapes that are not valid JSON), numbers in the text they were
// parsed from.
func AppendValue(dst []byte, v *fastjson.Value) []byte { return jsvalue.AppendParsed(dst, v) }

// AppendJSONString appends s as a JSON string literal, as JSON.stringify writes it
// (jsvalue.AppendQuoted): bytes that are not UTF-8 are written as U+FFFD.
func AppendJSONString(dst []byte, s string) []byte { return jsvalue.AppendQuoted(dst, s) }

func appendJSONStringBytes(dst, b []byte) []byte { return jsvalue.AppendQuotedBytes(dst, b) }

// AppendJSNumber appends f as JSON.stringify writes a number (jsvalue.AppendJSONNumber):
// JavaScript's String(f) — integers without a fraction, exponent form only from 1e21 up
// and below 1e-6 — and null for NaN and the infinities.
func AppendJSNumber(dst []byte, f float64) []byte { return jsvalue.AppendJSONNumber(dst, f) }
