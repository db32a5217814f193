package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// InitiateCheckout sends Meta's InitiateCheckout standard event.
var InitiateCheckout = standardAction("initiateCheckout", "Initiate Checkout", "Report the start of a checkout.",
	`type = "track" and event = "Checkout Started"`, "InitiateCheckout",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentCategory, contentIds, contents, currencyAlt, eventID, eventSourceURL, numItems, valueAlt, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})

// InitiateCheckout2 sends Meta's InitiateCheckout standard event.
var InitiateCheckout2 = standardAction("initiateCheckout2", "Initiate Checkout V2", "Report the start of a checkout (sync-mode variant of initiateCheckout).",
	`type = "track" and event = "Checkout Started"`, "InitiateCheckout",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentCategory, contentIds, contents, currencyAlt, eventID, eventSourceURL, numItems, valueAlt, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})
