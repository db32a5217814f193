package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// Land sends LAND events.
var Land = &destkit.Action{
	Key:                 "land",
	Title:               "Land",
	Description:         "A visit arriving from another site (an ad click, a search result), with the page it came from.",
	DefaultSubscription: `type = "page" and properties.name = "Land"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(false, productsPath), pageIDField, pageTokensField, referrerField(true),
	},
	Perform: perform("LAND"),
}
