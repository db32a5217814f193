package absmartly

import (
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackExposure forwards an exposure payload made by an ABsmartly SDK,
// moved in time to when the event is sent.
var TrackExposure = &destkit.Action{
	Key:                 "trackExposure",
	Title:               "Track Exposure",
	Description:         "Send an exposure payload produced by an ABsmartly SDK to ABsmartly.",
	DefaultSubscription: `type = "track" and event = "Experiment Viewed"`,
	Fields: []destkit.Field{
		{Key: "exposure", Label: "ABsmartly Exposure Payload", Type: destkit.Object, Required: true,
			Default:     `{"@path":"$.properties.exposure"}`,
			Description: "The exposure payload as the ABsmartly SDK made it, without goals; do not modify it."},
		agentField, applicationField,
	},
	Perform: trackExposure,
}

const malformed = "Field `exposure` is malformed or contains goals. Ensure you are sending a valid ABsmartly exposure payload without goals."

func trackExposure(in *destkit.Input) ([]destkit.Request, error) {
	e := in.Payload.Get("exposure")
	if e == nil || e.Type() != fastjson.TypeObject {
		return nil, destkit.ValidationErrorf("exposure", "Field `exposure` is required to be an object when tracking exposures")
	}
	published, ok := timestamp(e.Get("publishedAt"))
	units, exposures := e.GetArray("units"), e.GetArray("exposures")
	if !ok || len(units) == 0 || len(exposures) == 0 {
		return nil, destkit.ValidationErrorf("exposure", malformed)
	}
	for _, x := range exposures {
		if at := x.Get("exposedAt"); at == nil || at.Type() != fastjson.TypeNumber {
			return nil, destkit.ValidationErrorf("exposure", malformed)
		} else if _, ok := timestamp(at); !ok {
			return nil, destkit.ValidationErrorf("exposure", malformed)
		}
	}
	if g := e.Get("goals"); g != nil && g.Type() != fastjson.TypeNull && (g.Type() != fastjson.TypeArray || len(g.GetArray()) > 0) {
		return nil, destkit.ValidationErrorf("exposure", malformed)
	}
	if a := e.Get("attributes"); a != nil && a.Type() != fastjson.TypeNull && a.Type() != fastjson.TypeArray {
		return nil, destkit.ValidationErrorf("exposure", malformed)
	}

	ts := float64(now().UnixMilli())
	offset := ts - published
	shifted := func(v *fastjson.Value, key string) []byte {
		// Each element with key moved by offset, as {...x, key: x[key] + offset}.
		w := destkit.NewJSONWriter(nil)
		w.ArrayStart()
		for _, x := range v.GetArray() {
			w.ObjectStart()
			seen := false
			if o, err := x.Object(); err == nil {
				o.Visit(func(k []byte, y *fastjson.Value) {
					w.Key(string(k))
					if string(k) == key {
						seen = true
						w.Raw(jsAdd(y, offset))
					} else {
						w.Value(y)
					}
				})
			}
			if !seen {
				w.Key(key)
				w.Raw(jsAdd(nil, offset))
			}
			w.ObjectEnd()
		}
		w.ArrayEnd()
		return w.Bytes()
	}

	// {...exposure, historic: true, publishedAt: ts, exposures, attributes}:
	// keys already there keep their place.
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	has := map[string]bool{}
	e.GetObject().Visit(func(k []byte, v *fastjson.Value) {
		key := string(k)
		has[key] = true
		switch key {
		case "historic":
			w.Key(key)
			w.Bool(true)
		case "publishedAt":
			w.Key(key)
			w.Float(ts)
		case "exposures":
			w.Key(key)
			w.Raw(shifted(v, "exposedAt"))
		case "attributes":
			if v.Type() == fastjson.TypeArray {
				w.Key(key)
				w.Raw(shifted(v, "setAt"))
			}
		default:
			w.Key(key)
			w.Value(v)
		}
	})
	if !has["historic"] {
		w.Key("historic")
		w.Bool(true)
	}
	if !has["publishedAt"] {
		w.Key("publishedAt")
		w.Float(ts)
	}
	w.ObjectEnd()
	return put(in, w.Bytes()), nil
}

// timestamp reads a time in milliseconds as Segment's check does: a number
// between 2010 and 2050, or a string JavaScript's Date.parse reads.
func timestamp(v *fastjson.Value) (float64, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		f := v.GetFloat64()
		return f, f >= 1262304000000 && f <= 2524608000000
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02", "2006-01", "2006"} {
			if t, err := time.Parse(layout, s); err == nil {
				return float64(t.UnixMilli()), true
			}
		}
	}
	return 0, false
}

// jsAdd is JavaScript's x + offset for a JSON value x (nil for a missing
// one): numbers add, strings concatenate, null counts as 0, booleans as 0
// or 1, and anything else gives NaN, which JSON writes as null.
func jsAdd(x *fastjson.Value, offset float64) []byte {
	if x == nil {
		return []byte("null")
	}
	switch x.Type() {
	case fastjson.TypeNumber:
		return destkit.AppendJSNumber(nil, x.GetFloat64()+offset)
	case fastjson.TypeString:
		return destkit.AppendJSONString(nil, string(x.GetStringBytes())+string(destkit.AppendJSNumber(nil, offset)))
	case fastjson.TypeNull, fastjson.TypeFalse:
		return destkit.AppendJSNumber(nil, offset)
	case fastjson.TypeTrue:
		return destkit.AppendJSNumber(nil, 1+offset)
	case fastjson.TypeObject:
		return destkit.AppendJSONString(nil, "[object Object]"+string(destkit.AppendJSNumber(nil, offset)))
	}
	// Arrays: String([..]) joins the elements' strings with commas.
	parts := make([]string, 0, len(x.GetArray()))
	for _, el := range x.GetArray() {
		switch el.Type() {
		case fastjson.TypeString:
			parts = append(parts, string(el.GetStringBytes()))
		case fastjson.TypeNull:
			parts = append(parts, "")
		default:
			parts = append(parts, string(el.MarshalTo(nil)))
		}
	}
	return destkit.AppendJSONString(nil, strings.Join(parts, ",")+string(destkit.AppendJSNumber(nil, offset)))
}
