package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// PageView sends PAGE_VIEW events.
var PageView = &destkit.Action{
	Key:                 "pageView",
	Title:               "Page View",
	Description:         "Any other page viewed.",
	DefaultSubscription: `type = "page" and properties.name != "Home" and properties.name != "Land"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(false, productsPath), pageIDField, pageTokensField, referrerField(false),
	},
	Perform: perform("PAGE_VIEW"),
}
