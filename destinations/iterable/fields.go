package iterable

import "github.com/actuate/actuate/destinations/destkit"

// Field specs shared by several actions, as in Segment's definition.
const (
	defaultEventEmail   destkit.JSON = `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}`
	defaultItems        destkit.JSON = `{"@arrayPath":["$.properties.products",{"id":{"@path":"product_id"},"sku":{"@path":"sku"},"categories":{"@path":"category"},"name":{"@path":"name"},"price":{"@path":"price"},"quantity":{"@path":"quantity"},"url":{"@path":"url"},"imageUrl":{"@path":"image_url"},"description":{"@path":"description"}}]}`
	defaultCommerceUser destkit.JSON = `{"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}},"userId":{"@path":"$.userId"},"dataFields":{"@path":"$.context.traits"},"phoneNumber":{"@path":"$.context.traits.phone"},"mergeNestedObjects":false}`
)

var (
	emailField = destkit.Field{Key: "email", Label: "Email Address", Type: destkit.String, Format: "email",
		Default:     defaultEventEmail,
		Description: "Email address of the Iterable user profile."}
	userIDField = destkit.Field{Key: "userId", Label: "User ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "User id of the Iterable user profile."}
	userDataField = destkit.Field{Key: "dataFields", Label: "User Data Fields", Type: destkit.Object,
		Default:     `{"@path":"$.traits"}`,
		Description: "Data to store on the user profile."}
	phoneField = destkit.Field{Key: "phoneNumber", Label: "User Phone Number", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.traits.phone"}`,
		Description: "Phone number with country code (+14158675309); stored as dataFields.phoneNumber."}
	mergeField = destkit.Field{Key: "mergeNestedObjects", Label: "Merge Nested Objects", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Merge the profile's top-level objects with the ones sent instead of replacing them."}
	eventDataField = destkit.Field{Key: "dataFields", Label: "Event Data Fields", Type: destkit.Object,
		Default:     `{"@path":"$.properties"}`,
		Description: "Properties of the event."}
	createdAtField = destkit.Field{Key: "createdAt", Label: "Timestamp", Type: destkit.Datetime,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened; sent as Unix seconds."}
	campaignField = destkit.Field{Key: "campaignId", Label: "Campaign ID", Type: destkit.Integer,
		Default:     `{"@path":"$.properties.campaignId"}`,
		Description: "Iterable campaign the event is attributed to."}
	templateField = destkit.Field{Key: "templateId", Label: "Template ID", Type: destkit.Integer,
		Default:     `{"@path":"$.properties.templateId"}`,
		Description: "Iterable template the event is attributed to."}
	enableBatchingField = destkit.Field{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Send events in batches through Iterable's bulk endpoint."}
	batchSizeField = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number,
		Default:     `1001`,
		Description: "Largest number of events per batch."}

	itemsField = destkit.Field{Key: "items", Label: "Cart items", Type: destkit.Object, Required: true, Multiple: true,
		Default: defaultItems,
		Properties: []destkit.Field{
			{Key: "id", Label: "Product Id", Type: destkit.String, Required: true, Description: "Id of the product."},
			{Key: "name", Label: "Product Name", Type: destkit.String, Required: true, Description: "Name of the product."},
			{Key: "sku", Label: "Product SKU", Type: destkit.String, Description: "Stock keeping unit of the product."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer, Required: true, Description: "Number of units."},
			{Key: "price", Label: "Price", Type: destkit.Number, Required: true, Description: "Price of one unit."},
			{Key: "description", Label: "Product Description", Type: destkit.String, Description: "Text describing the product; also kept in the item's dataFields."},
			{Key: "categories", Label: "Product Category", Type: destkit.String, Description: "Category of the product."},
			{Key: "url", Label: "Product URL", Type: destkit.String, Description: "URL of the product page."},
			{Key: "imageUrl", Label: "Product Image URL", Type: destkit.String, Description: "URL of the product's image."},
		},
		AdditionalProperties: true,
		Description:          "Items of the cart or order; members beyond the standard ones are also stored in the item's dataFields."}
)

// commerceUser is the user object of cart and purchase calls; the two
// actions declare its properties in different orders, as in Segment.
func commerceUser(order ...destkit.Field) destkit.Field {
	props := make([]destkit.Field, len(order))
	copy(props, order)
	return destkit.Field{Key: "user", Label: "User Data", Type: destkit.Object, Required: true,
		Default:     defaultCommerceUser,
		Properties:  props,
		Description: "The user the cart or purchase belongs to; email or user id is required."}
}
