package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// AddToCart sends ADD_TO_CART events.
var AddToCart = &destkit.Action{
	Key:                 "addToCart",
	Title:               "Add to Cart",
	Description:         "A product added to the cart.",
	DefaultSubscription: `type = "track" and event = "Product Added"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(true, propertiesPath), pageIDField, pageTokensField,
	},
	Perform: perform("ADD_TO_CART"),
}
