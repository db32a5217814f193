package destkit

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// Validation follows Segment's runtime (JSON schema derived from the fields,
// checked by AJV with type coercion), in one pass over the parsed payload:
//
//  1. Empty values go first: "" is dropped from every top-level field, null
//     from every field without AllowNull; inside declared objects "" is kept
//     for string-typed properties and nulls are dropped the same way.
//  2. Undeclared keys are dropped at the top level and inside objects that
//     declare Properties (unless AdditionalProperties).
//  3. Scalars are coerced: numbers and booleans to strings, numeric strings
//     and booleans to numbers, "true"/"false" and 1/0 to booleans, a scalar
//     into a one-element list for Multiple fields and a one-element list
//     into its element otherwise.
//  4. Types, string formats (format.go), choices, bounds and (conditional)
//     requirements are checked and every problem is reported, naming the
//     field by its label.
//
// Default mappings are not applied here: as in Segment they only pre-fill a
// subscription's mapping (see Action.DefaultMapping).

var validateParsers fastjson.ParserPool

// SyncModeKey is the mapping key that carries a subscription's sync mode
// (add, update, upsert, delete, mirror) to actions that have one, as in
// Segment. It is not a field, so validation passes it through untouched
// and the action checks the value.
const SyncModeKey = "__segment_internal_sync_mode"

// Validate checks payload (the JSON a mapping rendered) against the action's
// fields and returns the normalised payload, or a *PayloadValidationError.
func (a *Action) Validate(payload []byte) ([]byte, error) {
	return a.AppendValidated(nil, payload)
}

// AppendValidated is Validate appending to dst; on error dst is returned
// unchanged.
func (a *Action) AppendValidated(dst, payload []byte) ([]byte, error) {
	p := validateParsers.Get()
	defer validateParsers.Put(p)
	return a.appendValidatedParsed(dst, payload, p)
}

// AppendValidatedMembers is AppendValidated for a payload the mapping engine wrote
// (mapping.AppendJSONMembers), with the top-level members it listed. Such a payload is in
// JSON.stringify's canonical form, which re-encoding would reproduce byte for byte, so
// top-level free-form objects (a webhook's data, an event's properties) are copied as they
// are instead of being parsed and re-encoded, which was most of the validation's cost.
// An empty list (a mapping whose root is not an object) takes the general path.
func (a *Action) AppendValidatedMembers(dst, payload []byte, members []jsvalue.Member) ([]byte, error) {
	p := validateParsers.Get()
	defer validateParsers.Put(p)
	if len(members) > 0 {
		if out, err, done := a.appendValidatedMembers(dst, payload, members, p); done {
			return out, err
		}
	}
	return a.appendValidatedParsed(dst, payload, p)
}

func (a *Action) appendValidatedParsed(dst, payload []byte, p *fastjson.Parser) ([]byte, error) {
	v, err := p.ParseBytes(payload)
	if err != nil {
		return dst, &PayloadValidationError{Message: "The payload is not valid JSON: " + err.Error()}
	}
	o, err := v.Object()
	if err != nil {
		return dst, &PayloadValidationError{Message: "The root value must be an object but it was " + article(jsType(v)) + "."}
	}
	vd := validator{w: JSONWriter{buf: dst}}
	start := len(dst)
	seen := vd.seen(len(a.Fields))
	vd.w.ObjectStart()
	o.Visit(func(k []byte, e *fastjson.Value) { vd.member(a, unsafeString(k), e, seen) })
	vd.w.ObjectEnd()
	for i := range a.Fields {
		f := &a.Fields[i]
		if !seen[i] && (f.Required || (f.RequiredIf != nil && conditionsHold(f.RequiredIf, o))) {
			vd.fail(f.Key, "The root value is missing the required field '"+f.Key+"'.")
		}
	}
	return vd.result(start)
}

