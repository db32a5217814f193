package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// PageView sends GA4's page_view event.
var PageView = newAction("pageView", "Page View", "Report a page view.",
	`type = "page"`, "page_view",
	[]destkit.Field{dataStreamType, appInstanceID, clientIDAlt, userID, timestampMicros, pageLocation, pageReferrer, userProperties, pageTitle, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
