package amplitude

import "github.com/actuate/actuate/destinations/destkit"

// LogEvent sends one event, with revenue fields when present.
var LogEvent = &destkit.Action{
	Key:                 "logEvent",
	Title:               "Log Event",
	Description:         "Send an event to Amplitude.",
	DefaultSubscription: `type = "track"`,
	Fields:              []destkit.Field{userID, deviceID, eventType, sessionID, eventTime, eventProperties, userProperties, groups, appVersion, platform, osName, osVersion, deviceBrand, deviceManufacturer, deviceModel, carrier, country, region, city, dma, language, price, quantity, revenue, productID, revenueType, locationLat, locationLng, ip, idfa, idfv, adid, androidID, eventID, insertID, library, library2, products, useBatchEndpoint, userAgent, userAgentParsing, includeRawUserAgent, utmProperties, referrer, minIDLength, userAgentData},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return eventsRequest(in, func(w *destkit.JSONWriter) {
			writeEvent(w, in.Payload, eventStyle{products: true})
		}), nil
	},
}
