package toplyne

import "github.com/actuate/actuate/destinations/destkit"

// SendUserProfiles sends a user's profile.
var SendUserProfiles = upload(&destkit.Action{
	Key:                 "sendUserProfiles",
	Title:               "Send user profiles",
	Description:         "Send a user's profile and traits to Toplyne.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		userIDField,
		anonymousIDField,
		creationTimeField,
		{Key: "userProperties", Label: "User Properties", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the user."},
	},
}, "users/profiles", "profiles", "creationTime")
