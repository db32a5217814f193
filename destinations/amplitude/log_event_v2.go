package amplitude

import "github.com/actuate/actuate/destinations/destkit"

// LogEventV2 sends one event with explicit $setOnce, $set and $add user
// property operations. Revenue belongs to logPurchase, so it is left out.
var LogEventV2 = &destkit.Action{
	Key:                 "logEventV2",
	Title:               "Log Event V2",
	Description:         "Send an event to Amplitude, with user property operations.",
	DefaultSubscription: `type = "track"`,
	Fields:              []destkit.Field{userID, deviceID, eventType, sessionID, eventTime, eventProperties, userProperties, groups, appVersion, platform, osName, osVersion, deviceBrand, deviceManufacturer, deviceModel, carrier, country, region, city, dma, language, price, quantity, revenue, productID, revenueType, locationLat, locationLng, ip, idfa, idfv, adid, androidID, eventID, insertID, library, library2, products, setOnce, setAlways, add, useBatchEndpoint, userAgent, userAgentParsing, includeRawUserAgent, minIDLength, userAgentData},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return eventsRequest(in, func(w *destkit.JSONWriter) {
			writeEvent(w, in.Payload, eventStyle{v2: true, products: true})
		}), nil
	},
}
