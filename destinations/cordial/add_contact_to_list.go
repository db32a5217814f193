package cordial

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// AddContactToList adds a contact to the Cordial list of a Segment group, creating the list when needed.
var AddContactToList = relay(&destkit.Action{
	Key:                 "addContactToList",
	Title:               "Add Contact to List",
	Description:         "Add a contact to the Cordial list of a Segment group, creating the list when needed.",
	DefaultSubscription: `type = "group"`,
	Fields: slices.Concat(identityFields, []destkit.Field{
		{Key: "groupId", Label: "Group ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Segment group ID; the contact list is named after it."},
		{Key: "listName", Label: "List name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Name of the contact list, when it should differ from the group ID."},
	}),
}, identified("groupId", "listName")...)
