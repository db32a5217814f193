package usermotion

import "github.com/actuate/actuate/destinations/destkit"

// Track records one event or page view.
var Track = &destkit.Action{
	Key:                 "track",
	Title:               "Track Analytics Event",
	Description:         "Send an event or a page view to UserMotion.",
	DefaultSubscription: `type = "track" or type = "page"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user who performed the event."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor who performed the event."},
		{Key: "eventName", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@template":"pageview"}}}`,
			Description: "Name of the event; page calls are sent as \"pageview\"."},
		{Key: "context", Label: "Context properties", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "Context of the event (page, device, campaign, ...)."},
		{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if len(p.GetStringBytes("eventName")) == 0 {
			return nil, missing("eventName")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 512))
		w.ObjectStart()
		w.Field("event", p.Get("eventName"))
		w.Field("userId", p.Get("userId"))
		w.Field("anonymousId", p.Get("anonymousId"))
		w.Key("context")
		spread(w, p.Get("context"))
		w.Key("properties")
		spread(w, p.Get("properties"))
		w.ObjectEnd()
		return post("track", w.Bytes()), nil
	},
}
