package rehook

import "github.com/actuate/actuate/destinations/destkit"

// IdentifyUser creates or updates a customer.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Create or update a customer in Rehook.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "source_id", Label: "Source ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the customer."},
		{Key: "metadata", Label: "User Metadata", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Attributes to set on the customer's profile."},
		{Key: "referral_code", Label: "Referral Code", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.traits.referral_code"}`,
			Description: "Referral code the customer signed up with; null clears it."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) { return postPayload(in, "/customers") },
}
