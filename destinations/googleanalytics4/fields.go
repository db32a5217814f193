package googleanalytics4

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// Fields shared by several actions. Keys, types and default mappings match
// Segment's definitions so existing mappings keep working.
var (
	dataStreamType = destkit.Field{Key: "data_stream_type", Label: "Data Stream Type", Type: destkit.String,
		Choices:     destkit.ChoiceValues("Web", "Mobile App"),
		Default:     `"Web"`,
		Description: "Web stream (client ID, measurement ID) or app stream (app instance ID, Firebase app ID)."}
	appInstanceID = destkit.Field{Key: "app_instance_id", Label: "Firebase App Instance ID", Type: destkit.String,
		Description: "Firebase app instance ID; required for app streams."}
	clientID = destkit.Field{Key: "client_id", Label: "Client ID", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
		Description: "Browser client ID of the user; required for web streams."}
	clientIDAlt = destkit.Field{Key: "clientId", Label: "Client ID", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
		Description: "Browser client ID of the user; required for web streams."}
	userID = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String,
		Description: "Your identifier for the user."}
	timestampMicros = destkit.Field{Key: "timestamp_micros", Label: "Event Timestamp", Type: destkit.String,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened; sent in microseconds since the epoch."}
	affiliation = destkit.Field{Key: "affiliation", Label: "Affiliation", Type: destkit.String,
		Default:     `{"@path":"$.properties.affiliation"}`,
		Description: "Store or affiliate of the order."}
	coupon = destkit.Field{Key: "coupon", Label: "Coupon", Type: destkit.String,
		Default:     `{"@path":"$.properties.coupon"}`,
		Description: "Coupon code used."}
	couponAlt = destkit.Field{Key: "coupon", Label: "Coupon", Type: destkit.String,
		Description: "Coupon code used."}
	currency = destkit.Field{Key: "currency", Label: "Currency", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.properties.currency"}`,
		Description: "ISO 4217 currency code of the value."}
	currencyAlt = destkit.Field{Key: "currency", Label: "Currency", Type: destkit.String,
		Default:     `{"@path":"$.properties.currency"}`,
		Description: "ISO 4217 currency code of the value."}
	items = destkit.Field{Key: "items", Label: "Products", Type: destkit.Object, Required: true, Multiple: true, AdditionalProperties: true,
		Default:     `{"@arrayPath":["$.properties.products",{"item_id":{"@path":"$.product_id"},"item_name":{"@path":"$.name"},"affiliation":{"@path":"$.affiliation"},"coupon":{"@path":"$.coupon"},"index":{"@path":"$.position"},"item_brand":{"@path":"$.brand"},"item_category":{"@path":"$.category"},"item_variant":{"@path":"$.variant"},"price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"}}]}`,
		Description: "Items of the event.",
		Properties:  itemProperties,
	}
	itemsAlt = destkit.Field{Key: "items", Label: "Products", Type: destkit.Object, Required: true, Multiple: true, AdditionalProperties: true,
		Default:     `{"@arrayPath":["$.properties",{"item_id":{"@path":"$.product_id"},"item_name":{"@path":"$.name"},"affiliation":{"@path":"$.affiliation"},"coupon":{"@path":"$.coupon"},"item_brand":{"@path":"$.brand"},"item_category":{"@path":"$.category"},"item_variant":{"@path":"$.variant"},"price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"}}]}`,
		Description: "Items of the event.",
		Properties:  itemProperties,
	}
	itemsAlt2 = destkit.Field{Key: "items", Label: "Products", Type: destkit.Object, Multiple: true, AdditionalProperties: true,
		Default:     `{"@arrayPath":["$.properties",{"item_id":{"@path":"$.product_id"},"item_name":{"@path":"$.name"},"affiliation":{"@path":"$.affiliation"},"coupon":{"@path":"$.coupon"},"item_brand":{"@path":"$.brand"},"item_category":{"@path":"$.category"},"item_variant":{"@path":"$.variant"},"price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"}}]}`,
		Description: "Items of the event.",
		Properties:  promotionItemProperties,
	}
	itemsAlt3 = destkit.Field{Key: "items", Label: "Products", Type: destkit.Object, Required: true, Multiple: true, AdditionalProperties: true,
		Default:     `{"@arrayPath":["$.properties",{"item_id":{"@path":"$.product_id"},"item_name":{"@path":"$.name"},"affiliation":{"@path":"$.affiliation"},"coupon":{"@path":"$.coupon"},"item_brand":{"@path":"$.brand"},"item_category":{"@path":"$.category"},"item_variant":{"@path":"$.variant"},"price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"}}]}`,
		Description: "Items of the event.",
		Properties:  promotionItemProperties,
	}
	itemsAlt4 = destkit.Field{Key: "items", Label: "Products", Type: destkit.Object, Multiple: true, AdditionalProperties: true,
		Default:     `{"@arrayPath":["$.properties.products",{"item_id":{"@path":"$.product_id"},"item_name":{"@path":"$.name"},"affiliation":{"@path":"$.affiliation"},"coupon":{"@path":"$.coupon"},"index":{"@path":"$.position"},"item_brand":{"@path":"$.brand"},"item_category":{"@path":"$.category"},"item_variant":{"@path":"$.variant"},"price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"}}]}`,
		Description: "Items of the event.",
		Properties:  itemProperties,
	}
	transactionID = destkit.Field{Key: "transaction_id", Label: "Order Id", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.properties.order_id"}`,
		Description: "Identifier of the transaction."}
	shipping = destkit.Field{Key: "shipping", Label: "Shipping", Type: destkit.Number,
		Default:     `{"@path":"$.properties.shipping"}`,
		Description: "Shipping cost."}
	tax = destkit.Field{Key: "tax", Label: "Tax", Type: destkit.Number,
		Default:     `{"@path":"$.properties.tax"}`,
		Description: "Tax cost."}
	taxAlt = destkit.Field{Key: "tax", Label: "Tax", Type: destkit.Number,
		Description: "Tax cost."}
	value = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number,
		Default:     `{"@path":"$.properties.total"}`,
		Description: "Monetary value of the event."}
	valueAlt = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number,
		Default:     `{"@path":"$.properties.value"}`,
		Description: "Monetary value of the event."}
	userProperties = destkit.Field{Key: "user_properties", Label: "User Properties", Type: destkit.Object, AdditionalProperties: true,
		Description: "User properties, as name to value."}
	engagementTimeMsec = destkit.Field{Key: "engagement_time_msec", Label: "Engagement Time in Milliseconds", Type: destkit.Number,
		Default:     `1`,
		Description: "Engagement time in milliseconds, needed for user activity reports."}
	params = destkit.Field{Key: "params", Label: "Event Parameters", Type: destkit.Object, AdditionalProperties: true,
		Description: "More event parameters."}
	adUserDataConsent = destkit.Field{Key: "ad_user_data_consent", Label: "Ad User Data Consent State", Type: destkit.String,
		Choices:     []destkit.Choice{{Value: "GRANTED", Label: "Granted"}, {Value: "DENIED", Label: "Denied"}},
		Description: "Consent to send the user's data to Google for advertising (GRANTED or DENIED)."}
	adPersonalizationConsent = destkit.Field{Key: "ad_personalization_consent", Label: "Ad Personalization Consent State", Type: destkit.String,
		Choices:     []destkit.Choice{{Value: "GRANTED", Label: "Granted"}, {Value: "DENIED", Label: "Denied"}},
		Description: "Consent to use the data for ad personalisation (GRANTED or DENIED)."}
	pageLocation = destkit.Field{Key: "page_location", Label: "Page Location", Type: destkit.String,
		Default:     `{"@path":"$.context.page.url"}`,
		Description: "Full URL of the page."}
	pageReferrer = destkit.Field{Key: "page_referrer", Label: "Page Referrer", Type: destkit.String,
		Default:     `{"@path":"$.context.page.referrer"}`,
		Description: "URL of the previous page."}
	pageTitle = destkit.Field{Key: "page_title", Label: "Page Title", Type: destkit.String,
		Default:     `{"@path":"$.context.page.title"}`,
		Description: "Title of the page."}
	name = destkit.Field{Key: "name", Label: "Event Name", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.event"}`,
		Description: "Name of the event; spaces become underscores."}
	lowercase = destkit.Field{Key: "lowercase", Label: "Lowercase Event Name", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Lower-case the event name."}
	itemListName = destkit.Field{Key: "item_list_name", Label: "Item List Name", Type: destkit.String,
		Description: "Name of the list the item was in."}
	itemListNameAlt = destkit.Field{Key: "item_list_name", Label: "Item List Name", Type: destkit.String,
		Default:     `{"@path":"$.properties.category"}`,
		Description: "Name of the list the item was in."}
	itemListID = destkit.Field{Key: "item_list_id", Label: "Item List Id", Type: destkit.String,
		Description: "Identifier of the list the item was in."}
	itemListIDAlt = destkit.Field{Key: "item_list_id", Label: "Item List ID", Type: destkit.String,
		Default:     `{"@path":"$.properties.list_id"}`,
		Description: "Identifier of the list the item was in."}
	creativeName = destkit.Field{Key: "creative_name", Label: "Creative Name", Type: destkit.String,
		Description: "Name of the promotion's creative."}
	creativeSlot = destkit.Field{Key: "creative_slot", Label: "Creative Slot", Type: destkit.String,
		Default:     `{"@path":"$.properties.creative"}`,
		Description: "Slot of the promotion's creative."}
	locationID = destkit.Field{Key: "location_id", Label: "Location ID", Type: destkit.String,
		Description: "Location (such as a Google Place ID) of the promotion or item."}
	locationIDAlt = destkit.Field{Key: "location_id", Label: "Location ID", Type: destkit.String,
		Default:     `{"@path":"$.properties.position"}`,
		Description: "Location (such as a Google Place ID) of the promotion or item."}
	promotionID = destkit.Field{Key: "promotion_id", Label: "Promotion ID", Type: destkit.String,
		Default:     `{"@path":"$.properties.promotion_id"}`,
		Description: "Identifier of the promotion."}
	promotionName = destkit.Field{Key: "promotion_name", Label: "Promotion Name", Type: destkit.String,
		Default:     `{"@path":"$.properties.name"}`,
		Description: "Name of the promotion."}
	searchTerm = destkit.Field{Key: "search_term", Label: "Search Term", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.properties.query"}`,
		Description: "What the user searched for."}
	method = destkit.Field{Key: "method", Label: "Method", Type: destkit.String,
		Default:     `{"@path":"$.properties.type"}`,
		Description: "How the user signed up or logged in."}
	methodAlt = destkit.Field{Key: "method", Label: "Method", Type: destkit.String,
		Description: "How the user signed up or logged in."}
	paymentType = destkit.Field{Key: "payment_type", Label: "Payment Type", Type: destkit.String,
		Default:     `{"@path":"$.properties.payment_method"}`,
		Description: "Payment method chosen."}
)

