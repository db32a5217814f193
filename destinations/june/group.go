package june

import "github.com/actuate/actuate/destinations/destkit"

// Group puts a user in a company (group).
var Group = &destkit.Action{
	Key:                 "group",
	Title:               "Group",
	Description:         "Associate a user with a group (company) in June.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous id of the user."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "groupId", Label: "Group ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your id for the group."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the group."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the call happened."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message id, for deduplication."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return call("group", in.Payload, []string{"groupId", "timestamp", "messageId"},
			"anonymousId", "userId", "groupId", "traits", "messageId", "timestamp")
	},
}
