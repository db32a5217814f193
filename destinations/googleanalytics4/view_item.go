package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// ViewItem sends GA4's view_item event.
var ViewItem = newAction("viewItem", "View Item", "Report an item viewed.",
	`type = "track" and event =  "Product Viewed"`, "view_item",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, valueAlt, itemsAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
