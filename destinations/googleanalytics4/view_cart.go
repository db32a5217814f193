package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// ViewCart sends GA4's view_cart event.
var ViewCart = newAction("viewCart", "View Cart", "Report a view of the cart.",
	`type = "track" and event = "Cart Viewed"`, "view_cart",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, valueAlt, items, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
