package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// Search sends SEARCH events.
var Search = &destkit.Action{
	Key:                 "search",
	Title:               "Search",
	Description:         "A search for products, with its query and the products found.",
	DefaultSubscription: `type = "track" and event = "Products Searched"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(false, productsPath), searchQueryField, pageIDField, pageTokensField, referrerField(false),
	},
	Perform: perform("SEARCH"),
}
