package segmentprofiles

import "github.com/actuate/actuate/destinations/destkit"

// SendGroup associates a profile with a group and writes the group's
// traits.
var SendGroup = &destkit.Action{
	Key:                 "sendGroup",
	Title:               "Send Group",
	Description:         "Send a group call to the Profile Space, associating the profile with an account and its traits.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		engageSpaceField, userIDField, anonymousIDField,
		{Key: "group_id", Label: "Group ID", Type: destkit.String, Required: true,
			Description: "The account or group the user belongs to."},
		traitsField, timestampField, messageIDField, consentField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		if len(in.Payload.GetStringBytes("group_id")) == 0 {
			return nil, destkit.ValidationErrorf("group_id", "The field group_id is required.")
		}
		return call(in, writeProfileCall("group"))
	},
}
