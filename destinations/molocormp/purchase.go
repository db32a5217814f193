package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// Purchase sends PURCHASE events.
var Purchase = &destkit.Action{
	Key:                 "purchase",
	Title:               "Purchase",
	Description:         "An order completed, with its products, revenue and shipping.",
	DefaultSubscription: `type = "track" and event = "Order Completed"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(true, productsPath), revenueField(true), pageIDField, pageTokensField, shippingChargeField,
	},
	Perform: perform("PURCHASE"),
}
