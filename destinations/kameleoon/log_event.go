package kameleoon

import "github.com/actuate/actuate/destinations/destkit"

// LogEvent sends a track call.
var LogEvent = &destkit.Action{
	Key:                 "logEvent",
	Title:               "Log Event",
	Description:         "Send an event to Kameleoon, for goals and targeting.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		anonymousIDField, userIDField,
		{Key: "event", Label: "Event Name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.name"}}}`,
			Description: "The event's name (a page's name when there is none)."},
		typeField,
		{Key: "properties", Label: "Event properties or user traits", Type: destkit.Object,
			Default:     `{"@if":{"exists":{"@path":"$.properties"},"then":{"@path":"$.properties"},"else":{"@path":"$.traits"}}}`,
			Description: "The event's properties (the traits when there are none)."},
		visitorCodeField(`{"@if":{"exists":{"@path":"$.properties.kameleoonVisitorCode"},"then":{"@path":"$.properties.kameleoonVisitorCode"},"else":{"@path":"$.traits.kameleoonVisitorCode"}}}`),
		timestampField, contextField, messageIDField,
	},
	Perform: send,
}
