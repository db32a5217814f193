package inleadsai

import "github.com/actuate/actuate/destinations/destkit"

// Track sends a product event.
var Track = &destkit.Action{
	Key:                 "track",
	Title:               "Track",
	Description:         "Send a product event to InLeads AI.",
	DefaultSubscription: `type = "track"`,
	Fields: append([]destkit.Field{
		{Key: "eventName", Label: "Event name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "user_id", Label: "User id", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "account_id", Label: "Account id", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.context.groupId"},"then":{"@path":"$.context.groupId"},"else":{"@path":"$.groupId"}}}`,
			Description: "Id of the user's account (group)."},
		{Key: "properties", Label: "Event properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "traits", Label: "Event Traits", Type: destkit.Object,
			Default:     `{"@path":"$.context.traits"}`,
			Description: "Traits of the user carried in the event's context."},
	}, commonFields()...),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return post(in, "eventName", "user_id", "utc_time")
	},
}