// appendValidatedMembers validates a rendered payload member by member, parsing only the
// values it checks. done is false when the payload needs the general path (a conditional
// requirement to evaluate, a value that does not parse).
func (a *Action) appendValidatedMembers(dst, payload []byte, members []jsvalue.Member, p *fastjson.Parser) (out []byte, err error, done bool) {
	vd := validator{w: JSONWriter{buf: dst}}
	start := len(dst)
	seen := vd.seen(len(a.Fields))
	vd.w.ObjectStart()
	for _, m := range members {
		k, raw := m.Key, payload[m.Start:m.End]
		i := a.fieldIndex(k)
		if i >= 0 && freeForm(&a.Fields[i]) && raw[0] == '{' {
			vd.w.Key(a.Fields[i].Key)
			vd.w.Raw(raw)
			seen[i] = true
			continue
		}
		if i >= 0 && textField(&a.Fields[i]) && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 {
			// A string without escapes is its own text, and its JSON as written is what
			// re-encoding the text would write: check the text, copy the JSON.
			f := &a.Fields[i]
			if len(raw) == 2 {
				continue // "" is dropped at the top level
			}
			vd.w.Key(f.Key)
			vd.w.Raw(raw)
			seen[i] = true
			vd.checkText(f, unsafeString(raw[1:len(raw)-1]), f.Key)
			continue
		}
		e, perr := p.ParseBytes(raw)
		if perr != nil {
			return dst, nil, false
		}
		vd.memberAt(a, i, k, e, seen)
	}
	vd.w.ObjectEnd()
	for i := range a.Fields {
		f := &a.Fields[i]
		if seen[i] {
			continue
		}
		if f.RequiredIf != nil {
			return dst, nil, false
		}
		if f.Required {
			vd.fail(f.Key, "The root value is missing the required field '"+f.Key+"'.")
		}
	}
	out, err = vd.result(start)
	return out, err, true
}

// textField reports whether f takes one string that is written as it is (not a date, whose
// strings are checked and written their own way).
func textField(f *Field) bool {
	return (f.Type == String || f.Type == Text || f.Type == Password) && !f.Multiple
}

// freeForm reports whether any object is a valid value of f as it is.
func freeForm(f *Field) bool {
	return f.Type == Object && len(f.Properties) == 0 && !f.Multiple
}

// member validates and writes one top-level member, or drops it.
func (vd *validator) member(a *Action, k string, e *fastjson.Value, seen []bool) {
	vd.memberAt(a, a.fieldIndex(k), k, e, seen)
}

// memberAt is member for a key whose field index (a.fieldIndex) the caller has.
func (vd *validator) memberAt(a *Action, i int, k string, e *fastjson.Value, seen []bool) {
	if i >= 0 {
		if vd.field(&a.Fields[i], e, true, "") {
			seen[i] = true
		}
		return
	}
	if k == SyncModeKey && e.Type() == fastjson.TypeString {
		vd.w.Key(SyncModeKey)
		vd.w.Value(e)
	} else if h := a.hookField(k); h != nil {
		vd.field(h, e, true, "")
	}
}

func (vd *validator) seen(n int) []bool {
	if n <= len(vd.seenBuf) {
		return vd.seenBuf[:n]
	}
	return make([]bool, n)
}

func (vd *validator) result(start int) ([]byte, error) {
	if vd.errs != nil {
		return vd.w.buf[:start], &PayloadValidationError{Field: vd.first, Message: strings.Join(vd.errs, " ")}
	}
	return vd.w.Bytes(), nil
}

type validator struct {
	w       JSONWriter
	seenBuf [128]bool
	errs    []string
	first   string
}

func (vd *validator) fail(path, msg string) {
	if vd.errs == nil {
		vd.first = path
	}
	vd.errs = append(vd.errs, msg)
}

