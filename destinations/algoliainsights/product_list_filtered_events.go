package algoliainsights

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// ProductListFilteredEvents records filters applied to a list, each sent
// as attribute:value.
var ProductListFilteredEvents = &destkit.Action{
	Key:                 "productListFilteredEvents",
	Title:               "Product List Filtered Events",
	Description:         "Record the filters applied to a product list in Algolia, each as attribute:value.",
	DefaultSubscription: `type = "track" and event = "Product List Filtered"`,
	Fields: []destkit.Field{
		{Key: "filters", Label: "Filters", Type: destkit.Object, Required: true, Multiple: true,
			Default: `{"@arrayPath":["$.properties.filters",{"attribute":{"@path":"$.attribute"},"value":{"@path":"$.value"}}]}`,
			Properties: []destkit.Field{
				{Key: "attribute", Label: "Filter name", Type: destkit.String, Required: true,
					Description: "Attribute filtered on."},
				{Key: "value", Label: "Filter value", Type: destkit.String, Required: true,
					Description: "Value filtered for."},
			},
			Description: "Filters applied to the list; each is sent as attribute:value."},
		indexField,
		queryIDField,
		userTokenField,
		authenticatedTokenField,
		timestampField,
		extraPropertiesField,
		eventNameField("Product List Filtered"),
		eventTypeField("click", false),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if err := required(p, "filters", "index", "userToken"); err != nil {
			return nil, err
		}
		w := destkit.NewJSONWriter(nil)
		w.ArrayStart()
		for _, f := range p.GetArray("filters") {
			w.String(text(f.Get("attribute")) + ":" + text(f.Get("value")))
		}
		w.ArrayEnd()
		e := newEvent(p)
		e.orDefault("eventName", "Product List Filtered")
		e.orDefault("eventType", "click")
		e.field("index", "queryID")
		e.o.Set("filters", w.Bytes())
		e.field("userToken", "authenticatedUserToken")
		e.timestamp()
		return e.request(), nil
	},
}

// text is a validated string property as a template literal prints it.
func text(v *fastjson.Value) string {
	if v == nil {
		return "undefined"
	}
	return string(v.GetStringBytes())
}
