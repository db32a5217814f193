package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// PageView sends Meta's PageView standard event.
var PageView = standardAction("pageView", "Page View", "Report a page view.",
	`type = "page"`, "PageView",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, eventID, eventSourceURL, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})

// PageView2 sends Meta's PageView standard event.
var PageView2 = standardAction("pageView2", "Page View V2", "Report a page view (sync-mode variant of pageView).",
	`type = "page"`, "PageView",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, eventID, eventSourceURL, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})
