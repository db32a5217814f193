package actablepredictive

import (
	"math"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// writeEvent writes one event into the data list, or returns a validation
// error naming the field that keeps it from being sent.
type writeEvent func(w *destkit.JSONWriter, p *fastjson.Value) error

// eventAction is an action whose payload is sent as it is, with the time
// field timeKey as Unix seconds.
func eventAction(a *destkit.Action, timeKey string) *destkit.Action {
	return withWriter(a, func(w *destkit.JSONWriter, p *fastjson.Value) error {
		if err := required(p, "customer_id", "stream_key", timeKey); err != nil {
			return err
		}
		var o destkit.JSObject
		o.Assign(p, nil)
		o.Set(timeKey, unixSeconds(p.Get(timeKey)))
		o.Write(w)
		return nil
	})
}

// withWriter completes a with the single and batch forms that post the
// events write builds.
func withWriter(a *destkit.Action, write writeEvent) *destkit.Action {
	a.Batch = &destkit.Batch{MaxSize: maxBatch}
	a.Perform = func(in *destkit.Input) ([]destkit.Request, error) {
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		start(w)
		if err := write(w, in.Payload); err != nil {
			return nil, err
		}
		return finish(w), nil
	}
	a.PerformBatch = func(in *destkit.BatchInput) ([]destkit.Request, error) {
		w := destkit.NewJSONWriter(make([]byte, 0, 256*len(in.Payloads)))
		start(w)
		sent := 0
		for i, p := range in.Payloads {
			one := destkit.NewJSONWriter(nil)
			if err := write(one, p); err != nil {
				in.Reject(i, err)
				continue
			}
			w.Raw(one.Bytes())
			sent++
		}
		if sent == 0 {
			return nil, nil
		}
		return finish(w), nil
	}
	return a
}

func start(w *destkit.JSONWriter) {
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
}

func finish(w *destkit.JSONWriter) []destkit.Request {
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", eventsURL, w.Bytes())}
}

// unixSeconds is a time as whole Unix seconds; null when it is not a date.
// A string of digits already is Unix seconds (as validation takes it),
// where Segment's date library reads it as a compact year-month-day.
func unixSeconds(v *fastjson.Value) []byte {
	if v != nil && v.Type() == fastjson.TypeString {
		if s := v.GetStringBytes(); len(s) > 0 && len(s) <= 15 && strings.Trim(string(s), "0123456789") == "" {
			return append([]byte(nil), s...)
		}
	}
	t, ok := destkit.ParseJSDate(v)
	if !ok {
		return []byte("null")
	}
	return strconv.AppendInt(nil, int64(math.Floor(float64(t.UnixMilli())/1000)), 10)
}

// required fails payloads that skipped validation.
func required(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if v := p.Get(k); v == nil || v.Type() == fastjson.TypeNull {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}
