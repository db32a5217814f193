package blendai

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvents sends one event with its properties, the user's traits and
// identifiers.
var TrackEvents = &destkit.Action{
	Key:                 "trackEvents",
	Title:               "Track events",
	Description:         "Send identify, page, screen and track events to Blend.",
	DefaultSubscription: `type = "identify" or type = "page" or type = "screen" or type = "track"`,
	Fields: []destkit.Field{
		{Key: "eventName", Label: "Event Name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.name"}}}`,
			Description: "Name of the event, or of the page or screen."},
		{Key: "eventType", Label: "Event Type", Type: destkit.String,
			Default:     `{"@path":"$.type"}`,
			Description: "Segment type of the event (track, page, …)."},
		{Key: "eventProperties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "userTraits", Label: "User Traits", Type: destkit.Object,
			Default:     `{"@if":{"exists":{"@path":"$.traits"},"then":{"@path":"$.traits"},"else":{"@path":"$.context.traits"}}}`,
			Description: "Traits of the user."},
		{Key: "identifiers", Label: "Identifiers", Type: destkit.Object,
			Default: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"}}`,
			Properties: []destkit.Field{
				{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
					Description: "Anonymous identifier of the user."},
				{Key: "userId", Label: "User ID", Type: destkit.String,
					Description: "Your identifier of the user."},
			},
			Description: "Identifiers of the user, sent at the top level of the body."},
	},
	Perform: trackEvents,
}

func trackEvents(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	return []destkit.Request{post(apiBase+"segment", in.Settings, func(w *destkit.JSONWriter) {
		w.Field("type", p.Get("eventType"))
		w.Field("properties", p.Get("eventProperties"))
		w.Field("name", p.Get("eventName"))
		w.Field("userTraits", p.Get("userTraits"))
		// The identifiers are spread into the body in their own order.
		if o := p.GetObject("identifiers"); o != nil {
			o.Visit(func(k []byte, v *fastjson.Value) { w.Field(string(k), v) })
		}
	})}, nil
}
