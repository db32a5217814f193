package algoliainsights

import "github.com/actuate/actuate/destinations/destkit"

// ProductAddedEvents records a record added to the cart: a conversion of
// subtype addToCart.
var ProductAddedEvents = &destkit.Action{
	Key:                 "productAddedEvents",
	Title:               "Product Added Events",
	Description:         "Record a product added to the cart in Algolia (a conversion of subtype addToCart).",
	DefaultSubscription: `type = "track" and event = "Product Added"`,
	Fields: []destkit.Field{
		objectIDField("product"),
		indexField,
		queryIDField,
		userToken(`{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`),
		authenticatedTokenField,
		timestampField,
		extraPropertiesField,
		eventNameField("Add to cart"),
		eventTypeField("conversion", false),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := required(p, "product", "index", "userToken"); err != nil {
			return nil, err
		}
		e := newEvent(p)
		e.orDefault("eventName", "Add to cart")
		e.orDefault("eventType", "conversion")
		e.o.SetString("eventSubtype", "addToCart")
		e.field("index", "queryID")
		e.o.Set("objectIDs", listOf(p.Get("product")))
		e.field("userToken", "authenticatedUserToken")
		e.timestamp()
		return e.request(), nil
	},
}
