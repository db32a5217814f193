package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// Login sends GA4's login event.
var Login = newAction("login", "Login", "Report a login.",
	`type = "track" and event = "Signed In"`, "login",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, methodAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
