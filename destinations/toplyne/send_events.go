package toplyne

import "github.com/actuate/actuate/destinations/destkit"

// SendEvents sends one product event.
var SendEvents = upload(&destkit.Action{
	Key:                 "sendEvents",
	Title:               "Send events",
	Description:         "Send a product usage event of a user or account to Toplyne.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		userIDField,
		anonymousIDField,
		{Key: "accountId", Label: "Account ID", Type: destkit.String,
			Default:     `{"@path":"$.context.groupId"}`,
			Description: "Your id of the account the user acted for."},
		{Key: "eventName", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; sent as Unix seconds."},
		{Key: "eventProperties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
	},
}, "events", "events", "timestamp", "eventName")
