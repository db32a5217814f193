package cordial

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// RemoveContactFromList removes a contact from the Cordial list of a Segment group.
var RemoveContactFromList = relay(&destkit.Action{
	Key:         "removeContactFromList",
	Title:       "Remove Contact from List",
	Description: "Remove a contact from the Cordial list of a Segment group.",
	Fields: slices.Concat(identityFields, []destkit.Field{
		{Key: "groupId", Label: "Group ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Segment group ID; the contact list is named after it."},
	}),
}, identified("groupId")...)