// itemProperties are the fields of one item, shared by every action that sends items.
var itemProperties = []destkit.Field{
	{Key: "item_id", Label: "Product ID", Type: destkit.String,
		Description: "Identifier of the item."},
	{Key: "item_name", Label: "Name", Type: destkit.String,
		Description: "Name of the item."},
	{Key: "affiliation", Label: "Affiliation", Type: destkit.String,
		Description: "Store or affiliate of the item."},
	{Key: "coupon", Label: "Coupon", Type: destkit.String,
		Description: "Coupon code for the item."},
	{Key: "currency", Label: "Currency", Type: destkit.String,
		Description: "Currency of the item's price."},
	{Key: "discount", Label: "Discount", Type: destkit.Number,
		Description: "Discount applied to the item."},
	{Key: "index", Label: "Index", Type: destkit.Number,
		Description: "Position of the item in its list."},
	{Key: "item_brand", Label: "Brand", Type: destkit.String,
		Description: "Brand of the item."},
	{Key: "item_category", Label: "Category", Type: destkit.String,
		Description: "Category of the item."},
	{Key: "item_category2", Label: "Category 2", Type: destkit.String,
		Description: "Second category of the item."},
	{Key: "item_category3", Label: "Category 3", Type: destkit.String,
		Description: "Third category of the item."},
	{Key: "item_category4", Label: "Category 4", Type: destkit.String,
		Description: "Fourth category of the item."},
	{Key: "item_category5", Label: "Category 5", Type: destkit.String,
		Description: "Fifth category of the item."},
	{Key: "item_list_id", Label: "Item List ID", Type: destkit.String,
		Description: "List the item was in."},
	{Key: "item_list_name", Label: "Item List Name", Type: destkit.String,
		Description: "Name of the list the item was in."},
	{Key: "item_variant", Label: "Variant", Type: destkit.String,
		Description: "Variant of the item."},
	{Key: "location_id", Label: "Location ID", Type: destkit.String,
		Description: "Location associated with the item."},
	{Key: "price", Label: "Price", Type: destkit.Number,
		Description: "Unit price of the item."},
	{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
		Description: "Quantity of the item."},
}

// promotionItemProperties add the promotion fields for the promotion and item-list
// events.
var promotionItemProperties = slices.Concat(itemProperties, []destkit.Field{
	{Key: "creative_name", Label: "Creative Name", Type: destkit.String,
		Description: "Creative of the item's promotion."},
	{Key: "creative_slot", Label: "Creative Slot", Type: destkit.String,
		Description: "Slot of the item's promotion creative."},
	{Key: "promotion_name", Label: "Promotion Name", Type: destkit.String,
		Description: "Name of the item's promotion."},
	{Key: "promotion_id", Label: "Promotion ID", Type: destkit.String,
		Description: "Promotion of the item."},
})
