package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// SelectItem sends GA4's select_item event.
var SelectItem = newAction("selectItem", "Select Item", "Report an item selected from a list.",
	`type = "track" and event = "Product Clicked"`, "select_item",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, itemListName, itemListID, itemsAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
