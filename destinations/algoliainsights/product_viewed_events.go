package algoliainsights

import "github.com/actuate/actuate/destinations/destkit"

// ProductViewedEvents records a view of a record.
var ProductViewedEvents = &destkit.Action{
	Key:                 "productViewedEvents",
	Title:               "Product Viewed Events",
	Description:         "Record a view of a product in Algolia.",
	DefaultSubscription: `type = "track" and event = "Product Viewed"`,
	Fields: []destkit.Field{
		objectIDField("objectID"),
		indexField,
		queryIDField,
		userTokenField,
		authenticatedTokenField,
		timestampField,
		extraPropertiesField,
		eventNameField("Product Viewed"),
		eventTypeField("view", false),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := required(p, "objectID", "index", "userToken"); err != nil {
			return nil, err
		}
		e := newEvent(p)
		e.orDefault("eventName", "Product Viewed")
		e.orDefault("eventType", "view")
		e.field("index", "queryID")
		e.o.Set("objectIDs", listOf(p.Get("objectID")))
		e.timestamp()
		e.field("userToken", "authenticatedUserToken")
		return e.request(), nil
	},
}
