package talonone

import "github.com/actuate/actuate/destinations/destkit"

// UpdateCustomerProfileV2 is the deprecated profile update that names
// audiences instead of giving their IDs, so Talon.One creates them.
var UpdateCustomerProfileV2 = &destkit.Action{
	Key:         "updateCustomerProfileV2",
	Title:       "[Deprecated] Upsert customer profile V2",
	Description: "Update a customer profile, joining and leaving audiences by name; attributes and audiences need not exist first. Deprecated: use Update customer profile.",
	Fields: []destkit.Field{
		customerProfileIDField,
		audiences("audiencesToAdd", "The audiences for the customer to join.", "Audiences the customer joins, by name (created in Talon.One when missing)."),
		audiences("audiencesToDelete", "The audiences for the customer to leave.", "Audiences the customer leaves, by name."),
		runRuleEngine(`true`),
		profileAttributesField,
		attributesInfo("attributesInfo", "Attributes info", "$.properties.attributesInfo", true,
			"Types of attributes to send, for attributes Talon.One should create with a given type."),
	},
	Perform: profileUpdate("/customer_profile_v2/", "audiencesToAdd", "audiencesToDelete",
		audiencesChanges, "runRuleEngine", "attributes", "attributesInfo"),
}
