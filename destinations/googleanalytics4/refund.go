package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// Refund sends GA4's refund event.
var Refund = newAction("refund", "Refund", "Report a refund.",
	`type = "track" and event = "Order Refunded"`, "refund",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, transactionID, value, affiliation, couponAlt, shipping, taxAlt, itemsAlt4, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
