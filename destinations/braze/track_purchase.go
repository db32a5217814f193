package braze

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackPurchase records one Braze purchase per product of an order.
var TrackPurchase = &destkit.Action{
	Key:                 "trackPurchase",
	Title:               "Track Purchase",
	Description:         "Record the products of an order as purchases in Braze.",
	DefaultSubscription: `event = "Order Completed"`,
	Fields:              []destkit.Field{externalID, userAlias, emailAlt2, brazeID, timeFieldAlt, productsField, propertiesAlt, updateExistingOnly, enableBatching, batchSize},
	Batch:               &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := trackPurchases(b, fieldExistingOnly)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return trackPurchases(in, fieldExistingOnly) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "purchases", purchaseOwners(in))
	},
}

// TrackPurchase2 is TrackPurchase with the existing-users switch taken
// from the subscription's sync mode instead of a field.
var TrackPurchase2 = &destkit.Action{
	Key:                 "trackPurchase2",
	Title:               "Track Purchase V2",
	Description:         "Record the products of an order as Braze purchases; the sync mode decides whether unknown users are created.",
	DefaultSubscription: `event = "Order Completed"`,
	Fields:              []destkit.Field{externalID, userAlias, emailAlt2, brazeID, timeFieldAlt, productsField, propertiesAlt, enableBatching, batchSize},
	Batch:               &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := trackPurchases(b, addOrUpdate)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return trackPurchases(in, addOrUpdate) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "purchases", purchaseOwners(in))
	},
}

func trackPurchases(in *destkit.BatchInput, eo existingOnly) ([]destkit.Request, error) {
	checkRecords(in, true, eo)
	return trackRequest(in, "purchases", func(w *destkit.JSONWriter, _ int, p *fastjson.Value) int {
		products := p.GetArray("products")
		for _, prod := range products {
			w.ObjectStart()
			writeIdentity(w, p, in.Settings, true)
			w.Field("product_id", prod.Get("product_id"))
			w.Key("currency")
			if c := prod.Get("currency"); c != nil && c.Type() != fastjson.TypeNull {
				w.Value(c)
			} else {
				w.String("USD") // Segment's default
			}
			w.Field("price", prod.Get("price"))
			w.Field("quantity", prod.Get("quantity"))
			w.Field("time", p.Get("time"))
			writePurchaseProperties(w, prod.GetObject(), p.GetObject("properties"))
			writeExistingOnly(w, p, eo)
			w.ObjectEnd()
		}
		return len(products)
	})
}

// writePurchaseProperties writes a purchase's properties as Segment does:
// the product's own fields other than the four a purchase has at its top
// level, then the order's properties without the product list over them.
func writePurchaseProperties(w *destkit.JSONWriter, prod, order *fastjson.Object) {
	w.Key("properties")
	w.ObjectStart()
	if prod != nil {
		prod.Visit(func(k []byte, v *fastjson.Value) {
			switch string(k) {
			case "product_id", "currency", "price", "quantity":
				return
			}
			if order != nil && string(k) != "products" && order.Get(string(k)) != nil {
				return
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	if order != nil {
		order.Visit(func(k []byte, v *fastjson.Value) {
			if string(k) != "products" {
				w.Key(string(k))
				w.Value(v)
			}
		})
	}
	w.ObjectEnd()
}

func purchaseOwners(in *destkit.BatchInput) []int {
	var owners []int
	for i, p := range in.Payloads {
		if in.Rejected(i) != nil {
			continue
		}
		for range p.GetArray("products") {
			owners = append(owners, i)
		}
	}
	return owners
}
