package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// BeginCheckout sends GA4's begin_checkout event.
var BeginCheckout = newAction("beginCheckout", "Begin Checkout", "Report the start of a checkout.",
	`type = "track" and event = "Checkout Started"`, "begin_checkout",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, coupon, currencyAlt, items, valueAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
