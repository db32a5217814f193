package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// AddPaymentInfo sends GA4's add_payment_info event.
var AddPaymentInfo = newAction("addPaymentInfo", "Add Payment Info", "Report payment information submitted.",
	`type = "track" and event = "Payment Info Entered"`, "add_payment_info",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, valueAlt, couponAlt, paymentType, items, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
