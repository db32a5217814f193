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
		audienceIDs("deleteAudienceIds", deleteIDsLabel, "Talon.One audience IDs to remove the profile from."),
		audienceIDs("addAudienceIds", addIDsLabel, "Talon.One audience IDs to add the profile to."),
		runRuleEngine(`false`),
		attributesInfo("attributesInfo", "Attributes with types", "$.traits.attributesInfo", false,
			"Types of attributes to send, for attributes Talon.One should create with a given type."),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		id, err := requiredString(p, "customerProfileId")
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.Field("attributes", p.Get("attributes"))
		audiencesChanges(&w, p, "addAudienceIds", "deleteAudienceIds")
		w.Field("runRuleEngine", p.Get("runRuleEngine"))
		w.Field("attributesInfo", p.Get("attributesInfo"))
		w.ObjectEnd()
		return put(resourceURL(p, "/customer_profile/", id), &w), nil
	},
}
