package kameleoon

import "github.com/actuate/actuate/destinations/destkit"

// Identify sends an identify call.
var Identify = &destkit.Action{
	Key:                 "identify",
	Title:               "Identify Event",
	Description:         "Send a user's traits to Kameleoon, for targeting.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		anonymousIDField, userIDField, typeField,
		{Key: "properties", Label: "User Traits", Type: destkit.Object, Default: `{"@path":"$.traits"}`,
			Description: "The user's traits."},
		visitorCodeField(`{"@path":"$.traits.kameleoonVisitorCode"}`),
		timestampField, messageIDField,
	},
	Perform: send,
}
