package insider

// OrderCompletedEvent records a purchase, one Insider event per product.
var OrderCompletedEvent = eventAction("orderCompletedEvent", "Order Completed Event",
	"Record a completed purchase in Insider (confirmation_page_view), one event per product bought.",
	`type = "track" and event = "Order Completed"`, "confirmation_page_view",
	eventFields(timestampField,
		parametersField(`{"currency":{"@path":"$.properties.currency"},"event_group_id":{"@path":"$.properties.order_id"}}`, "currency", "event_group_id"),
		productsField, attributesField))
