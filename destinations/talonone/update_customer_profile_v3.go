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
		audienceIDs("deleteAudienceIds", deleteIDsLabel, "Talon.One audience IDs to remove the profile from."),
		audienceIDs("addAudienceIds", addIDsLabel, "Talon.One audience IDs to add the profile to."),
		runRuleEngine(`true`),
		profileAttributesField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		id, err := requiredString(p, "customerProfileId")
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		audiencesChanges(&w, p, "addAudienceIds", "deleteAudienceIds")
		w.Field("runRuleEngine", p.Get("runRuleEngine"))
		w.Field("attributes", p.Get("attributes"))
		w.ObjectEnd()
		return put(resourceURL(p, "/v2/customer_profiles/", id), &w), nil
	},
}
