package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// RemoveFromCart sends GA4's remove_from_cart event.
var RemoveFromCart = newAction("removeFromCart", "Remove from Cart", "Report an item removed from the cart.",
	`type = "track" and event = "Product Removed"`, "remove_from_cart",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, valueAlt, itemsAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
