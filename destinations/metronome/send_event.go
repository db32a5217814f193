package metronome

import (
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const ingestURL = "https://api.metronome.com/v1/ingest"

// SendEvent posts one usage event.
var SendEvent = &destkit.Action{
	Key:         "sendEvent",
	Title:       "Send Event",
	Description: "Send one usage event to Metronome.",
	Fields: []destkit.Field{
		{Key: "transaction_id", Label: "transaction_id", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Unique id of the event; Metronome processes each transaction id once."},
		{Key: "customer_id", Label: "customer_id", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.groupId"}`,
			Description: "Metronome customer id, or one of the customer's ingest aliases."},
		{Key: "timestamp", Label: "timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the usage happened."},
		{Key: "event_type", Label: "event_type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Metronome event type that billable metrics match on."},
		{Key: "properties", Label: "properties", Type: destkit.Object, Required: true,
			Default:     `{"@path":"$.properties"}`,
			Description: "Event properties that billable metrics aggregate."},
	},
	Perform: sendEvent,
}

func sendEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	// Validation already required every field; a payload built by hand
	// (or a future field change) must still never send an empty one.
	for _, k := range []string{"transaction_id", "customer_id", "event_type"} {
		if len(p.GetStringBytes(k)) == 0 {
			return nil, destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	if p.GetObject("properties") == nil {
		return nil, destkit.ValidationErrorf("properties", "The field properties is required.")
	}
	ts, ok := isoTime(p.Get("timestamp"))
	if !ok {
		return nil, destkit.ValidationErrorf("timestamp", "The timestamp is not a valid date.")
	}
	o, _ := p.Object()
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ArrayStart()
	w.ObjectStart()
	// The payload's own order, with the timestamp normalised in place, as
	// Segment spreads the payload and overrides timestamp.
	o.Visit(func(k []byte, v *fastjson.Value) {
		w.Key(string(k))
		if string(k) == "timestamp" {
			w.String(ts)
			return
		}
		w.Value(v)
	})
	w.ObjectEnd()
	w.ArrayEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", ingestURL, w.Bytes())}, nil
}

// timeLayouts are the date forms read, from the most common; a string
// without a zone is UTC, as dayjs.utc reads it.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02",
}

// isoTime renders a datetime as JavaScript's toISOString does: UTC with
// milliseconds. Numbers are milliseconds since the epoch.
func isoTime(v *fastjson.Value) (string, bool) {
	if v == nil {
		return "", false
	}
	var t time.Time
	switch v.Type() {
	case fastjson.TypeNumber:
		t = time.UnixMilli(int64(v.GetFloat64()))
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		ok := false
		for _, l := range timeLayouts {
			if p, err := time.Parse(l, s); err == nil {
				t, ok = p, true
				break
			}
		}
		if !ok {
			return "", false
		}
	default:
		return "", false
	}
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return "", false
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z"), true
}
