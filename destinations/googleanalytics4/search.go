package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// Search sends GA4's search event.
var Search = newAction("search", "Search", "Report a search.",
	`type = "track" and event = "Products Searched"`, "search",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, searchTerm, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
