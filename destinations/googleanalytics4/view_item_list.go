package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// ViewItemList sends GA4's view_item_list event.
var ViewItemList = newAction("viewItemList", "View Item List", "Report a list of items viewed.",
	`type = "track" and event = "Product List Viewed"`, "view_item_list",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, itemListIDAlt, itemListNameAlt, items, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
