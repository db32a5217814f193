package insider

// CartViewedEvent records a cart page view, one Insider event per product.
var CartViewedEvent = eventAction("cartViewedEvent", "Cart Viewed Event",
	"Record a cart page view in Insider (cart_page_view), one event per product in the cart.",
	`type = "track" and event = "Cart Viewed"`, "cart_page_view",
	eventFields(timestampField,
		parametersField(`{"currency":{"@path":"$.properties.currency"},"event_group_id":{"@path":"$.properties.cart_id"}}`, "currency", "event_group_id"),
		productsField, attributesField))
