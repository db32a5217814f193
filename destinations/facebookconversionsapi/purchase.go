package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// Purchase sends Meta's Purchase standard event.
var Purchase = standardAction("purchase", "Purchase", "Report a completed purchase.",
	`type = "track" and event = "Order Completed"`, "Purchase",
	[]destkit.Field{actionSource, currency, eventTime, userData, appDataField, value, netRevenue, contentIds, contentName, contentType, contents, eventID, eventSourceURL, numItems, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})

// Purchase2 sends Meta's Purchase standard event.
var Purchase2 = standardAction("purchase2", "Purchase V2", "Report a completed purchase (sync-mode variant of purchase).",
	`type = "track" and event = "Order Completed"`, "Purchase",
	[]destkit.Field{actionSource, currency, eventTime, userData, appDataField, value, netRevenue, contentIds, contentName, contentType, contents, eventID, eventSourceURL, numItems, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})
