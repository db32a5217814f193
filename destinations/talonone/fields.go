package talonone

import "github.com/actuate/actuate/destinations/destkit"

// Field specs several actions share, as Segment's definition shares them.

var (
	audienceIDField = destkit.Field{Key: "audienceId", Label: "Segment Audience ID", Type: destkit.String, Required: true,
		Description: "Identifier of the audience in Segment, which Talon.One keys the audience on."}
	audienceNameField = destkit.Field{Key: "audienceName", Label: "Audience Name", Type: destkit.String, Required: true,
		Description: "Name of the audience in Segment."}
	customerProfileIDField = destkit.Field{Key: "customerProfileId", Label: "Customer Profile ID", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.userId"}`,
		Description: "Integration identifier of the customer profile in Talon.One."}
	// profileIDField is the session's optional profile.
	profileIDField = destkit.Field{Key: "profileId", Label: "Customer Profile ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Integration identifier of the customer profile the session belongs to."}
	profileAttributesField = destkit.Field{Key: "attributes", Label: "Attribute-Value pairs", Type: destkit.Object,
		Default:     `{"@path":"$.traits"}`,
		Description: "Custom attributes of the customer profile, keyed by attribute name."}
	eventAttributesField = destkit.Field{Key: "attributes", Label: "Attribute-Value pairs", Type: destkit.Object,
		Default:     `{"@path":"$.properties.attributes"}`,
		Description: "Custom attributes of the event, keyed by attribute name."}
	sessionAttributesField = destkit.Field{Key: "attributes", Label: "Attribute-Value pairs", Type: destkit.Object,
		Default:     `{"@path":"$.properties.attributes"}`,
		Description: "Custom attributes of the session, keyed by attribute name."}
	skipNonExistingField = destkit.Field{Key: "skipNonExistingAttributes", Label: "Skip Non-existing Attributes Flag", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Skip attributes that do not exist in Talon.One instead of failing the request with 400."}
	eventTypeField = destkit.Field{Key: "eventType", Label: "Event Type", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.event"}`,
		Description: "Name of the event in Talon.One."}
)

const (
	addIDsLabel    = "List of audience ID to associate with the customer profile."
	deleteIDsLabel = "List of audience ID to dissociate with the customer profile."
	// attributeTypes is what an attributes-info type may say.
	attributeTypes = "string, time, number, boolean or location"
)

// The audience IDs a profile joins and leaves, in the profile actions.
var (
	addAudienceIDsField    = audienceIDs("addAudienceIds", addIDsLabel, "Talon.One audience IDs to add the profile to.")
	deleteAudienceIDsField = audienceIDs("deleteAudienceIds", deleteIDsLabel, "Talon.One audience IDs to remove the profile from.")
)

// audienceIDs is a list of Talon.One audience IDs under key.
func audienceIDs(key, label, description string) destkit.Field {
	return destkit.Field{Key: key, Label: label, Type: destkit.Integer, Multiple: true, Description: description}
}

// runRuleEngine is the rule-engine flag, on or off by default.
func runRuleEngine(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "runRuleEngine", Label: "Run rule engine", Type: destkit.Boolean, Default: def,
		Description: "Run Talon.One's rule engine on the update (needed for audience changes to trigger rules; off is faster)."}
}

// attributesInfo declares attribute types for Talon.One to create
// attributes with, read from the list at path. The older actions accept
// any type text; the newer ones list the types as choices.
func attributesInfo(key, label, path string, choices bool, description string) destkit.Field {
	typ := destkit.Field{Key: "type", Label: "Type", Type: destkit.String, Required: true,
		Description: "Attribute type: " + attributeTypes + "."}
	if choices {
		typ.Choices = []destkit.Choice{{Value: "string", Label: "String"}, {Value: "time", Label: "Time"},
			{Value: "number", Label: "Number"}, {Value: "boolean", Label: "Boolean"}, {Value: "location", Label: "Location"}}
	}
	return destkit.Field{Key: key, Label: label, Type: destkit.Object, Multiple: true,
		Default: destkit.JSON(`{"@arrayPath":["` + path + `",{"name":{"@path":"$.name"},"type":{"@path":"$.type"}}]}`),
		Properties: []destkit.Field{
			{Key: "name", Label: "Name", Type: destkit.String, Required: true, Description: "Attribute name."},
			typ,
		},
		Description: description}
}

