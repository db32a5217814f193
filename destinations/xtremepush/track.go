package xtremepush

import "github.com/actuate/actuate/destinations/destkit"

// Track records one event.
var Track = &destkit.Action{
	Key:                 "track",
	Title:               "Track",
	Description:         "Send an event to Xtremepush.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "type", Label: "Event type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Segment call type the event comes from."},
		{Key: "identifiers", Label: "Identifiers", Type: destkit.Object,
			Default:     `{"userId":{"@path":"$.userId"},"anonymousId":{"@path":"$.anonymousId"},"phone":{"@path":"$.context.traits.phone"},"email":{"@path":"$.context.traits.email"}}`,
			Description: "Identifiers that pick the Xtremepush profile.",
			Properties: []destkit.Field{
				{Key: "userId", Label: "User ID", Type: destkit.String,
					Description: "Your identifier of the user."},
				{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
					Description: "Anonymous identifier of the visitor."},
				{Key: "phone", Label: "Phone", Type: destkit.String,
					Description: "Phone number of the user."},
				{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
					Description: "Email address of the user."},
			}},
		{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "messageId", Label: "Message ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message ID, which Xtremepush uses to drop duplicates."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		if len(in.Payload.GetStringBytes("event")) == 0 {
			return nil, destkit.ValidationErrorf("event", "The root value is missing the required field 'event'.")
		}
		return handle(in, func(w *destkit.JSONWriter) {
			w.Field("event", in.Payload.Get("event"))
			w.Field("properties", in.Payload.Get("properties"))
		})
	},
}
