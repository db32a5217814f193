package pushwoosh

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent records events, one per request or many in a batch.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send events to Pushwoosh.",
	DefaultSubscription: `type = "track" or type = "page" or type = "screen"`,
	Fields: []destkit.Field{
		{Key: "external_id", Label: "External User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user who performed the event."},
		{Key: "device_id", Label: "Device ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.device.id"}`,
			Description: "Identifier of the device the event came from."},
		{Key: "device_platform", Label: "Device Platform", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.device.type"}`,
			Description: "Platform of the device (ios, android, ...)."},
		{Key: "name", Label: "Name", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.name"}}}`,
			Description: "Name of the event; the page or screen name for page and screen calls."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Attributes of the event."},
		{Key: "enable_batching", Label: "Batch Data to Pushwoosh", Type: destkit.Boolean,
			Default:     `false`,
			Description: "Send events to Pushwoosh in batches."},
	},
	// Segment's platform default: the action has no batch size field.
	Batch: &destkit.Batch{MaxSize: 1000},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		if err := checkEvent(in.Payload); err != nil {
			return nil, err
		}
		return postEvents(in.Settings, []*fastjson.Value{in.Payload}, "app_code"), nil
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		var ok []*fastjson.Value
		for i, p := range in.Payloads {
			if err := checkEvent(p); err != nil {
				in.Reject(i, err)
				continue
			}
			ok = append(ok, p)
		}
		if len(ok) == 0 {
			return nil, nil
		}
		return postEvents(in.Settings, ok, "app_id"), nil
	},
}

func checkEvent(p *fastjson.Value) error {
	for _, k := range []string{"external_id", "name"} {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The root value is missing the required field '%s'.", k)
		}
	}
	if p.Get("timestamp") == nil {
		return destkit.ValidationErrorf("timestamp", "The root value is missing the required field 'timestamp'.")
	}
	return nil
}

// postEvents writes the post-events request; appKey is the name the
// application code goes under ("app_code" alone, "app_id" in a batch).
func postEvents(s *destkit.Settings, events []*fastjson.Value, appKey string) []destkit.Request {
	w := destkit.NewJSONWriter(make([]byte, 0, 256*len(events)))
	w.ObjectStart()
	w.Key("events")
	w.ArrayStart()
	for _, p := range events {
		w.ObjectStart()
		w.Field("user_id", p.Get("external_id"))
		w.Field("device_id", p.Get("device_id"))
		w.Field("device_platform", p.Get("device_platform"))
		w.Key(appKey)
		w.String(s.Str("pushwooshAppCode"))
		w.Field("name", p.Get("name"))
		w.Field("timestamp", p.Get("timestamp"))
		w.Field("attributes", p.Get("properties"))
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"post-events", w.Bytes())}
}
