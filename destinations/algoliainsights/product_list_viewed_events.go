package algoliainsights

import "github.com/actuate/actuate/destinations/destkit"

// ProductListViewedEvents records a view of a list of records.
var ProductListViewedEvents = &destkit.Action{
	Key:                 "productListViewedEvents",
	Title:               "Product List Viewed Events",
	Description:         "Record a view of a list of products in Algolia.",
	DefaultSubscription: `type = "track" and event = "Product List Viewed"`,
	Fields: []destkit.Field{
		{Key: "products", Label: "Product Details", Type: destkit.Object, Required: true, Multiple: true,
			Default: `{"@arrayPath":["$.properties.products",{"product_id":{"@path":"$.product_id"}}]}`,
			Properties: []destkit.Field{
				{Key: "product_id", Label: "product_id", Type: destkit.String, Required: true,
					Description: "Object id of the record in the Algolia index."},
			},
			Description: "Records shown in the list; their object ids become objectIDs."},
		indexField,
		queryIDField,
		userTokenField,
		authenticatedTokenField,
		timestampField,
		extraPropertiesField,
		eventNameField("Product List Viewed"),
		eventTypeField("view", false),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := required(p, "products", "index", "userToken"); err != nil {
			return nil, err
		}
		e := newEvent(p)
		e.orDefault("eventName", "Product List Viewed")
		e.orDefault("eventType", "view")
		e.field("index", "queryID")
		e.o.Set("objectIDs", productIDs(p))
		e.timestamp()
		e.field("userToken", "authenticatedUserToken")
		return e.request(), nil
	},
}
