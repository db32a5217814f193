package algoliainsights

import "github.com/actuate/actuate/destinations/destkit"

// The fields the actions share, as in Segment's definition.
var (
	indexField = destkit.Field{Key: "index", Label: "Index", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.properties.search_index"}`,
		Description: "Name of the Algolia index the record belongs to."}
	queryIDField = destkit.Field{Key: "queryID", Label: "Query ID", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.properties.query_id"},"then":{"@path":"$.properties.query_id"},"else":{"@path":"$.integrations.Algolia Insights (Actions).query_id"}}}`,
		Description: "Query id of the Algolia search that led to the event, which attributes the event to that search."}
	// userTokenField prefers the anonymous id; Product Added's prefers the
	// user id.
	userTokenField          = userToken(`{"@if":{"exists":{"@path":"$.anonymousId"},"then":{"@path":"$.anonymousId"},"else":{"@path":"$.userId"}}}`)
	authenticatedTokenField = destkit.Field{Key: "authenticatedUserToken", Label: "Authenticated User Token", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Id of the signed-in user."}
	timestampField = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.String,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened; sent as milliseconds since the epoch."}
	extraPropertiesField = destkit.Field{Key: "extraProperties", Label: "Extra Properties", Type: destkit.Object,
		Default:     `{"@path":"$.properties"}`,
		Description: "More properties of the event, sent alongside Algolia's fields (which take precedence)."}
)

func userToken(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "userToken", Label: "User Token", Type: destkit.String, Required: true,
		Default:     def,
		Description: "Pseudonymous id of the user (the anonymous id by default)."}
}

// objectIDField is the record an event is about; Product Added calls it product.
func objectIDField(key string) destkit.Field {
	return destkit.Field{Key: key, Label: "Product ID", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.properties.product_id"}`,
		Description: "Object id of the record (the product) in the Algolia index."}
}

// eventNameField names the event in Algolia, by default as def.
func eventNameField(def string) destkit.Field {
	return destkit.Field{Key: "eventName", Label: "Event Name", Type: destkit.String,
		Default:     destkit.JSON(destkit.AppendJSONString(nil, def)),
		Description: "Name of the event in Algolia's analytics."}
}

// eventTypeField is Algolia's event type, by default def; Conversion
// Events label the choices with capitals.
func eventTypeField(def string, capitalised bool) destkit.Field {
	choices := destkit.ChoiceValues("view", "conversion", "click")
	if capitalised {
		choices = []destkit.Choice{{Value: "view", Label: "View"}, {Value: "conversion", Label: "Conversion"}, {Value: "click", Label: "Click"}}
	}
	return destkit.Field{Key: "eventType", Label: "Event Type", Type: destkit.String,
		Default:     destkit.JSON(destkit.AppendJSONString(nil, def)),
		Choices:     choices,
		Description: "Algolia event type: click, conversion or view."}
}
