package talonone

import "github.com/actuate/actuate/destinations/destkit"

// UpdateCustomerProfileV3 updates a profile's attributes and audiences by
// ID through the v2 path; attributes and audiences must exist.
var UpdateCustomerProfileV3 = &destkit.Action{
	Key:         "updateCustomerProfileV3",
	Title:       "Update customer profile",
	Description: "Update a customer profile's attributes and audiences; the attributes and audiences must exist in Talon.One.",
	Fields: []destkit.Field{
		customerProfileIDField,
		skipNonExistingField,
		deleteAudienceIDsField,
		addAudienceIDsField,
		runRuleEngine(`true`),
		profileAttributesField,
	},
	Perform: profileUpdate("/v2/customer_profiles/", "addAudienceIds", "deleteAudienceIds",
		audiencesChanges, "runRuleEngine", "attributes"),
}
