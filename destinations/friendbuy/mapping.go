package friendbuy

import (
	"context"
	"regexp"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// A member's JSON text; nil is JavaScript's undefined.
type jsonText = []byte

// member says how a payload member becomes a member of Friendbuy's body.
type member struct {
	// name is Friendbuy's name for it; "" keeps the payload's.
	name string
	// convert changes the value; nil keeps it.
	convert func(v *fastjson.Value) jsonText
	// drop leaves the member out.
	drop bool
	// list maps each element of a list with the nested mapping.
	list *mapping
}

// mapping is how a payload becomes Friendbuy's body: known members by
// their table, the others (non-empty) as strings in additionalProperties
// when additional is set.
type mapping struct {
	members    map[string]member
	defaults   [][2]string // members every body starts with, as JSON text
	additional bool
}

var (
	keep = member{}
	drop = member{drop: true}
)

// apply builds the body from a payload (already merged with its custom
// attributes); ok is false when nothing is left to send.
func (m *mapping) apply(payload *fastjson.Value) (body jsonText, ok bool) {
	var out, extra destkit.JSObject
	for _, d := range m.defaults {
		out.Set(d[0], []byte(d[1]))
	}
	hasExtra := false
	jsEntries(payload, func(k string, v *fastjson.Value) {
		mm, known := m.members[k]
		switch {
		case !known:
			if m.additional && nonEmpty(destkit.AppendValue(nil, v)) {
				if !hasExtra {
					out.Set("additionalProperties", nil) // its place: first use
					hasExtra = true
				}
				extra.Set(k, stringify(v))
			}
		case mm.drop:
		default:
			value := destkit.AppendValue(nil, v)
			if mm.convert != nil {
				value = mm.convert(v)
			}
			if mm.list != nil {
				value = mm.list.applyList(v)
			}
			if nonEmpty(value) {
				name := mm.name
				if name == "" {
					name = k
				}
				out.Set(name, value)
			}
		}
	})
	if hasExtra {
		out.Set("additionalProperties", extra.AppendJSON(nil))
	}
	body = out.AppendJSON(nil)
	return body, nonEmpty(body)
}

// applyList maps each element of a list; elements that map to nothing are
// left out.
func (m *mapping) applyList(v *fastjson.Value) jsonText {
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	for _, el := range v.GetArray() {
		if b, ok := m.apply(el); ok {
			w.Raw(b)
		}
	}
	w.ArrayEnd()
	return w.Bytes()
}

// jsEntries visits an object's members in JavaScript's order (integer keys
// first), as Object.entries does.
func jsEntries(v *fastjson.Value, f func(k string, v *fastjson.Value)) {
	if v == nil || v.Type() != fastjson.TypeObject {
		return
	}
	var o destkit.JSObject
	o.Assign(v, nil)
	ordered, err := fastjson.ParseBytes(o.AppendJSON(nil))
	if err != nil {
		return
	}
	ordered.GetObject().Visit(func(k []byte, x *fastjson.Value) { f(string(k), x) })
}

// nonEmpty is the mapper's test of a value worth sending: not undefined,
// not "", and not an object or list without members (null counts).
func nonEmpty(b jsonText) bool {
	switch string(b) {
	case "", `""`, "{}", "[]":
		return false
	}
	return true
}

// stringify is how an unmapped member is sent: strings as they are,
// objects, lists and null as JSON text, numbers and booleans as
// JavaScript prints them.
func stringify(v *fastjson.Value) jsonText {
	switch v.Type() {
	case fastjson.TypeString:
		return destkit.AppendValue(nil, v)
	case fastjson.TypeNumber:
		return destkit.AppendJSONString(nil, jsvalue.FormatNumber(v.GetFloat64()))
	case fastjson.TypeTrue:
		return []byte(`"true"`)
	case fastjson.TypeFalse:
		return []byte(`"false"`)
	}
	return destkit.AppendJSONString(nil, string(destkit.AppendValue(nil, v)))
}

// toString sends a number as a string (ids).
func toString(v *fastjson.Value) jsonText {
	if v.Type() == fastjson.TypeNumber {
		return destkit.AppendJSONString(nil, jsvalue.FormatNumber(v.GetFloat64()))
	}
	return destkit.AppendValue(nil, v)
}

var (
	integerText = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)$`)
	numberText  = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$`)
)

