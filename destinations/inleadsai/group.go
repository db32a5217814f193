package inleadsai

import "github.com/actuate/actuate/destinations/destkit"

// Group sends an account and its properties.
var Group = &destkit.Action{
	Key:                 "group",
	Title:               "Group",
	Description:         "Create or update an account in InLeads AI and link a user to it.",
	DefaultSubscription: `type = "group"`,
	Fields: append([]destkit.Field{
		{Key: "account_id", Label: "Account id", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your id for the account."},
		{Key: "user_id", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Id of the user in the account."},
		{Key: "name", Label: "Account name", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.name"},"then":{"@path":"$.traits.name"},"else":{"@path":"$.properties.name"}}}`,
			Description: "Name of the account."},
		{Key: "created_at", Label: "Account created at", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.created_at"},"then":{"@path":"$.traits.created_at"},"else":{"@path":"$.traits.createdAt"}}}`,
			Description: "When the account was created (ISO 8601)."},
		{Key: "traits", Label: "Account properties", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Properties of the account."},
		{Key: "website", Label: "Account website", Type: destkit.String,
			Default:     `{"@path":"$.traits.website"}`,
			Description: "Website of the account."},
	}, commonFields()...),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) { return post(in, "account_id", "name", "utc_time") },
}
