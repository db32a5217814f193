package inleadsai

import "github.com/actuate/actuate/destinations/destkit"

// Identify sends a user and their traits.
var Identify = &destkit.Action{
	Key:                 "identify",
	Title:               "Identify",
	Description:         "Create or update a user in InLeads AI.",
	DefaultSubscription: `type = "identify"`,
	Fields: append([]destkit.Field{
		{Key: "user_id", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "name", Label: "Name", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.name"},"then":{"@path":"$.traits.name"},"else":{"@path":"$.properties.name"}}}`,
			Description: "The user's full name."},
		{Key: "first_name", Label: "First name", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.first_name"},"then":{"@path":"$.traits.first_name"},"else":{"@path":"$.properties.first_name"}}}`,
			Description: "The user's first name."},
		{Key: "last_name", Label: "Last name", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.last_name"},"then":{"@path":"$.traits.last_name"},"else":{"@path":"$.properties.last_name"}}}`,
			Description: "The user's last name."},
		{Key: "email", Label: "Email address", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "The user's email address."},
		{Key: "account_id", Label: "Account id", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.context.group_id"},"then":{"@path":"$.context.group_id"},"else":{"@path":"$.groupId"}}}`,
			Description: "Id of the user's account (group)."},
		{Key: "created_at", Label: "Created at", Type: destkit.String, Format: "date-time",
			Default:     `{"@if":{"exists":{"@path":"$.traits.created_at"},"then":{"@path":"$.traits.created_at"},"else":{"@path":"$.traits.createdAt"}}}`,
			Description: "When the user was created (ISO 8601)."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the user."},
	}, commonFields()...),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) { return post(in, "user_id", "utc_time") },
}
