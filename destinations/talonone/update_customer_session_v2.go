package talonone

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// UpdateCustomerSessionV2 updates a customer session through the v2 path,
// with the session's members at the top of the payload.
var UpdateCustomerSessionV2 = &destkit.Action{
	Key:         "updateCustomerSessionV2",
	Title:       "Update customer session",
	Description: "Update a customer session; its attributes must exist in Talon.One.",
	Fields: slices.Concat(callbackFields, []destkit.Field{
		skipNonExistingField,
		profileIDField, couponCodesField, referralCodeField, loyaltyCardsField, stateField,
		cartItemsField, sessionCostsField,
		{Key: "identifiers", Label: "Identifiers", Type: destkit.String, Multiple: true,
			Description: "Session identifiers to limit or use in rules (an IP address, a device id)."},
		sessionAttributesField,
	}),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		id, err := requiredString(p, "customerSessionId")
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		for _, k := range [...]string{"profileId", "couponCodes", "referralCode", "loyaltyCards", "state",
			"cartItems", "additionalCosts", "identifiers", "attributes"} {
			w.Field(k, p.Get(k))
		}
		w.ObjectEnd()
		return sessionRequest(p, "/v2/customer_sessions/", id, &w), nil
	},
}
