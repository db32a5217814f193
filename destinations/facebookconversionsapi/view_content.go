package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// ViewContent sends Meta's ViewContent standard event.
var ViewContent = standardAction("viewContent", "View Content", "Report a view of a product or content page.",
	`type = "track" and event = "Product Viewed"`, "ViewContent",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentCategory, contentIdsAlt, contentName, contentType, contentsAlt, currencyAlt, eventID, eventSourceURL, valueAlt2, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})

// ViewContent2 sends Meta's ViewContent standard event.
var ViewContent2 = standardAction("viewContent2", "View Content V2", "Report a view of a product or content page (sync-mode variant of viewContent).",
	`type = "track" and event = "Product Viewed"`, "ViewContent",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentCategory, contentIdsAlt, contentName, contentType, contentsAlt, currencyAlt, eventID, eventSourceURL, valueAlt2, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})
