package june

import "github.com/actuate/actuate/destinations/destkit"

// Identify sends who a user is.
var Identify = &destkit.Action{
	Key:                 "identify",
	Title:               "Identify",
	Description:         "Identify a user in June.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous id of the user."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the user."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the call happened."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message id, for deduplication."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return call("identify", in.Payload, []string{"timestamp", "messageId"},
			"anonymousId", "userId", "traits", "messageId", "timestamp")
	},
}