// audiences is a list of audiences by name, read from properties[key].
func audiences(key, label, description string) destkit.Field {
	return destkit.Field{Key: key, Label: label, Type: destkit.Object, Multiple: true,
		Default: destkit.JSON(`{"@arrayPath":["$.properties.` + key + `",{"name":{"@path":"$.name"},"integrationId":{"@path":"$.integrationId"}}]}`),
		Properties: []destkit.Field{
			{Key: "name", Label: "Name", Type: destkit.String, Required: true, Description: "Audience name."},
			{Key: "integrationId", Label: "integrationID", Type: destkit.String, Description: "Integration identifier of the audience."},
		},
		Description: description}
}

// The members of a customer session, top-level in Update customer session
// and inside customerSession in its deprecated version.
var (
	couponCodesField = destkit.Field{Key: "couponCodes", Label: "Coupon Codes", Type: destkit.String, Multiple: true,
		Description: "Coupon codes entered in the session (up to 100)."}
	referralCodeField = destkit.Field{Key: "referralCode", Label: "Referral Codes", Type: destkit.String,
		Description: "Referral code entered in the session."}
	loyaltyCardsField = destkit.Field{Key: "loyaltyCards", Label: "Loyalty Cards", Type: destkit.String, Multiple: true,
		Description: "Loyalty cards used in the session (at most one)."}
	stateField = destkit.Field{Key: "state", Label: "State", Type: destkit.String,
		Choices: []destkit.Choice{{Value: "open", Label: "Open"}, {Value: "closed", Label: "Closed"},
			{Value: "partially_returned", Label: "Partially returned"}, {Value: "cancelled", Label: "Cancelled"}},
		Description: "State of the session."}
	sessionCostsField = destkit.Field{Key: "additionalCosts", Label: "Additional Costs", Type: destkit.Object,
		Description: "Additional costs of the session, such as shipping."}
	cartItemsField = destkit.Field{Key: "cartItems", Label: "Card Items", Type: destkit.Object, Multiple: true,
		Properties: []destkit.Field{
			{Key: "name", Label: "Name", Type: destkit.String, Description: "Item name."},
			{Key: "sku", Label: "SKU", Type: destkit.String, Description: "Stock keeping unit of the item."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Number, Description: "Quantity of the item."},
			{Key: "price", Label: "Price", Type: destkit.Number, Description: "Unit price of the item."},
			{Key: "returnedQuantity", Label: "Returned quantity", Type: destkit.String, Description: "Quantity returned, as Talon.One computes it from returns."},
			{Key: "remainingQuantity", Label: "Remaining quantity", Type: destkit.String, Description: "Quantity remaining after returns, as Talon.One computes it."},
			{Key: "category", Label: "Category", Type: destkit.String, Description: "Category the item is sold in."},
			{Key: "weight", Label: "Weight", Type: destkit.String, Description: "Weight of the item in grams."},
			{Key: "height", Label: "Height", Type: destkit.String, Description: "Height of the item in millimetres."},
			{Key: "length", Label: "Length", Type: destkit.String, Description: "Length of the item in millimetres."},
			{Key: "position", Label: "Position", Type: destkit.String, Description: "Position of the item in the cart."},
			{Key: "attributes", Label: "Attribute-Value pairs", Type: destkit.Object, Default: `{"@path":"$.properties.attributes"}`,
				Description: "Custom attributes of the cart item, keyed by attribute name."},
			{Key: "additionalCosts", Label: "Additional Costs", Type: destkit.Object, Description: "Additional costs of the item, such as shipping."},
		},
		Description: "Items in the cart (up to 1000 per request)."}
)

// callbackFields are the session actions' first fields: the session ID
// and where and how Talon.One calls back with its response.
var callbackFields = []destkit.Field{
	{Key: "customerSessionId", Label: "Customer Session ID", Type: destkit.String, Required: true,
		Description: "Integration identifier of the customer session."},
	{Key: "callbackDestination", Label: "Callback Destination URI", Type: destkit.String,
		Description: "URL Talon.One calls back with the session update's response."},
	{Key: "callbackAPIKey", Label: "Callback API Key", Type: destkit.String,
		Description: "Header and API key Talon.One sends with its callback (\"X-API-Key 1234…\")."},
	{Key: "contentFields", Label: "Content Fields", Type: destkit.String, Default: `"effects"`,
		Description: "Comma-separated fields of the response to forward to the callback; all of them when empty."},
	{Key: "callbackCorrelationId", Label: "Correlation ID", Type: destkit.String,
		Description: "Correlation ID Talon.One forwards in the callback's X-Correlation-ID header."},
}
