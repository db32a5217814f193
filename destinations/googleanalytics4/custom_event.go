package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// CustomEvent sends an event named by the mapping.
var CustomEvent = newAction("customEvent", "Custom Event", "Report an event under your own name.",
	`type = "track"`, "",
	[]destkit.Field{dataStreamType, appInstanceID, clientIDAlt, userID, timestampMicros, name, lowercase, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
