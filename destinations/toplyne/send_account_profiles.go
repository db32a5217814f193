package toplyne

import "github.com/actuate/actuate/destinations/destkit"

// SendAccountProfiles sends an account's (a group's) profile.
var SendAccountProfiles = upload(&destkit.Action{
	Key:                 "sendAccountProfiles",
	Title:               "Send Account Profiles",
	Description:         "Send an account's profile and traits to Toplyne.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "accountId", Label: "Account ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your id of the account (the group id)."},
		creationTimeField,
		{Key: "accountProperties", Label: "Account Properties", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the account."},
	},
}, "accounts/profiles", "accounts", "creationTime", "accountId")
