package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// AddToWishlist sends GA4's add_to_wishlist event.
var AddToWishlist = newAction("addToWishlist", "Add to Wishlist", "Report an item added to a wishlist.",
	`type = "track" and event = "Product Added to Wishlist"`, "add_to_wishlist",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, valueAlt, itemsAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
