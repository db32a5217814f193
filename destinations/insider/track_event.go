package insider

import "github.com/actuate/actuate/destinations/destkit"

// TrackEvent records any event under its own (normalised) name.
var TrackEvent = eventAction("trackEvent", "Track Event",
	"Record a custom event in Insider, named after the event (lower-cased, spaces as underscores).",
	`type = "track"`, "",
	eventFields(
		destkit.Field{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event; sent lower-cased with spaces turned into underscores."},
		timestampField,
		parametersField(`{"url":`+pageURLDefault+`,"currency":{"@path":"$.properties.currency"},"product_id":{"@path":"$.properties.product_id"},`+
			`"taxonomy":{"@path":"$.properties.category"},"name":{"@path":"$.properties.name"},"variant_id":{"@path":"$.properties.variant"},`+
			`"unit_sale_price":{"@path":"$.properties.price"},"unit_price":{"@path":"$.properties.price"},"quantity":{"@path":"$.properties.quantity"},`+
			`"product_image_url":{"@path":"$.properties.image_url"},`+
			`"event_group_id":{"@if":{"exists":{"@path":"$.properties.order_id"},"then":{"@path":"$.properties.order_id"},"else":{"@path":"$.properties.cart_id"}}},`+
			`"referrer":`+referrerDefault+`,"user_agent":{"@path":"$.context.userAgent"}}`,
			"url", "currency", "product_id", "taxonomy", "name", "variant_id", "unit_sale_price", "unit_price",
			"quantity", "product_image_url", "event_group_id", "referrer", "user_agent"),
		productsField,
		attributesField,
	))
