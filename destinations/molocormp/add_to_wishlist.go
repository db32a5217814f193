package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// AddToWishlist sends ADD_TO_WISHLIST events.
var AddToWishlist = &destkit.Action{
	Key:                 "addToWishlist",
	Title:               "Add to Wishlist",
	Description:         "A product added to a wish list.",
	DefaultSubscription: `type = "track" and event = "Product Added to Wishlist"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(true, propertiesPath), revenueField(false), pageIDField, pageTokensField,
	},
	Perform: perform("ADD_TO_WISHLIST"),
}
