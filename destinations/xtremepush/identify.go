package xtremepush

import "github.com/actuate/actuate/destinations/destkit"

// Identify creates or updates a profile.
var Identify = &destkit.Action{
	Key:                 "identify",
	Title:               "Identify",
	Description:         "Create or update a user profile in Xtremepush.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "type", Label: "Event type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Segment call type the profile update comes from."},
		{Key: "identifiers", Label: "Identifiers", Type: destkit.Object,
			Default:     `{"userId":{"@path":"$.userId"},"anonymousId":{"@path":"$.anonymousId"},"phone":{"@path":"$.traits.phone"},"email":{"@path":"$.traits.email"}}`,
			Description: "Identifiers that pick the Xtremepush profile.",
			Properties: []destkit.Field{
				{Key: "userId", Label: "User ID", Type: destkit.String,
					Description: "Your identifier of the user."},
				{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
					Description: "Anonymous identifier of the visitor."},
				{Key: "phone", Label: "Phone", Type: destkit.String,
					Description: "Phone number of the user."},
				{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
					Description: "Email address of the user."},
			}},
		{Key: "traits", Label: "User Attributes", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Attributes to set on the profile."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the call happened."},
		{Key: "messageId", Label: "Message ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message ID, which Xtremepush uses to drop duplicates."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return handle(in, func(w *destkit.JSONWriter) {
			w.Field("traits", in.Payload.Get("traits"))
		})
	},
}
