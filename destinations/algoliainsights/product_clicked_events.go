package algoliainsights

import "github.com/actuate/actuate/destinations/destkit"

// ProductClickedEvents records a click on a record, at its position in the
// search results.
var ProductClickedEvents = &destkit.Action{
	Key:                 "productClickedEvents",
	Title:               "Product Clicked Events",
	Description:         "Record a click on a product in Algolia, with its position in the search results when known.",
	DefaultSubscription: `type = "track" and event = "Product Clicked"`,
	Fields: []destkit.Field{
		objectIDField("objectID"),
		indexField,
		queryIDField,
		{Key: "position", Label: "Position", Type: destkit.Integer,
			Default:     `{"@path":"$.properties.position"}`,
			Description: "Position of the clicked record in the search results, starting at 1."},
		userTokenField,
		authenticatedTokenField,
		timestampField,
		extraPropertiesField,
		eventNameField("Product Clicked"),
		eventTypeField("click", false),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := required(p, "objectID", "index", "userToken"); err != nil {
			return nil, err
		}
		e := newEvent(p)
		e.orDefault("eventName", "Product Clicked")
		e.orDefault("eventType", "click")
		e.field("index", "queryID")
		e.o.Set("objectIDs", listOf(p.Get("objectID")))
		e.field("userToken", "authenticatedUserToken")
		if pos := p.Get("position"); pos != nil {
			e.o.Set("positions", listOf(pos))
		} else {
			e.o.Set("positions", nil)
		}
		e.timestamp()
		return e.request(), nil
	},
}
