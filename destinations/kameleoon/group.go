package kameleoon

import "github.com/actuate/actuate/destinations/destkit"

// Group sends a group call.
var Group = &destkit.Action{
	Key:                 "group",
	Title:               "Group Event",
	Description:         "Send the account a user belongs to, with its traits, to Kameleoon.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		anonymousIDField, userIDField, typeField,
		{Key: "groupId", Label: "Group ID", Type: destkit.String, Required: true, Default: `{"@path":"$.groupId"}`,
			Description: "The account or group's id."},
		{Key: "properties", Label: "User Traits", Type: destkit.Object, Default: `{"@path":"$.traits"}`,
			Description: "The group's traits."},
		visitorCodeField(`{"@path":"$.traits.kameleoonVisitorCode"}`),
		timestampField, messageIDField,
	},
	Perform: send,
}
