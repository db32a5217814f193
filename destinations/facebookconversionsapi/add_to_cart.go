package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// AddToCart sends Meta's AddToCart standard event.
var AddToCart = standardAction("addToCart", "Add to Cart", "Report a product added to the cart.",
	`type = "track" and event = "Product Added"`, "AddToCart",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentIds, contentName, contentType, contentsAlt, currencyAlt, eventID, eventSourceURL, valueAlt2, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})

// AddToCart2 sends Meta's AddToCart standard event.
var AddToCart2 = standardAction("addToCart2", "Add to Cart V2", "Report a product added to the cart (sync-mode variant of addToCart).",
	`type = "track" and event = "Product Added"`, "AddToCart",
	[]destkit.Field{actionSource, eventTime, userData, appDataField, contentIds, contentName, contentType, contentsAlt, currencyAlt, eventID, eventSourceURL, valueAlt2, customData, dataProcessingOptions, dataProcessingOptionsCountry, dataProcessingOptionsState, testEventCode})
