package mixpanel

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackPurchase imports an order event and, optionally, one Product
// Purchased event per product.
var TrackPurchase = &destkit.Action{
	Key:                 "trackPurchase",
	Title:               "Track Purchase",
	Description:         "Send an order to Mixpanel, optionally with one event per product.",
	DefaultSubscription: `type = "track"`,
	Fields:              []destkit.Field{generatePurchaseEventPerProduct, distinctID, anonymousID, userID, groupID, insertID, eventTime, appName, appNamespace, appBuild, appVersion, osName, osVersion, deviceID, deviceType, deviceName, deviceManufacturer, deviceModel, bluetooth, carrier, cellular, wifi, country, region, language, libraryName, libraryVersion, ip, idfa, url, screenWidth, screenHeight, screenDensity, referrer, userAgent, advertisingID, adTrackingEnabled, timezone, appPlatform, name, eventProperties, contextField, utmProperties, enableBatching, batchSize, userAgentData, productsField, event},
	Batch:               &destkit.Batch{MaxSize: 2000},
	Perform:             func(in *destkit.Input) ([]destkit.Request, error) { return purchaseBatch(single(in)) },
	PerformBatch:        purchaseBatch,
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return importStatus(resp, events, purchaseOwners(in))
	},
}

func purchaseBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 1024*len(in.Payloads)))
	w.ArrayStart()
	for _, p := range in.Payloads {
		writeEvent(w, p, in.Settings, string(p.GetStringBytes("event")), nil, 0)
		for i, prod := range products(p) {
			writeEvent(w, p, in.Settings, "Product Purchased", prod, i)
		}
	}
	w.ArrayEnd()
	return []destkit.Request{importRequest(in.Settings, w.Bytes())}, nil
}

func products(p *fastjson.Value) []*fastjson.Value {
	if !p.GetBool("generatePurchaseEventPerProduct") {
		return nil
	}
	return p.GetArray("products")
}

// purchaseOwners maps each imported event to the payload it came from.
func purchaseOwners(in *destkit.BatchInput) []int {
	var owners []int
	for i, p := range in.Payloads {
		owners = append(owners, i)
		for range products(p) {
			owners = append(owners, i)
		}
	}
	return owners
}
