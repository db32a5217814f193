package insider

// CheckoutEvent records a checkout page view, one Insider event per product.
var CheckoutEvent = eventAction("checkoutEvent", "Checkout Event",
	"Record a checkout page view in Insider (checkout_page_view), one event per product being bought.",
	`type = "track" and (event = "Checkout Started" or event = "Checkout Step Viewed")`, "checkout_page_view",
	eventFields(timestampField,
		parametersField(`{"currency":{"@path":"$.properties.currency"},`+
			`"event_group_id":{"@if":{"exists":{"@path":"$.properties.checkout_id"},"then":{"@path":"$.properties.checkout_id"},"else":{"@path":"$.properties.order_id"}}}}`,
			"currency", "event_group_id"),
		productsField, attributesField))
