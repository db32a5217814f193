package talonone

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateCustomerProfilesAudiences changes the audiences of several
// profiles in one call.
var UpdateCustomerProfilesAudiences = &destkit.Action{
	Key:         "updateCustomerProfilesAudiences",
	Title:       "Update Multiple Customer Profiles’ Audiences",
	Description: "Add several customer profiles to audiences and remove them from others, in one request.",
	Fields: []destkit.Field{
		{Key: "data", Label: "Data item to change customer profile audiences", Type: destkit.Object, Required: true, Multiple: true,
			Properties: []destkit.Field{
				{Key: "customerProfileId", Label: "Customer Profile ID", Type: destkit.String, Required: true,
					Default:     `{"@path":"$.userId"}`,
					Description: "Integration identifier of the customer profile."},
				audienceIDs("adds", addIDsLabel, "Audience IDs the profile joins."),
				audienceIDs("deletes", deleteIDsLabel, "Audience IDs the profile leaves."),
			},
			Description: "Customer profiles and the audience IDs each joins and leaves."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		data := in.Payload.Get("data")
		if data == nil || data.Type() != fastjson.TypeArray || len(data.GetArray()) == 0 {
			return nil, destkit.ValidationErrorf("data", "The field \"data\" is required.")
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.Field("data", data)
		w.ObjectEnd()
		return put(apiBase+"/customer_profiles/audiences", &w), nil
	},
}
