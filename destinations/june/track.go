package june

import "github.com/actuate/actuate/destinations/destkit"

// Track sends an event.
var Track = &destkit.Action{
	Key:                 "track",
	Title:               "Track Event",
	Description:         "Send an event to June.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "properties", Label: "Event properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous id of the user."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "context", Label: "Context properties", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "The event's context."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message id, for deduplication."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return call("track", in.Payload, []string{"event", "timestamp", "messageId"},
			"event", "properties", "timestamp", "userId", "anonymousId", "context", "messageId")
	},
}