// toInteger sends a string of an integer as a number.
func toInteger(v *fastjson.Value) jsonText { return parseNumber(v, integerText) }

// toNumber sends a string of a decimal number as a number.
func toNumber(v *fastjson.Value) jsonText { return parseNumber(v, numberText) }

func parseNumber(v *fastjson.Value, form *regexp.Regexp) jsonText {
	if v.Type() == fastjson.TypeString {
		if s := string(v.GetStringBytes()); form.MatchString(s) {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return jsvalue.AppendJSONNumber(nil, f)
			}
		}
	}
	return destkit.AppendValue(nil, v)
}

// dateText is a birthday as YYYY-MM-DD or MM-DD, possibly followed by a time.
var dateText = regexp.MustCompile(`^(?:(\d\d\d\d)-)?(\d\d)-(\d\d)(?:[^\d]|$)`)

// toDate sends a birthday as {month, day[, year]} (a year of 0000 is left
// out); an object with numeric month and day is sent as it is, anything
// else not at all.
func toDate(v *fastjson.Value) jsonText {
	if v.Type() == fastjson.TypeObject {
		y := v.Get("year")
		if (y == nil || y.Type() == fastjson.TypeNumber) && isNumber(v.Get("month")) && isNumber(v.Get("day")) {
			return destkit.AppendValue(nil, v)
		}
		return nil
	}
	if v.Type() != fastjson.TypeString {
		return nil
	}
	m := dateText.FindStringSubmatch(string(v.GetStringBytes()))
	if m == nil {
		return nil
	}
	month, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("month")
	w.Int(int64(month))
	w.Key("day")
	w.Int(int64(day))
	if m[1] != "" && m[1] != "0000" {
		year, _ := strconv.Atoi(m[1])
		w.Key("year")
		w.Int(int64(year))
	}
	w.ObjectEnd()
	return w.Bytes()
}

func isNumber(v *fastjson.Value) bool { return v != nil && v.Type() == fastjson.TypeNumber }

// merged is the payload with its custom attributes (friendbuyAttributes)
// and, for custom events, its event properties (under) spread beneath it:
// the payload's own members win, the spread ones keep their places.
func merged(payload *fastjson.Value, under string) *fastjson.Value {
	var o destkit.JSObject
	if under != "" {
		if props := payload.Get(under); props != nil && props.Type() == fastjson.TypeObject {
			o.Assign(props, nil)
			o.Assign(payload, nil)
			o.Delete(under)
		} else {
			o.Assign(payload, nil)
		}
	} else {
		o.Assign(payload, nil)
	}
	if attrs := o.Get("friendbuyAttributes"); attrs != nil && truthyJSON(attrs) {
		var m destkit.JSObject
		if v, err := fastjson.ParseBytes(attrs); err == nil && v.Type() == fastjson.TypeObject {
			m.Assign(v, nil)
		}
		cur, _ := fastjson.ParseBytes(o.AppendJSON(nil))
		m.Assign(cur, nil)
		m.Delete("friendbuyAttributes")
		o = m
	}
	v, _ := fastjson.ParseBytes(o.AppendJSON(nil))
	return v
}

// truthyJSON is JavaScript's truthiness of a JSON value.
func truthyJSON(b jsonText) bool {
	v, err := fastjson.ParseBytes(b)
	return err == nil && destkit.Truthy(v)
}

// run maps the payload (with the member named under spread beneath it,
// when set) and posts the body to path.
func run(m *mapping, under, path string) func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		body, ok := m.apply(merged(in.Payload, under))
		if !ok {
			return &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA", Message: "The payload has no field Friendbuy takes."}
		}
		return post(ctx, d, in.Settings, path, body)
	}
}
