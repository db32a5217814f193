package algoliainsights

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// ConversionEvents records a purchase or an add-to-cart of one or more
// records, with each record's price, quantity, discount and query id as
// objectData when any of them is mapped.
var ConversionEvents = &destkit.Action{
	Key:                 "conversionEvents",
	Title:               "Conversion Events",
	Description:         "Record a conversion (a purchase or an add-to-cart) of one or more products in Algolia.",
	DefaultSubscription: `type = "track" and event = "Order Completed"`,
	Fields: []destkit.Field{
		{Key: "eventSubtype", Label: "Event Subtype", Type: destkit.String,
			Default:     `"purchase"`,
			Choices:     []destkit.Choice{{Value: "purchase", Label: "Purchase"}, {Value: "addToCart", Label: "Add To Cart"}},
			Description: "Kind of conversion: purchase or add to cart."},
		{Key: "products", Label: "Product Details", Type: destkit.Object, Required: true, Multiple: true,
			Default: `{"@arrayPath":["$.properties.products",{"product_id":{"@path":"$.product_id"},"price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"},"discount":{"@path":"$.discount"},"queryID":{"@path":"$.queryID"}}]}`,
			Properties: []destkit.Field{
				{Key: "product_id", Label: "product_id", Type: destkit.String, Required: true,
					Description: "Object id of the record in the Algolia index."},
				{Key: "price", Label: "price", Type: destkit.Number,
					Description: "Price of one unit."},
				{Key: "quantity", Label: "quantity", Type: destkit.Number,
					Description: "Number of units."},
				{Key: "discount", Label: "discount", Type: destkit.Number,
					Description: "Discount on the unit price."},
				{Key: "queryID", Label: "queryID", Type: destkit.String,
					Description: "Query id of the search this record was found through, when it differs between records."},
			},
			Description: "Records the event is about; their object ids become objectIDs."},
		indexField,
		queryIDField,
		userTokenField,
		authenticatedTokenField,
		timestampField,
		{Key: "value", Label: "Value", Type: destkit.Number,
			Default:     `{"@path":"$.properties.value"}`,
			Description: "Total value of the conversion."},
		{Key: "currency", Label: "Currency", Type: destkit.String,
			Default:     `{"@path":"$.properties.currency"}`,
			Description: "Currency of value and prices, as an ISO 4217 code (USD)."},
		extraPropertiesField,
		eventNameField("Conversion Event"),
		eventTypeField("conversion", true),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := required(p, "products", "index", "userToken"); err != nil {
			return nil, err
		}
		e := newEvent(p)
		e.orDefault("eventName", "Conversion Event")
		e.orDefault("eventType", "conversion")
		e.orDefault("eventSubtype", "purchase")
		e.field("index", "queryID")
		e.o.Set("objectIDs", productIDs(p))
		e.o.Set("objectData", objectData(p.GetArray("products")))
		e.field("value", "currency", "userToken", "authenticatedUserToken")
		e.timestamp()
		return e.request(), nil
	},
}

// objectDataKeys are the per-record details Algolia takes with a conversion.
var objectDataKeys = []string{"queryID", "price", "discount", "quantity"}

// objectData lists each record's details, or is nil (left out) when no
// record has any.
func objectData(products []*fastjson.Value) []byte {
	mapped := false
	for _, pr := range products {
		for _, k := range objectDataKeys {
			mapped = mapped || pr.Get(k) != nil
		}
	}
	if !mapped {
		return nil
	}
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	for _, pr := range products {
		w.ObjectStart()
		for _, k := range objectDataKeys {
			w.Field(k, pr.Get(k))
		}
		w.ObjectEnd()
	}
	w.ArrayEnd()
	return w.Bytes()
}

// productIDs lists the products' object ids.
func productIDs(p *fastjson.Value) []byte {
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	for _, pr := range p.GetArray("products") {
		if id := pr.Get("product_id"); id != nil {
			w.Value(id)
		} else {
			w.Null() // undefined in a list
		}
	}
	w.ArrayEnd()
	return w.Bytes()
}
