package launchdarkly

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent sends a custom event for experiment metrics.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Track a custom event for A/B tests and experimentation.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "context_kind", Label: "Context Kind", Type: destkit.String,
			Default:     `"user"`,
			Description: "Context kind the key belongs to; user when unset."},
		{Key: "user_key", Label: "Context Key", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "The LaunchDarkly context key, usually the Segment user id."},
		{Key: "additional_context_keys", Label: "Additional Context Keys", Type: destkit.Object,
			Default:     `{"unauthenticatedUser":{"@path":"$.anonymousId"}}`,
			Description: "More context kinds and their keys, as kind to key."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Event key; usually the key of a LaunchDarkly metric."},
		{Key: "metric_value", Label: "Metric Value", Type: destkit.Number,
			Default:     `{"@if":{"exists":{"@path":"$.properties.revenue"},"then":{"@path":"$.properties.revenue"},"else":{"@path":"$.properties.value"}}}`,
			Description: "Numeric value for numeric custom metrics."},
		{Key: "event_properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event, kept for Data Export; not saved on the context."},
		{Key: "timestamp", Label: "Event timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; now when unset."},
	},
	Perform: trackEvent,
}

func trackEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := required(p, "user_key", "event_name"); err != nil {
		return nil, err
	}
	u, err := eventsURL(in.Settings)
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 384))
	w.ArrayStart()
	w.ObjectStart()
	w.Key("kind")
	w.String("custom")
	w.Field("key", p.Get("event_name"))
	w.Key("contextKeys")
	writeContextKeys(w, p)
	w.Key("creationDate")
	w.Int(creationDate(p.Get("timestamp")))
	w.Field("metricValue", p.Get("metric_value"))
	w.Key("data")
	if d := p.Get("event_properties"); d != nil && d.Type() == fastjson.TypeObject {
		w.Value(d)
	} else {
		w.ObjectStart()
		w.ObjectEnd()
	}
	w.ObjectEnd()
	w.ArrayEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
}

// writeContextKeys writes the additional keys, every value as a string,
// then the main kind and key; a main kind that is also among the
// additional ones keeps its place and takes the main key (the order of a
// JavaScript object spread).
func writeContextKeys(w *destkit.JSONWriter, p *fastjson.Value) {
	kind := string(p.GetStringBytes("context_kind"))
	if kind == "" {
		kind = "user"
	}
	key := string(p.GetStringBytes("user_key"))
	w.ObjectStart()
	written := false
	if extra := p.GetObject("additional_context_keys"); extra != nil {
		extra.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			if string(k) == kind {
				w.String(key)
				written = true
				return
			}
			w.String(destkit.JSString(v))
		})
	}
	if !written {
		w.Key(kind)
		w.String(key)
	}
	w.ObjectEnd()
}
