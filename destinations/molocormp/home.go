package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// Home sends HOME events.
var Home = &destkit.Action{
	Key:                 "home",
	Title:               "Home",
	Description:         "Home page viewed: the user landed on the site or app's home.",
	DefaultSubscription: `type = "page" and properties.name = "Home"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(false, productsPath), pageIDField, pageTokensField,
	},
	Perform: perform("HOME"),
}
