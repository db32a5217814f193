package amplitude

import (
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
)

// LogPurchase sends an order, optionally with one revenue event per product
// so Amplitude can chart revenue by product.
var LogPurchase = &destkit.Action{
	Key:                 "logPurchase",
	Title:               "Log Purchase",
	Description:         "Send an order to Amplitude, with revenue per order or per product.",
	DefaultSubscription: `type = "track"`,
	Fields:              []destkit.Field{trackRevenuePerProduct, userID, deviceID, eventType, sessionID, eventTime, eventProperties, userProperties, groups, appVersion, platform, osName, osVersion, deviceBrand, deviceManufacturer, deviceModel, carrier, country, region, city, dma, language, price, quantity, revenue, productID, revenueType, locationLat, locationLng, ip, idfa, idfv, adid, androidID, eventID, insertID, library, library2, products, useBatchEndpoint, userAgent, userAgentParsing, includeRawUserAgent, utmProperties, referrer, minIDLength, userAgentData},
	Perform:             logPurchase,
}

func logPurchase(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	perProduct := p.GetBool("trackRevenuePerProduct")
	return eventsRequest(in, func(w *destkit.JSONWriter) {
		prods := p.GetArray("products")
		// Revenue counts once: per product, or on the order.
		writeEvent(w, p, eventStyle{revenue: !(perProduct && len(prods) > 0)})
		for i, prod := range prods {
			st := eventStyle{
				eventType:   "Product Purchased",
				props:       prod,
				revenue:     perProduct,
				revenueFrom: prod,
				// Segment numbers them from 2, the order being event 1.
				insertSuffix: "-" + strconv.Itoa(i+2),
			}
			writeEvent(w, p, st)
		}
	}), nil
}
