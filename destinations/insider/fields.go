package insider

import "github.com/actuate/actuate/destinations/destkit"

// The fields every action shares, as in Segment's definition.
var (
	emailAsIdentifierField = destkit.Field{Key: "email_as_identifier", Label: "Treat Email as Identifier", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Also identify the user by the email address (identifiers.email)."}
	phoneAsIdentifierField = destkit.Field{Key: "phone_number_as_identifier", Label: "Treat Phone Number as Identifier", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Also identify the user by the phone number (identifiers.phone_number)."}
	appendArraysField = destkit.Field{Key: "append_arrays", Label: "Append Array Fields", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Append to the profile's array attributes instead of replacing them (Insider's not_append is its negation)."}
	uuidField = destkit.Field{Key: "uuid", Label: "UUID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "The user's id in your systems: Insider's uuid identifier."}
	anonymousIDField = destkit.Field{Key: "segment_anonymous_id", Label: "Anonymous Id", Type: destkit.String,
		Default:     `{"@path":"$.anonymousId"}`,
		Description: "Segment's anonymous id, kept as the custom identifier segment_anonymous_id."}
	timestampField = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	productsField = destkit.Field{Key: "products", Label: "Products", Type: destkit.Object, Multiple: true,
		Default: `{"@arrayPath":["$.properties.products",{"product_id":{"@path":"product_id"},"taxonomy":{"@path":"category"},"name":{"@path":"name"},"variant_id":{"@path":"variant"},"unit_sale_price":{"@path":"price"},"unit_price":{"@path":"price"},"quantity":{"@path":"quantity"},"url":{"@path":"url"},"product_image_url":{"@path":"image_url"}}]}`,
		Properties: []destkit.Field{
			{Key: "product_id", Label: "Product ID", Type: destkit.String,
				Description: "Id of the product."},
			{Key: "taxonomy", Label: "Taxonomy", Type: destkit.String,
				Description: "Category of the product."},
			{Key: "name", Label: "Name", Type: destkit.String,
				Description: "Name of the product."},
			{Key: "unit_sale_price", Label: "Unit Sale Price", Type: destkit.Number,
				Description: "Price of one unit after discounts."},
			{Key: "unit_price", Label: "Unit Price", Type: destkit.Number,
				Description: "Price of one unit before discounts."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
				Description: "Number of units."},
			{Key: "url", Label: "Product Url", Type: destkit.String,
				Description: "URL of the product page."},
			{Key: "product_image_url", Label: "Product Image Url", Type: destkit.String,
				Description: "URL of the product's image."},
		},
		AdditionalProperties: true,
		Description:          "Products of the event; Insider gets one event per product, with the event's parameters added to each."}
	attributesField = destkit.Field{Key: "attributes", Label: "User Properties", Type: destkit.Object,
		Default: `{"email":{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}},"phone":{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}},"age":{"@if":{"exists":{"@path":"$.context.traits.age"},"then":{"@path":"$.context.traits.age"},"else":{"@path":"$.properties.age"}}},"birthday":{"@if":{"exists":{"@path":"$.context.traits.birthday"},"then":{"@path":"$.context.traits.birthday"},"else":{"@path":"$.properties.birthday"}}},"name":{"@if":{"exists":{"@path":"$.context.traits.first_name"},"then":{"@path":"$.context.traits.first_name"},"else":{"@path":"$.properties.first_name"}}},"gender":{"@if":{"exists":{"@path":"$.context.traits.gender"},"then":{"@path":"$.context.traits.gender"},"else":{"@path":"$.properties.gender"}}},"surname":{"@if":{"exists":{"@path":"$.context.traits.last_name"},"then":{"@path":"$.context.traits.last_name"},"else":{"@path":"$.properties.last_name"}}},"app_version":{"@path":"$.context.app.version"},"idfa":{"@path":"$.context.device.advertisingId"},"model":{"@path":"$.context.device.model"},"last_ip":{"@path":"$.context.ip"},"city":{"@if":{"exists":{"@path":"$.context.location.city"},"then":{"@path":"$.context.location.city"},"else":{"@path":"$.properties.address.city"}}},"country":{"@if":{"exists":{"@path":"$.context.location.country"},"then":{"@path":"$.context.location.country"},"else":{"@path":"$.properties.address.country"}}},"carrier":{"@path":"$.context.network.carrier"},"os_version":{"@path":"$.context.os.version"},"platform":{"@path":"$.context.os.name"},"timezone":{"@path":"$.context.timezone"},"locale":{"@path":"$.context.locale"}}`,
		Properties: []destkit.Field{
			{Key: "email", Label: "Email", Type: destkit.String,
				Description: "Email address of the user."},
			{Key: "phone", Label: "Phone Number", Type: destkit.String,
				Description: "Phone number of the user in E.164 form."},
			{Key: "age", Label: "Age", Type: destkit.Number,
				Description: "Age of the user."},
			{Key: "birthday", Label: "Phone Number", Type: destkit.String,
				Description: "Birthday of the user."},
			{Key: "name", Label: "User First Name", Type: destkit.String,
				Description: "First name of the user."},
			{Key: "gender", Label: "Gender", Type: destkit.String,
				Description: "Gender of the user."},
			{Key: "surname", Label: "User Surname", Type: destkit.String,
				Description: "Last name of the user."},
			{Key: "app_version", Label: "App Version", Type: destkit.String,
				Description: "Version of the app the event came from."},
			{Key: "idfa", Label: "IDFA", Type: destkit.String,
				Description: "Advertising id of the device."},
			{Key: "model", Label: "Device Model", Type: destkit.String,
				Description: "Model of the device."},
			{Key: "last_ip", Label: "Ip Adresses", Type: destkit.String,
				Description: "IP address the event came from."},
			{Key: "city", Label: "City", Type: destkit.String,
				Description: "City of the user."},
			{Key: "country", Label: "Country", Type: destkit.String,
				Description: "Country of the user."},
			{Key: "carrier", Label: "Carrier", Type: destkit.String,
				Description: "Mobile network of the device."},
			{Key: "os_version", Label: "OS Version", Type: destkit.String,
				Description: "Version of the operating system."},
			{Key: "platform", Label: "OS Name", Type: destkit.String,
				Description: "Operating system of the device."},
			{Key: "timezone", Label: "Timezone", Type: destkit.String,
				Description: "Time zone of the user (America/Los_Angeles)."},
			{Key: "locale", Label: "Locale", Type: destkit.String,
				Description: "Locale of the user; en-US is sent as en_US."},
		},
		AdditionalProperties: true,
		Description:          "Attributes of the user stored with the event; Insider's standard ones go to attributes, any other to attributes.custom."}
)

// eventFields are the fields of an event action: the identifier fields, then
// the action's own.
func eventFields(own ...destkit.Field) []destkit.Field {
	customIdentifiers := destkit.Field{Key: "custom_identifiers", Label: "Custom Identifiers", Type: destkit.Object,
		Description: "Further identifiers of the user, stored among Insider's custom identifiers."}
	return append([]destkit.Field{emailAsIdentifierField, phoneAsIdentifierField, appendArraysField, uuidField, anonymousIDField,
		customIdentifiers}, own...)
}

// parameterFields are the standard event parameters, in Segment's order;
// each action declares some of them (parametersField).
var parameterFields = []destkit.Field{
	{Key: "url", Label: "Link Url", Type: destkit.String,
		Description: "URL of the page the event happened on."},
	{Key: "currency", Label: "Currency", Type: destkit.String,
		Description: "Currency of the prices, as an ISO 4217 code (USD); Insider requires it on cart and purchase events."},
	{Key: "product_id", Label: "Product Id", Type: destkit.String,
		Description: "Id of the product."},
	{Key: "taxonomy", Label: "Product Category", Type: destkit.String,
		Description: "Category of the product."},
	{Key: "name", Label: "Product Name", Type: destkit.String,
		Description: "Name of the product."},
	{Key: "variant_id", Label: "Variant Id", Type: destkit.Number,
		Description: "Variant of the product."},
	{Key: "unit_sale_price", Label: "Unit Sale Price", Type: destkit.Number,
		Description: "Price of one unit after discounts (9.9 for $9.90)."},
	{Key: "unit_price", Label: "Unit Price", Type: destkit.Number,
		Description: "Price of one unit before discounts (9.9 for $9.90)."},
	{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
		Description: "Number of units."},
	{Key: "product_image_url", Label: "Product Image Url", Type: destkit.String,
		Description: "URL of the product's image."},
	{Key: "event_group_id", Label: "Event Group ID", Type: destkit.String,
		Description: "Id that groups the events of one cart, checkout or order."},
	{Key: "referrer", Label: "Referrer", Type: destkit.String,
		Description: "URL of the page the user came from."},
	{Key: "user_agent", Label: "User Agent", Type: destkit.String,
		Description: "User agent of the browser or app."},
}

// parametersField declares the event parameters named in keys, with the
// action's default mapping.
func parametersField(def destkit.JSON, keys ...string) destkit.Field {
	props := make([]destkit.Field, 0, len(keys))
	for _, f := range parameterFields {
		for _, k := range keys {
			if f.Key == k {
				props = append(props, f)
			}
		}
	}
	return destkit.Field{Key: "parameters", Label: "Event Parameters", Type: destkit.Object,
		Default: def, Properties: props, AdditionalProperties: true,
		Description: "Parameters of the event; Insider's standard ones go to event_params, any other to event_params.custom."}
}

// Default mappings of the event parameters that several actions share.
const (
	pageURLDefault      = `{"@if":{"exists":{"@path":"$.properties.url"},"then":{"@path":"$.properties.url"},"else":{"@path":"$.context.page.url"}}}`
	referrerDefault     = `{"@if":{"exists":{"@path":"$.properties.referrer"},"then":{"@path":"$.properties.referrer"},"else":{"@path":"$.context.page.referrer"}}}`
	productParamDefault = `{"url":` + pageURLDefault + `,"currency":{"@path":"$.properties.currency"},"product_id":{"@path":"$.properties.product_id"},` +
		`"taxonomy":{"@path":"$.properties.category"},"name":{"@path":"$.properties.name"},"unit_sale_price":{"@path":"$.properties.price"},` +
		`"unit_price":{"@path":"$.properties.price"},"quantity":{"@path":"$.properties.quantity"},"product_image_url":{"@path":"$.properties.image_url"},` +
		`"referrer":` + referrerDefault + `}`
)

// productParameters is the parameters field of the single-product actions
// (viewed, added, removed).
func productParameters() destkit.Field {
	return parametersField(productParamDefault, "url", "currency", "product_id", "taxonomy", "name",
		"unit_sale_price", "unit_price", "quantity", "product_image_url", "referrer")
}
