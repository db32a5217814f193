package ripe

import "github.com/actuate/actuate/destinations/destkit"

// Track records one event.
var Track = &destkit.Action{
	Key:                 "track",
	Title:               "Track",
	Description:         "Send a track call to Ripe.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "context", Label: "Context", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "Context of the event (page, device, campaign, ...)."},
		{Key: "properties", Label: "Event properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; the time of sending when empty."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message ID of the event."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := require(p, "event"); err != nil {
			return nil, err
		}
		return call(in, "track", func(w *destkit.JSONWriter) {
			w.Field("name", p.Get("event"))
			w.Field("anonymousId", p.Get("anonymousId"))
			w.Field("userId", p.Get("userId"))
			w.Field("context", p.Get("context"))
			w.Field("properties", p.Get("properties"))
			w.Field("event", p.Get("event"))
			w.Field("messageId", p.Get("messageId"))
			writeTimestamp(w, p)
		})
	},
}
