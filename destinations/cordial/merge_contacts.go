package cordial

import "github.com/actuate/actuate/destinations/destkit"

// MergeContacts merges the contact known by a previous ID into the one of
// the new IDs.
var MergeContacts = relay(&destkit.Action{
	Key:                 "mergeContacts",
	Title:               "Merge Contacts",
	Description:         "Merge the Cordial contact of a previous Segment ID into the contact of the new one.",
	DefaultSubscription: `type = "alias"`,
	Fields: []destkit.Field{
		{Key: "segmentId", Label: "New Segment User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "The contact's new Segment user ID."},
		{Key: "anonymousId", Label: "New Segment Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "The contact's new Segment anonymous ID."},
		{Key: "previousId", Label: "Previous Segment ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.previousId"}`,
			Description: "The previous Segment user or anonymous ID, merged into the new one."},
	},
}, "anonymousId", "segmentId", "previousId")
