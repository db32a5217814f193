package actablepredictive

import "github.com/actuate/actuate/destinations/destkit"

// SendCustomEvent sends a custom event.
var SendCustomEvent = eventAction(&destkit.Action{
	Key:         "sendCustomEvent",
	Title:       "Send Custom Event",
	Description: "Send an event of a custom stream to Actable with its properties.",
	Fields: []destkit.Field{
		customerIDField,
		{Key: "timestamp", Label: "Timestamp of Event", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; sent as Unix seconds."},
		{Key: "properties", Label: "Custom Properties", Type: destkit.Object, Required: true,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the custom event."},
		streamKeyField("custom"),
	},
}, "timestamp")
