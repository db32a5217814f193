package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// ItemPageView sends ITEM_PAGE_VIEW events.
var ItemPageView = &destkit.Action{
	Key:                 "itemPageView",
	Title:               "Item Page View",
	Description:         "A product's page viewed.",
	DefaultSubscription: `type = "track" and event = "Product Viewed"`,
	Fields: []destkit.Field{
		eventIDField, timestampField, userIDField, deviceField, sessionIDField, defaultCurrencyField, itemsField(true, propertiesPath), pageIDField, pageTokensField,
	},
	Perform: perform("ITEM_PAGE_VIEW"),
}
