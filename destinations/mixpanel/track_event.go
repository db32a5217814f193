package mixpanel

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent imports events, one at a time or in batches of up to 2000
// (the Import API's limit).
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send an event to Mixpanel through the Import API.",
	DefaultSubscription: `type = "track"`,
	Fields:              []destkit.Field{event, distinctID, anonymousID, userID, groupID, insertID, eventTime, appName, appNamespace, appBuild, appVersion, osName, osVersion, deviceID, deviceType, deviceName, deviceManufacturer, deviceModel, bluetooth, carrier, cellular, wifi, country, region, language, libraryName, libraryVersion, ip, idfa, url, screenWidth, screenHeight, screenDensity, referrer, userAgent, advertisingID, adTrackingEnabled, timezone, appPlatform, name, eventProperties, contextField, utmProperties, enableBatching, batchSize, userAgentData},
	Batch:               &destkit.Batch{MaxSize: 2000},
	Perform:             func(in *destkit.Input) ([]destkit.Request, error) { return trackBatch(single(in)) },
	PerformBatch:        trackBatch,
	BatchStatus: func(resp *destkit.Response, events []int, _ *destkit.BatchInput) []error {
		return importStatus(resp, events, identity(len(events)))
	},
}

func trackBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 768*len(in.Payloads)))
	w.ArrayStart()
	for _, p := range in.Payloads {
		writeEvent(w, p, in.Settings, string(p.GetStringBytes("event")), nil, 0)
	}
	w.ArrayEnd()
	return []destkit.Request{importRequest(in.Settings, w.Bytes())}, nil
}

func single(in *destkit.Input) *destkit.BatchInput {
	return &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}
}

func identity(n int) []int {
	ix := make([]int, n)
	for i := range ix {
		ix[i] = i
	}
	return ix
}
