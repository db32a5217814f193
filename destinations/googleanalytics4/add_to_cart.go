package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// AddToCart sends GA4's add_to_cart event.
var AddToCart = newAction("addToCart", "Add to Cart", "Report an item added to the cart.",
	`type = "track" and event = "Product Added"`, "add_to_cart",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, itemsAlt, valueAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
