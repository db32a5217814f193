package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// SelectPromotion sends GA4's select_promotion event.
var SelectPromotion = newAction("selectPromotion", "Select Promotion", "Report a promotion selected.",
	`type = "track" and event = "Promotion Clicked"`, "select_promotion",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, creativeName, creativeSlot, locationID, promotionID, promotionName, itemsAlt2, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
