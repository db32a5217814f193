package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// Search sends Meta's Search standard event.
var Search = standardAction("search", "Search", "Report a search.",
	`type = "track" and event = "Products Searched"`, "Search",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentCategory, contentIds, contentsAlt, currencyAlt, eventID, eventSourceURL, searchString, valueAlt3, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})

// Search2 sends Meta's Search standard event.
var Search2 = standardAction("search2", "Search V2", "Report a search (sync-mode variant of search).",
	`type = "track" and event = "Products Searched"`, "Search",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentCategory, contentIds, contentsAlt, currencyAlt, eventID, eventSourceURL, searchString, valueAlt3, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})
