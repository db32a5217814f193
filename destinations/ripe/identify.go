package ripe

import "github.com/actuate/actuate/destinations/destkit"

// Identify creates or updates a user.
var Identify = &destkit.Action{
	Key:                 "identify",
	Title:               "Identify",
	Description:         "Send an identify call to Ripe.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor."},
		{Key: "userId", Label: "User ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "context", Label: "Context", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "Context of the call (page, device, campaign, ...)."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Attributes of the user."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the call happened; the time of sending when empty."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message ID of the call."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		return call(in, "identify", func(w *destkit.JSONWriter) {
			w.Field("anonymousId", p.Get("anonymousId"))
			w.Field("userId", p.Get("userId"))
			w.Field("context", p.Get("context"))
			w.Field("traits", p.Get("traits"))
			w.Field("messageId", p.Get("messageId"))
			writeTimestamp(w, p)
		})
	},
}