func (vd *validator) failf(path, format string, args ...any) {
	vd.fail(path, fmt.Sprintf(format, args...))
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func stringy(t FieldType) bool {
	// Datetime's schema type list is [string, number], so it counts.
	return t == String || t == Text || t == Password || t == Datetime
}

// field writes key and value of f unless the value is empty and removed. It
// reports whether the field counts as present.
func (vd *validator) field(f *Field, v *fastjson.Value, root bool, parent string) bool {
	switch v.Type() {
	case fastjson.TypeNull:
		if !f.AllowNull || f.Multiple {
			return false
		}
		vd.w.Key(f.Key)
		vd.w.Null()
		return true
	case fastjson.TypeString:
		if len(v.GetStringBytes()) == 0 && (root || f.Multiple || !stringy(f.Type)) {
			return false
		}
	}
	path := join(parent, f.Key)
	vd.w.Key(f.Key)
	if !f.Multiple {
		vd.single(f, v, path)
		return true
	}
	vd.w.ArrayStart()
	if v.Type() == fastjson.TypeArray {
		for i, e := range v.GetArray() {
			switch e.Type() {
			case fastjson.TypeNull:
				continue
			case fastjson.TypeString:
				if len(e.GetStringBytes()) == 0 && !stringy(f.Type) {
					continue
				}
			}
			vd.single(f, e, path+"["+strconv.Itoa(i)+"]")
		}
	} else {
		vd.single(f, v, path)
	}
	vd.w.ArrayEnd()
	return true
}

// single checks and writes one value of f's base type.
func (vd *validator) single(f *Field, v *fastjson.Value, path string) {
	if v.Type() == fastjson.TypeArray && f.Type != Object {
		// A one-element list stands for its element; longer ones are errors.
		if a := v.GetArray(); len(a) == 1 && a[0].Type() != fastjson.TypeArray && a[0].Type() != fastjson.TypeObject {
			v = a[0]
		}
	}
	switch f.Type {
	case Object:
		if v.Type() != fastjson.TypeObject {
			vd.failf(path, "%s must be an object but it was %s.", f.Label, article(jsType(v)))
			vd.w.Null()
			return
		}
		if len(f.Properties) == 0 {
			vd.w.Value(v)
			return
		}
		vd.object(f, v, path)
	case Number, Integer:
		n, ok := coerceNumber(v)
		if !ok {
			vd.failf(path, "%s must be %s but it was %s.", f.Label, article(string(f.Type)), article(jsType(v)))
			vd.w.Null()
			return
		}
		if f.Type == Integer && n != math.Trunc(n) {
			vd.failf(path, "%s must be an integer but it was a number.", f.Label)
		}
		if len(f.Choices) > 0 && !choiceAllowed(f.Choices, n) {
			vd.failf(path, "%s must be one of: %s.", f.Label, choiceList(f.Choices))
		}
		if f.Type == Number {
			if f.Min != 0 && n < f.Min {
				vd.failf(path, "%s must be equal to or greater than %s.", f.Label, AppendJSNumber(nil, f.Min))
			}
			if f.Max != 0 && n > f.Max {
				vd.failf(path, "%s must be equal to or less than %s.", f.Label, AppendJSNumber(nil, f.Max))
			}
		}
		if v.Type() == fastjson.TypeNumber {
			vd.w.Value(v)
		} else {
			vd.w.Float(n)
		}
	case Boolean:
		b, ok := coerceBool(v)
		if !ok {
			vd.failf(path, "%s must be a boolean but it was %s.", f.Label, article(jsType(v)))
		}
		vd.w.Bool(b)
	case Datetime:
		switch v.Type() {
		case fastjson.TypeNumber:
			vd.w.Value(v)
		case fastjson.TypeString:
			s := v.GetStringBytes()
			if !dateLike(s) {
				vd.failf(path, "%s must be a valid date-like string but it was not.", f.Label)
			}
			vd.w.sep()
			vd.w.buf = appendJSONStringBytes(vd.w.buf, s)
			vd.w.comma = true
		default:
			vd.failf(path, "%s must be a string or number but it was %s.", f.Label, article(jsType(v)))
			vd.w.Null()
		}
	default: // String, Text, Password
		vd.w.sep()
		var ok bool
		vd.w.buf, ok = appendCoercedString(vd.w.buf, v)
		vd.w.comma = true
		if !ok {
			vd.failf(path, "%s must be a string but it was %s.", f.Label, article(jsType(v)))
			return
		}
		if f.Format == "" && len(f.Choices) == 0 && f.Min == 0 && f.Max == 0 {
			return
		}
		vd.checkText(f, coercedString(v), path)
	}
}

// checkText checks the text a string field's value coerced to: its format, choices and
// length.
func (vd *validator) checkText(f *Field, s string, path string) {
	// Segment replaces the format of text and password fields with
	// one that always validates.
	if f.Format != "" && f.Type == String && !ValidFormat(f.Format, unsafe.Slice(unsafe.StringData(s), len(s))) {
		vd.failf(path, "%s must be a valid %s string but it was not.", f.Label, formatLabel(f.Format))
	}
	if len(f.Choices) == 0 && f.Min == 0 && f.Max == 0 {
		return
	}
	if len(f.Choices) > 0 && !choiceAllowed(f.Choices, s) {
		vd.failf(path, "%s must be one of: %s.", f.Label, choiceList(f.Choices))
	}
	n := jsvalue.UTF16Len(s)
	if f.Min != 0 && float64(n) < f.Min {
		vd.failf(path, "%s must be %s characters or more but it was %d %s.", f.Label, AppendJSNumber(nil, f.Min), n, plural(n, "character"))
	}
	if f.Max != 0 && float64(n) > f.Max {
		vd.failf(path, "%s must be %s characters or fewer but it was %d %s.", f.Label, AppendJSNumber(nil, f.Max), n, plural(n, "character"))
	}
}

func (vd *validator) object(f *Field, v *fastjson.Value, path string) {
	o, _ := v.Object()
	var seenBuf [64]bool
	seen := seenBuf[:0]
	if len(f.Properties) <= len(seenBuf) {
		seen = seenBuf[:len(f.Properties)]
	} else {
		seen = make([]bool, len(f.Properties))
	}
	vd.w.ObjectStart()
	o.Visit(func(k []byte, e *fastjson.Value) {
		for i := range f.Properties {
			if f.Properties[i].Key == string(k) {
				if vd.field(&f.Properties[i], e, false, path) {
					seen[i] = true
				}
				return
			}
		}
		if f.AdditionalProperties {
			vd.w.sep()
			vd.w.buf = appendJSONStringBytes(vd.w.buf, k)
			vd.w.buf = append(vd.w.buf, ':')
			vd.w.comma = false
			vd.w.Value(e)
		}
	})
	vd.w.ObjectEnd()
	for i := range f.Properties {
		p := &f.Properties[i]
		if !seen[i] && (p.Required || (p.RequiredIf != nil && conditionsHold(p.RequiredIf, o))) {
			vd.fail(join(path, p.Key), f.Label+" is missing the required field '"+p.Key+"'.")
		}
	}
}

func coerceNumber(v *fastjson.Value) (float64, bool) {
	switch v.Type() {
	case fastjson.TypeNumber:
		n, err := v.Float64()
		return n, err == nil
	case fastjson.TypeString:
		s := strings.TrimSpace(string(v.GetStringBytes()))
		if s == "" {
			return 0, false
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
			return 0, false
		}
		return n, true
	case fastjson.TypeTrue:
		return 1, true
	case fastjson.TypeFalse:
		return 0, true
	}
	return 0, false
}

func coerceBool(v *fastjson.Value) (bool, bool) {
	switch v.Type() {
	case fastjson.TypeTrue:
		return true, true
	case fastjson.TypeFalse:
		return false, true
	case fastjson.TypeString:
		switch string(v.GetStringBytes()) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case fastjson.TypeNumber:
		switch n, _ := v.Float64(); n {
		case 1:
			return true, true
		case 0:
			return false, true
		}
	}
	return false, false
}

// appendCoercedString appends v as a JSON string when it is a string, number
// or boolean.
func appendCoercedString(dst []byte, v *fastjson.Value) ([]byte, bool) {
	switch v.Type() {
	case fastjson.TypeString:
		return appendJSONStringBytes(dst, v.GetStringBytes()), true
	case fastjson.TypeNumber:
		n, _ := v.Float64()
		dst = append(dst, '"')
		dst = AppendJSNumber(dst, n)
		return append(dst, '"'), true
	case fastjson.TypeTrue:
		return append(dst, `"true"`...), true
	case fastjson.TypeFalse:
		return append(dst, `"false"`...), true
	}
	return append(dst, "null"...), false
}

// coercedString is the string v coerces to; a string value is viewed, not copied, so the
// result must not outlive v.
func coercedString(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeString:
		return unsafeString(v.GetStringBytes())
	case fastjson.TypeNumber:
		n, _ := v.Float64()
		return string(AppendJSNumber(nil, n))
	case fastjson.TypeTrue:
		return "true"
	}
	return "false"
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func jsType(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeString:
		return "string"
	case fastjson.TypeNumber:
		return "number"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "boolean"
	case fastjson.TypeNull:
		return "null"
	case fastjson.TypeArray:
		return "array"
	}
	return "object"
}

