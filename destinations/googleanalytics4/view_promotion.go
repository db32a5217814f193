package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// ViewPromotion sends GA4's view_promotion event.
var ViewPromotion = newAction("viewPromotion", "View Promotion", "Report a promotion viewed.",
	`type = "track" and event = "Promotion Viewed"`, "view_promotion",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, creativeName, creativeSlot, locationIDAlt, promotionID, promotionName, itemsAlt3, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
