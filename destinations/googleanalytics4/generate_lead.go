package googleanalytics4

import "github.com/actuate/actuate/destinations/destkit"

// GenerateLead sends GA4's generate_lead event.
var GenerateLead = newAction("generateLead", "Generate Lead", "Report a lead generated.",
	`type = "track"`, "generate_lead",
	[]destkit.Field{dataStreamType, appInstanceID, clientID, userID, timestampMicros, currencyAlt, valueAlt, userProperties, engagementTimeMsec, params, adUserDataConsent, adPersonalizationConsent})
