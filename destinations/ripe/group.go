package ripe

import "github.com/actuate/actuate/destinations/destkit"

// Group links a user to an account.
var Group = &destkit.Action{
	Key:                 "group",
	Title:               "Group",
	Description:         "Send a group call to Ripe.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor."},
		{Key: "userId", Label: "User ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "groupId", Label: "Group ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your identifier of the account the user belongs to."},
		{Key: "context", Label: "Context", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "Context of the call (page, device, campaign, ...)."},
		{Key: "traits", Label: "Traits", Type: destkit.Object, AllowNull: true,
			Default:     `{"@path":"$.traits"}`,
			Description: "Attributes of the account."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the call happened; the time of sending when empty."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message ID of the call."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := require(p, "groupId"); err != nil {
			return nil, err
		}
		return call(in, "group", func(w *destkit.JSONWriter) {
			w.Field("anonymousId", p.Get("anonymousId"))
			w.Field("userId", p.Get("userId"))
			w.Field("groupId", p.Get("groupId"))
			w.Field("traits", p.Get("traits"))
			w.Field("messageId", p.Get("messageId"))
			writeTimestamp(w, p)
			w.Field("context", p.Get("context"))
		})
	},
}
