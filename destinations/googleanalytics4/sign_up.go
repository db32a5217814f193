package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// SignUp sends GA4's sign_up event.
var SignUp = newAction("signUp", "Sign Up", "Report a sign-up.",
	`type = "track" and event = "Signed Up"`, "sign_up",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, method, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
