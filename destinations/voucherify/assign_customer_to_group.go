package voucherify

import "github.com/actuate/actuate/destinations/destkit"

// AssignCustomerToGroup records a customer's group.
var AssignCustomerToGroup = &destkit.Action{
	Key:                 "assignCustomerToGroup",
	Title:               "Assign customer to group",
	Description:         "Assign a Voucherify customer to a group (an account or company), with the group's traits.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		customerField(`{"source_id":{"@path":"$.userId"},"email":{"@path":"$.email"}}`),
		{Key: "group_id", Label: "Group ID", Type: destkit.String, Required: true, Default: `{"@path":"$.groupId"}`,
			Description: "The group's id."},
		{Key: "traits", Label: "Group Traits", Type: destkit.Object, Default: `{"@path":"$.traits"}`,
			Description: "The group's traits."},
		typeField,
	},
	Perform: post("group"),
}
