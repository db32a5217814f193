package iterable

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent records a custom event.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Custom Event",
	Description:         "Record a custom event for an Iterable user.",
	DefaultSubscription: `type = "track" and event != "Order Completed" and event != "Cart Updated"`,
	Fields: []destkit.Field{
		emailField,
		userIDField,
		{Key: "eventName", Label: "Event name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		eventDataField,
		{Key: "id", Label: "Event ID", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Id of the event; an event with the same id is updated."},
		createdAtField,
		campaignField,
		templateField,
		enableBatchingField,
		batchSizeField,
	},
	Batch:        &destkit.Batch{MaxSize: 1001},
	Perform:      trackEvent,
	PerformBatch: trackEvents,
}

func checkEvent(p *fastjson.Value) error {
	if err := requireUser(p, "email"); err != nil {
		return err
	}
	if len(p.GetStringBytes("eventName")) == 0 {
		return destkit.ValidationErrorf("eventName", "The field eventName is required.")
	}
	return nil
}

// writeEvent writes {...payload, dataFields, createdAt}.
func writeEvent(w *destkit.JSONWriter, p *fastjson.Value) {
	data := p.Get("dataFields")
	spread(w, p.GetObject(), nil, plain,
		member{"dataFields", func(w *destkit.JSONWriter) { spread(w, data.GetObject(), nil, withDates) }},
		member{"createdAt", unixSeconds(p.Get("createdAt"))})
}

func trackEvent(in *destkit.Input) ([]destkit.Request, error) {
	if err := checkEvent(in.Payload); err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	writeEvent(w, in.Payload)
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/api/events/track"), w.Bytes())}, nil
}

func trackEvents(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(in.Payloads)))
	w.ObjectStart()
	w.Key("events")
	w.ArrayStart()
	n := 0
	for i, p := range in.Payloads {
		if err := checkEvent(p); err != nil {
			in.Reject(i, err)
			continue
		}
		writeEvent(w, p)
		n++
	}
	w.ArrayEnd()
	w.ObjectEnd()
	if n == 0 {
		return nil, nil
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/api/events/trackBulk"), w.Bytes())}, nil
}
