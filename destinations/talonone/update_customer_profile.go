package talonone

import "github.com/actuate/actuate/destinations/destkit"

// UpdateCustomerProfile is the deprecated profile update: attributes,
// audience IDs to join and leave, and attribute types.
var UpdateCustomerProfile = &destkit.Action{
	Key:         "updateCustomerProfile",
	Title:       "[Deprecated] Upsert customer profile",
	Description: "Update a customer profile's attributes and audiences. Deprecated: use Update customer profile.",
	Fields: []destkit.Field{
		profileAttributesField,
		customerProfileIDField,
		deleteAudienceIDsField,
		addAudienceIDsField,
		runRuleEngine(`false`),
		attributesInfo("attributesInfo", "Attributes with types", "$.traits.attributesInfo", false,
			"Types of attributes to send, for attributes Talon.One should create with a given type."),
	},
	Perform: profileUpdate("/customer_profile/", "addAudienceIds", "deleteAudienceIds",
		"attributes", audiencesChanges, "runRuleEngine", "attributesInfo"),
}