func article(t string) string {
	switch t {
	case "null":
		return "null"
	case "integer", "object", "array":
		return "an " + t
	}
	return "a " + t
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
	"2006-01",
	"2006",
	time.RFC1123,
	time.RFC1123Z,
	time.RFC850,
	time.ANSIC,
	"Mon Jan 2 2006 15:04:05 GMT-0700",
	"Jan 2, 2006",
	"2006/01/02",
	"01/02/2006",
}

// dateLike approximates JavaScript's Date parsing: an all-digit string is
// unix seconds, anything else must parse as one of the common layouts.
func dateLike(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	digits := true
	for _, c := range b {
		if c < '0' || c > '9' {
			digits = false
			break
		}
	}
	if digits {
		return true
	}
	s := strings.TrimSpace(string(b))
	if strings.HasSuffix(s, ")") { // "... GMT+0000 (Coordinated Universal Time)"
		if i := strings.LastIndex(s, " ("); i > 0 {
			s = s[:i]
		}
	}
	for _, l := range dateLayouts {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

// conditionsHold evaluates a conditional requirement against the object
// that holds the field.
func conditionsHold(r *RequiredIf, o *fastjson.Object) bool {
	if len(r.Conditions) == 0 {
		return false
	}
	for _, c := range r.Conditions {
		ok := conditionHolds(c, o)
		if r.Any && ok {
			return true
		}
		if !r.Any && !ok {
			return false
		}
	}
	return !r.Any
}

func conditionHolds(c Condition, o *fastjson.Object) bool {
	var v *fastjson.Value
	if parent, child, ok := strings.Cut(c.FieldKey, "."); ok {
		if p := o.Get(parent); p != nil {
			v = p.Get(child)
		}
	} else {
		v = o.Get(c.FieldKey)
	}
	present := v != nil && v.Type() != fastjson.TypeNull &&
		!(v.Type() == fastjson.TypeString && len(v.GetStringBytes()) == 0)
	if c.Value == nil {
		if c.Operator == "is_not" {
			return present
		}
		return !present
	}
	if !present {
		return false
	}
	eq := valueEquals(v, c.Value)
	if c.Operator == "is_not" {
		return !eq
	}
	return eq
}

func valueEquals(v *fastjson.Value, want any) bool {
	switch w := want.(type) {
	case string:
		return v.Type() == fastjson.TypeString && string(v.GetStringBytes()) == w
	case bool:
		return (w && v.Type() == fastjson.TypeTrue) || (!w && v.Type() == fastjson.TypeFalse)
	}
	if f, ok := toFloat(want); ok && v.Type() == fastjson.TypeNumber {
		n, _ := v.Float64()
		return n == f
	}
	return false
}

// unsafeString views b as a string for a lookup that does not keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
