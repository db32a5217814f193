package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// Purchase sends GA4's purchase event.
var Purchase = newAction("purchase", "Purchase", "Report a completed purchase.",
	`type = "track" and event = "Order Completed"`, "purchase",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, affiliation, coupon, currency, items, transactionID, shipping, tax, value, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
