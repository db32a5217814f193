package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// Custom sends an event named by the mapping.
var Custom = customAction("custom", "Custom Event", "Report an event under your own name.",
	[]destkit.Field{actionSource, eventName, eventTime, userData, appDataField, customData, eventID, eventSourceURL, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})

// Custom2 sends an event named by the mapping.
var Custom2 = customAction("custom2", "Custom Event V2", "Report an event under your own name (sync-mode variant of custom).",
	[]destkit.Field{actionSource, eventName, eventTime, userData, appDataField, customData, eventID, eventSourceURL, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})
