package userpilot

import "github.com/actuate/actuate/destinations/destkit"

// TrackEvent records one event of a user.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send an event to Userpilot.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "Your identifier of the user who performed the event; the anonymous ID when there is no user ID."},
		{Key: "name", Label: "Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "properties", Label: "Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if len(p.GetStringBytes("name")) == 0 {
			return nil, missing("name")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		w.ObjectStart()
		w.Field("user_id", p.Get("userId"))
		w.Field("event_name", p.Get("name"))
		w.Field("metadata", p.Get("properties"))
		w.ObjectEnd()
		return post(in.Settings, "v1/track", w.Bytes()), nil
	},
}
